package layer45.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code layer45.cli.Main SUBCOMMAND ...}: the client of a running runtime, as {@code ./layer45 exec} starts it.
 *
 * <pre>
 * exec [--netns NAME] [--join] [--forward SPEC]... [--socket PATH] -- CMD ARGS...
 * run [--socket PATH] [--stdin] 'GOGO COMMAND LINE'
 * </pre>
 *
 * The exit status is the command's; {@value CliException#STATUS} when the client itself failed (no runtime, not
 * root, the attach refused), with the reason on standard error.
 */
public final class Main {

    static final String USAGE = """
            usage: layer45 exec [--netns NAME] [--join] [--forward SPEC]... [--socket PATH] -- CMD [ARGS...]
                     runs CMD in a network namespace whose only link goes to the running runtime's stack; the
                     namespace lives as long as CMD (needs root). --netns names it (default l45-<pid>), --join
                     joins an existing one instead of creating it, --forward tcp|udp:[HOST:]HOSTPORT:NSPORT
                     forwards a host port into it (repeatable)
                   layer45 run [--socket PATH] [--stdin] 'GOGO COMMAND LINE'
                     runs one shell command in the runtime, such as 'l45:lsmod', and exits with its status;
                     --stdin streams standard input to it
            --socket PATH is the runtime's control socket (default /run/layer45/layer45.sock as root, else
            <layer45.home>/cnf/target/layer45.sock)""";

    private Main() {
    }

    /** @param args the subcommand and its arguments */
    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.err));
    }

    /**
     * @param args the subcommand and its arguments
     * @param err where the client's own messages go
     * @return the exit status
     */
    static int run(List<String> args, PrintStream err) {
        String command = args.isEmpty() ? "help" : args.getFirst();
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        try {
            return switch (command) {
                case "exec" -> new ExecCommand(ExecOptions.parse(rest), err).run();
                case "run" -> RunCommand.parse(rest).run();
                case "help", "-h", "--help" -> {
                    System.out.println(USAGE);
                    yield 0;
                }
                default -> throw new CliException("unknown command '" + command + "'\n" + USAGE);
            };
        } catch (CliException e) {
            err.println("layer45: " + e.getMessage());
            return CliException.STATUS;
        }
    }
}
