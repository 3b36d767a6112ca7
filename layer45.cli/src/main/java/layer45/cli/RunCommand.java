package layer45.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code run [--socket PATH] [--stdin] LINE...}: runs one Gogo command line in the runtime, prints what it prints,
 * and returns its exit status. The words of the line are joined with spaces, as {@code ssh} does.
 */
final class RunCommand {

    private final Path socket;
    private final boolean stdin;
    private final String line;

    /**
     * @param socket the control socket
     * @param stdin whether standard input is streamed to the command
     * @param line the Gogo command line
     */
    RunCommand(Path socket, boolean stdin, String line) {
        this.socket = socket;
        this.stdin = stdin;
        this.line = line;
    }

    /**
     * @param args what follows {@code run}
     * @return the command
     * @throws CliException saying what is wrong with them
     */
    static RunCommand parse(List<String> args) throws CliException {
        Path socket = null;
        boolean stdin = false;
        int i = 0;
        for (; i < args.size() && args.get(i).startsWith("--"); i++) {
            switch (args.get(i)) {
                case "--socket" -> socket = Path.of(ExecOptions.value(args, ++i, "--socket", "PATH"));
                case "--stdin" -> stdin = true;
                case "--" -> {
                    i++;
                    return create(socket, stdin, args.subList(i, args.size()));
                }
                default -> throw new CliException("unknown option '" + args.get(i) + "' for run\n" + Main.USAGE);
            }
        }
        return create(socket, stdin, args.subList(i, args.size()));
    }

    private static RunCommand create(Path socket, boolean stdin, List<String> words) throws CliException {
        if (words.isEmpty()) {
            throw new CliException("run needs a command line, such as: run 'l45:lsmod'");
        }
        return new RunCommand(socket == null ? ExecOptions.defaultSocket() : socket, stdin, String.join(" ", words));
    }

    /**
     * @return the command's exit status
     * @throws CliException if the runtime cannot be reached, or went away before the command ended
     */
    int run() throws CliException {
        try (ControlClient client = ControlClient.connect(socket)) {
            client.send(line, Path.of("").toAbsolutePath());
            if (stdin) {
                Thread.ofPlatform().daemon().name("layer45-stdin").start(() -> pump(System.in, client));
            } else {
                client.endInput();
            }
            return client.copyTo(System.out, System.err);
        } catch (IOException e) {
            throw CliException.of(e);
        }
    }

    /** Streams standard input to the command until it ends; a command that ended first stops it. */
    private static void pump(InputStream in, ControlClient client) {
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                client.input(buffer, 0, n);
            }
            client.endInput();
        } catch (IOException e) {
            // the command ended and the connection closed: nothing more to send
        }
    }
}
