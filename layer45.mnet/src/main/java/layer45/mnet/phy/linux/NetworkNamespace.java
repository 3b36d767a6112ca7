package layer45.mnet.phy.linux;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A named network namespace of iproute2 ({@code ip netns}, mounted under {@code /run/netns}): a separate set of
 * links, addresses, routes and sockets, where the stack's TUN device and the programs it serves live.
 *
 * <p>{@link #close()} deletes the namespace only if this object created it.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}");

    private final String name;
    private final boolean owned;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NetworkNamespace(String name, boolean owned) {
        this.name = name;
        this.owned = owned;
    }

    /**
     * Creates a namespace ({@code ip netns add NAME}); it starts with only {@code lo}, down.
     *
     * @param name its name: letters, digits, {@code .}, {@code _} and {@code -}, at most 64
     * @return the namespace, deleted by {@link #close()}
     * @throws CommandFailedException if it exists already or the process may not create namespaces (needs root
     *         or CAP_SYS_ADMIN)
     */
    public static NetworkNamespace create(String name) {
        checkName(name);
        ip("netns", "add", name);
        LOG.log(Level.DEBUG, "created network namespace {0}", name);
        return new NetworkNamespace(name, true);
    }

    /**
     * @param name the name of an existing namespace
     * @return the namespace; {@link #close()} leaves it in place
     * @throws IllegalArgumentException if there is no such namespace
     */
    public static NetworkNamespace open(String name) {
        if (!exists(name)) {
            throw new IllegalArgumentException("network namespace " + name + " does not exist (see ip netns list):"
                    + " create it with NetworkNamespace.create or ip netns add " + name);
        }
        return new NetworkNamespace(name, false);
    }

    /**
     * Deletes a namespace whatever created it ({@code ip netns del NAME}); its links go with it.
     *
     * @param name the namespace's name
     * @throws CommandFailedException if there is no such namespace or the process may not delete it
     */
    public static void delete(String name) {
        checkName(name);
        ip("netns", "del", name);
        LOG.log(Level.DEBUG, "deleted network namespace {0}", name);
    }

    /**
     * @param name a namespace name
     * @return whether {@code ip netns list} shows it
     */
    public static boolean exists(String name) {
        checkName(name);
        return list().contains(name);
    }

    /** @return the names of the namespaces {@code ip netns list} shows */
    public static List<String> list() {
        List<String> names = new ArrayList<>();
        for (String line : ip("netns", "list").stdout().split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty()) {
                int space = trimmed.indexOf(' ');
                names.add(space < 0 ? trimmed : trimmed.substring(0, space));
            }
        }
        return names;
    }

    /** @return the namespace's name, as {@code ip -n} and {@link LinkConfigurator} take it */
    public String name() {
        return name;
    }

    /**
     * Runs a command inside the namespace ({@code ip netns exec NAME command...}) and waits for it.
     *
     * @param timeout how long it may run; it is killed afterwards
     * @param command the program and its arguments, run without a shell
     * @return how it ended, whatever its exit code
     * @throws CommandFailedException if it cannot start or does not finish in time
     */
    public CommandResult exec(Duration timeout, String... command) {
        return CommandRunner.processes().run(inside(command), timeout);
    }

    /**
     * Starts a command inside the namespace without waiting, for servers; the caller reads its output and ends it.
     *
     * @param command the program and its arguments, run without a shell
     * @return the process
     * @throws CommandFailedException if it cannot start
     */
    public Process start(String... command) {
        List<String> argv = inside(command);
        LOG.log(Level.DEBUG, "starting {0}", String.join(" ", argv));
        return ProcessCommandRunner.start(argv);
    }

    /** Deletes the namespace ({@code ip netns del NAME}) if this object created it; idempotent. */
    @Override
    public void close() {
        if (owned && closed.compareAndSet(false, true)) {
            delete(name);
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }

    /**
     * @param name a namespace name to check
     * @throws IllegalArgumentException if it is not a name this class accepts
     */
    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("network namespace name \"" + name + "\" is not 1 to 64 letters, "
                    + "digits, '.', '_' or '-' (not starting with '-')");
        }
    }

    private List<String> inside(String... command) {
        if (command.length == 0) {
            throw new IllegalArgumentException("no command given to run in network namespace " + name);
        }
        List<String> argv = new ArrayList<>(List.of(ProcessCommandRunner.ip(), "netns", "exec", name));
        argv.addAll(List.of(command));
        return argv;
    }

    private static CommandResult ip(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessCommandRunner.ip());
        command.addAll(List.of(arguments));
        return CommandRunner.processes().run(command, TIMEOUT).requireSuccess();
    }
}
