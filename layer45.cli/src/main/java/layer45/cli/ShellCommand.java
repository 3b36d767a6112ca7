package layer45.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code layer45 shell}: a Gogo session in the running runtime, over the control socket. On a terminal it reads
 * lines with editing and history ({@link TerminalLines}); otherwise it reads standard input line by line without a
 * prompt, so scripts can feed it commands. {@code exit}, {@code quit} or the end of input (Ctrl-D) leave the
 * session; the runtime goes on. The exit status is the last command's, as a shell's is.
 */
final class ShellCommand {

    private final Path socket;
    private final PrintStream err;

    /**
     * @param socket the control socket
     * @param err where the client's own messages go
     */
    ShellCommand(Path socket, PrintStream err) {
        this.socket = socket;
        this.err = err;
    }

    /**
     * @return the last command's exit status ({@link ExitStatus})
     * @throws CliException if the runtime cannot be reached, or went away during the session
     */
    int run() throws CliException {
        try (ControlClient client = ControlClient.connect(socket); LineSource lines = LineSource.open()) {
            client.openSession(Path.of("").toAbsolutePath());
            if (lines.interactive()) {
                err.println("layer45: connected to the runtime on " + socket + "; 'help' lists the commands (the"
                        + " module commands are l45:lsmod, l45:insmod, ...); exit or Ctrl-D leaves, 'stop 0' stops"
                        + " the runtime");
            }
            int status = ExitStatus.OK;
            for (String line = lines.next(); line != null; line = lines.next()) {
                String command = line.strip();
                if (command.equals("exit") || command.equals("quit")) {
                    break;
                }
                if (!command.isEmpty() && !command.startsWith("#")) {
                    status = client.command(command, System.out, System.err);
                }
            }
            return status;
        } catch (IOException e) {
            throw CliException.of(e);
        }
    }
}
