package layer45.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code exec}.
 *
 * @param netns the namespace's name; {@code null} for a fresh {@code l45-<pid>}
 * @param join whether to join an existing namespace instead of creating it
 * @param forwards port forwards, as {@code l45:attach --forward} takes them
 * @param socket the control socket
 * @param command the command and its arguments
 */
record ExecOptions(String netns, boolean join, List<String> forwards, Path socket, List<String> command) {

    /**
     * @param args what follows {@code exec}
     * @return the options
     * @throws CliException saying what is wrong with them
     */
    static ExecOptions parse(List<String> args) throws CliException {
        String netns = null;
        boolean join = false;
        List<String> forwards = new ArrayList<>();
        Path socket = null;
        int i = 0;
        for (; i < args.size() && args.get(i).startsWith("-"); i++) {
            String option = args.get(i);
            switch (option) {
                case "--" -> {
                    i++;
                    return finish(netns, join, forwards, socket, args.subList(i, args.size()));
                }
                case "--netns" -> netns = GogoArgs.checked(option, value(args, ++i, option, "NAME, such as l45-test"));
                case "--join" -> join = true;
                case "--forward" -> forwards.add(GogoArgs.checked(option,
                        value(args, ++i, option, "SPEC, such as tcp:8080:80")));
                case "--socket" -> socket = Path.of(value(args, ++i, option, "PATH"));
                default -> throw new CliException("unknown option '" + option + "' for exec\n" + Main.USAGE);
            }
        }
        return finish(netns, join, forwards, socket, args.subList(i, args.size()));
    }

    private static ExecOptions finish(String netns, boolean join, List<String> forwards, Path socket,
            List<String> command) throws CliException {
        if (command.isEmpty()) {
            throw new CliException("exec needs a command to run, such as: exec -- ping -c1 10.45.0.1");
        }
        if (join && netns == null) {
            throw new CliException("--join joins an existing namespace: name it with --netns NAME");
        }
        return new ExecOptions(netns, join, List.copyOf(forwards), socket == null ? defaultSocket() : socket,
                List.copyOf(command));
    }

    /** @return the value after an option */
    static String value(List<String> args, int index, String option, String what) throws CliException {
        if (index >= args.size()) {
            throw new CliException(option + " needs a value: " + option + " " + what);
        }
        return args.get(index);
    }

    /** The environment variable that names the control socket when no {@code --socket} does. */
    static final String SOCKET_VARIABLE = "LAYER45_SOCKET";

    /** @return the socket named by {@value #SOCKET_VARIABLE}, or the one a runtime of this user listens on by default */
    static Path defaultSocket() {
        String named = System.getenv(SOCKET_VARIABLE);
        if (named != null && !named.isBlank()) {
            return Path.of(named);
        }
        String home = System.getProperty("layer45.home", "");
        return layer45.cli.protocol.SocketPaths.defaultSocket(layer45.cli.protocol.SocketPaths.runningAsRoot(),
                Path.of(home).toAbsolutePath());
    }

    /** @return the namespace to attach: the one given, or {@code l45-<pid>} */
    String namespace() {
        return netns != null ? netns : "l45-" + ProcessHandle.current().pid();
    }

    /** @return the Gogo command line that attaches the namespace for as long as the connection is open */
    String attachLine() {
        StringBuilder line = new StringBuilder("l45:attach --hold");
        if (!join) {
            line.append(" --create");
        }
        for (String forward : forwards) {
            line.append(" --forward ").append(GogoArgs.quote(forward));
        }
        return line.append(' ').append(GogoArgs.quote(namespace())).toString();
    }
}
