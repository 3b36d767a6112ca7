package layer45.runtime.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A shell for the server's tests, whose commands show what a session sees: {@code echo WORDS} returns them,
 * {@code print WORDS} prints them on both outputs, {@code fail WORDS} throws them, {@code cat} returns the input,
 * {@code hold} prints {@code holding} and waits for the input's end, {@code pwd} returns the directory.
 */
final class ScriptShell implements Shell {

    /** What happened to the sessions, in order: {@code input ended}, {@code interrupted}, {@code closed}. */
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public Session open(InputStream in, OutputStream out, OutputStream err) {
        return new Session() {
            private Path directory;

            @Override
            public void currentDir(Path directory) {
                this.directory = directory;
            }

            @Override
            public String execute(String line) throws Exception {
                String[] words = line.split(" ", 2);
                String rest = words.length > 1 ? words[1] : "";
                switch (words[0]) {
                    case "echo":
                        return rest;
                    case "print":
                        out.write((rest + "\n").getBytes(StandardCharsets.UTF_8));
                        err.write(("warning: " + rest + "\n").getBytes(StandardCharsets.UTF_8));
                        return null;
                    case "fail":
                        throw new IllegalArgumentException(rest);
                    case "cat":
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    case "hold":
                        out.write("holding\n".getBytes(StandardCharsets.UTF_8));
                        try {
                            while (in.read() >= 0) {
                                // held until the input ends
                            }
                            events.add("input ended");
                        } catch (IOException e) {
                            events.add("interrupted");
                        }
                        return "released";
                    case "pwd":
                        return String.valueOf(directory);
                    default:
                        throw new IllegalArgumentException("Command not found: " + words[0]);
                }
            }

            @Override
            public void close() {
                events.add("closed");
            }
        };
    }
}
