package layer45.mnet.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;

import layer45.mnet.phy.linux.CommandResult;
import layer45.mnet.phy.linux.NetworkNamespace;
import layer45.mnet.phy.linux.TunAccess;

/**
 * A network namespace for one test, named {@code l45t-<pid>-<n>}, deleted by {@link #close()} (use it in
 * try-with-resources or close it in {@code @AfterEach}). The first use in a JVM deletes {@code l45t-*} namespaces
 * left behind by earlier runs that crashed: those whose process id is no longer alive, so test runs in parallel
 * (other worktrees, other JVMs) keep theirs.
 *
 * <p>Tests that need root and TUN call {@link #assumeTunAvailable()} first: on a machine without the privilege
 * they are skipped with the one-line reason of {@link TunAccess#unavailableReason()}.
 */
public final class TestNamespace implements AutoCloseable {

    /** The prefix of every namespace this fixture creates. */
    public static final String PREFIX = "l45t-";

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Object SWEEP = new Object();
    private static boolean swept;

    private final NetworkNamespace namespace;

    private TestNamespace(NetworkNamespace namespace) {
        this.namespace = namespace;
    }

    /** Skips the calling test, with the reason, unless this process can create TUN devices. */
    public static void assumeTunAvailable() {
        String reason = TunAccess.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "needs a TUN device: " + reason);
    }

    /** Skips the calling test unless the process runs as root, which creating namespaces needs. */
    public static void assumeRoot() {
        Assumptions.assumeTrue(effectiveUid() == 0,
                () -> "needs root to create network namespaces; this process runs as uid " + effectiveUid());
    }

    /** @return the process's effective user id, from {@code /proc/self/status}; -1 if unknown */
    public static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).strip().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Creates a fresh namespace; call {@link #assumeTunAvailable()} first, as it needs root.
     *
     * @return the namespace, which {@link #close()} deletes
     */
    public static TestNamespace create() {
        sweepOnce();
        String name = PREFIX + ProcessHandle.current().pid() + "-" + NEXT.getAndIncrement();
        return new TestNamespace(NetworkNamespace.create(name));
    }

    /**
     * Deletes the {@code l45t-<pid>-<n>} namespaces whose process is gone.
     *
     * @return how many it deleted
     */
    public static int sweepLeftovers() {
        int deleted = 0;
        for (String name : NetworkNamespace.list()) {
            long pid = ownerPid(name);
            if (pid > 0 && ProcessHandle.of(pid).isEmpty()) {
                NetworkNamespace.delete(name);
                deleted++;
            }
        }
        return deleted;
    }

    /**
     * @param name a namespace name
     * @return the process id in a {@code l45t-<pid>-<n>} name, or -1 for any other name
     */
    static long ownerPid(String name) {
        if (!name.startsWith(PREFIX)) {
            return -1;
        }
        String rest = name.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0 || !rest.substring(0, dash).chars().allMatch(Character::isDigit)
                || !rest.substring(dash + 1).chars().allMatch(Character::isDigit) || dash == rest.length() - 1) {
            return -1;
        }
        return Long.parseLong(rest.substring(0, dash));
    }

    private static void sweepOnce() {
        synchronized (SWEEP) {
            if (!swept) {
                swept = true;
                sweepLeftovers();
            }
        }
    }

    /** @return the namespace's name */
    public String name() {
        return namespace.name();
    }

    /** @return the namespace */
    public NetworkNamespace namespace() {
        return namespace;
    }

    /**
     * Runs a command in the namespace with a ten-second limit.
     *
     * @param command the program and its arguments
     * @return how it ended
     */
    public CommandResult exec(String... command) {
        return namespace.exec(Duration.ofSeconds(10), command);
    }

    /** Deletes the namespace; idempotent. */
    @Override
    public void close() {
        namespace.close();
    }
}
