package layer45.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code layer45 lsmod}, {@code layer45 insmod JAR key=value}, ...: one shell command of the runtime's, run over the
 * control socket, with its exit status. Each word is passed to the command as it is (quoted for Gogo), so
 * {@code layer45 param dns-tag 'thread=isc-net-*'} needs only the quotes the calling shell needs.
 */
final class ModuleCommand {

    /** The client's commands and the runtime's shell commands they run. */
    static final Map<String, String> COMMANDS = Map.ofEntries(
            Map.entry("lsmod", "l45:lsmod"), Map.entry("modinfo", "l45:modinfo"), Map.entry("insmod", "l45:insmod"),
            Map.entry("rmmod", "l45:rmmod"), Map.entry("activate", "l45:activate"),
            Map.entry("deactivate", "l45:deactivate"), Map.entry("deprecate", "l45:deprecate"),
            Map.entry("priority", "l45:priority"), Map.entry("param", "l45:param"), Map.entry("sockets", "l45:sockets"),
            Map.entry("stats", "l45:stats"), Map.entry("netstat", "l45:netstat"), Map.entry("ifconfig", "l45:ifconfig"),
            Map.entry("mhost", "l45:mhost"), Map.entry("netns", "l45:netns"));

    /** The client's command that stops the runtime gracefully, as the shell's {@code stop 0} does. */
    static final String STOP = "stop";

    private ModuleCommand() {
    }

    /**
     * @param command a command of {@link #COMMANDS}, or {@link #STOP}
     * @param args its arguments
     * @param socket the control socket
     * @return the command, ready to run
     * @throws CliException if an argument cannot be passed on literally
     */
    static RunCommand of(String command, List<String> args, Path socket) throws CliException {
        if (command.equals(STOP)) {
            if (!args.isEmpty()) {
                throw new CliException("stop takes no arguments: it stops the runtime, which drains its flows first");
            }
            return new RunCommand(socket, false, "stop 0");
        }
        StringBuilder line = new StringBuilder(COMMANDS.get(command));
        for (String arg : args) {
            line.append(' ').append(GogoArgs.quote(GogoArgs.checked(command, arg)));
        }
        return new RunCommand(socket, false, line.toString());
    }
}
