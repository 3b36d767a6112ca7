package layer45.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code layer45.cli.Main [--socket PATH] SUBCOMMAND ...}: the client of a running runtime, as the {@code layer45}
 * launchers start it (the source checkout's {@code ./layer45} and the installed {@code /usr/bin/layer45}).
 *
 * <pre>
 * shell                                 a Gogo session in the runtime
 * lsmod, insmod JAR [k=v...], rmmod ... one module command, mapped to the runtime's l45: command
 * stop                                  stops the runtime gracefully
 * exec [--netns NAME] [--join] [--forward SPEC]... [--socket PATH] -- CMD ARGS...
 * run [--socket PATH] [--stdin] 'GOGO COMMAND LINE'
 * </pre>
 *
 * The exit status is the command's ({@link ExitStatus}: 0 done, 1 the command failed, 2 the runtime refused the
 * request, 3 no runtime is running, 4 the socket is not this user's); {@value CliException#STATUS} when the client
 * itself failed, with the reason on standard error.
 */
public final class Main {

    static final String USAGE = """
            usage: layer45 [--socket PATH] COMMAND ...
                   layer45 shell
                     a shell session in the running runtime: line editing on a terminal, or commands from
                     standard input one a line; exit or Ctrl-D leaves it, the runtime goes on
                   layer45 lsmod | modinfo NAME... | insmod JAR [key=value...] | rmmod [-f] NAME... |
                           activate NAME... | deactivate NAME... | deprecate NAME... | priority NAME N |
                           param NAME key=value... | sockets | stats | netstat | ifconfig | mhost | netns
                     runs the module or network command of that name in the runtime (as l45:lsmod ...)
                   layer45 stop
                     stops the runtime gracefully: new flows are refused, open ones drained, then reset
                   layer45 exec [--netns NAME] [--join] [--forward SPEC]... [--socket PATH] -- CMD [ARGS...]
                     runs CMD in a network namespace whose only link goes to the running runtime's stack; the
                     namespace lives as long as CMD (needs root). --netns names it (default l45-<pid>), --join
                     joins an existing one instead of creating it, --forward tcp|udp:[HOST:]HOSTPORT:NSPORT
                     forwards a host port into it (repeatable)
                   layer45 run [--socket PATH] [--stdin] 'GOGO COMMAND LINE'
                     runs one shell command in the runtime, such as 'l45:lsmod', and exits with its status;
                     --stdin streams standard input to it
            --socket PATH (or the environment's LAYER45_SOCKET) is the runtime's control socket (default
            /run/layer45/layer45.sock as root, else <layer45.home>/cnf/target/layer45.sock).
            Exit status: 0 done, 1 the command failed, 2 the runtime refused the request, 3 no runtime is
            running, 4 permission denied on the socket (it is root's), 125 the client failed.""";

    private Main() {
    }

    /** @param args the subcommand and its arguments */
    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.err));
    }

    /**
     * @param args the subcommand and its arguments, after an optional {@code --socket PATH}
     * @param err where the client's own messages go
     * @return the exit status
     */
    static int run(List<String> args, PrintStream err) {
        try {
            Path socket = null;
            List<String> words = args;
            if (!words.isEmpty() && words.getFirst().equals("--socket")) {
                socket = Path.of(ExecOptions.value(words, 1, "--socket", "PATH"));
                words = words.subList(2, words.size());
            }
            String command = words.isEmpty() ? "help" : words.getFirst();
            List<String> rest = words.isEmpty() ? List.of() : words.subList(1, words.size());
            Path target = socket != null ? socket : ExecOptions.defaultSocket();
            return switch (command) {
                case "exec" -> new ExecCommand(ExecOptions.parse(withSocket(socket, rest)), err).run();
                case "run" -> RunCommand.parse(withSocket(socket, rest)).run();
                case "shell" -> {
                    if (!rest.isEmpty()) {
                        throw new CliException("shell takes no arguments; feed it commands on standard input,"
                                + " one a line, or run one with: layer45 COMMAND ARGS (layer45 lsmod)");
                    }
                    yield new ShellCommand(target, err).run();
                }
                case "help", "-h", "--help" -> {
                    System.out.println(USAGE);
                    yield 0;
                }
                default -> {
                    if (!ModuleCommand.COMMANDS.containsKey(command) && !command.equals(ModuleCommand.STOP)) {
                        throw new CliException("unknown command '" + command + "'\n" + USAGE);
                    }
                    yield ModuleCommand.of(command, rest, target).run();
                }
            };
        } catch (CliException e) {
            err.println("layer45: " + e.getMessage());
            return e.status();
        }
    }

    /** @return the arguments of exec or run, with a global {@code --socket} put before them */
    private static List<String> withSocket(Path socket, List<String> rest) {
        if (socket == null) {
            return rest;
        }
        List<String> with = new ArrayList<>(List.of("--socket", socket.toString()));
        with.addAll(rest);
        return with;
    }
}
