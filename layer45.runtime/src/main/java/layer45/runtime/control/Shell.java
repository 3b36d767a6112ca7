package layer45.runtime.control;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/** Runs command lines, each connection in a session of its own: Gogo in the runtime, a fake in tests. */
interface Shell {

    /**
     * @param in the session's input
     * @param out its standard output
     * @param err its standard error
     * @return a new session
     */
    Session open(InputStream in, OutputStream out, OutputStream err);

    /** A shell session. */
    interface Session extends AutoCloseable {

        /** @param directory where relative paths in commands are taken from */
        void currentDir(Path directory);

        /**
         * @param line a command line
         * @return the command's result as the console shows it, or {@code null} when there is nothing to show
         * @throws Exception whatever the command (or the shell, for a line it cannot run) throws
         */
        String execute(String line) throws Exception;

        /** Ends the session; a command still running is interrupted. */
        @Override
        void close();
    }
}
