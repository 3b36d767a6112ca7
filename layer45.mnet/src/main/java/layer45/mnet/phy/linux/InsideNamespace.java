package layer45.mnet.phy.linux;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a short task, such as creating a socket, inside another network namespace: a socket stays bound to the
 * namespace it was created in, whichever thread uses it later.
 *
 * <p>The task runs on a platform thread of its own that enters the namespace with {@code setns(2)} (which moves
 * only the calling thread), runs the task, switches back and ends: no other thread of the JVM ever runs in the
 * other namespace, and the thread is never reused.
 */
public final class InsideNamespace {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    private static final long ENTER_TIMEOUT_MILLIS = 5000;

    private InsideNamespace() {
    }

    /** A task to run inside the namespace. */
    @FunctionalInterface
    public interface Task<T> {
        /**
         * @return its result
         * @throws IOException if it fails
         */
        T run() throws IOException;
    }

    /**
     * @param name a namespace's name, as {@code ip netns} knows it
     * @return its file, {@code /run/netns/NAME}
     */
    public static Path file(String name) {
        return Path.of("/run/netns", name);
    }

    /**
     * Runs a task inside a namespace and waits for it (at most 5 seconds).
     *
     * @param <T> the result's type
     * @param namespace the namespace's file ({@code /run/netns/NAME})
     * @param where the namespace as messages name it ({@code network namespace NAME})
     * @param task the task; it must not block for long
     * @return the task's result
     * @throws IOException if the namespace cannot be entered (it does not exist; entering it needs root or
     *         CAP_SYS_ADMIN) or the task failed; the message says which
     */
    public static <T> T call(Path namespace, String where, Task<T> task) throws IOException {
        Objects.requireNonNull(namespace, "namespace");
        if (Libc.UNAVAILABLE_REASON != null) {
            throw new IOException("cannot enter " + where + ": " + Libc.UNAVAILABLE_REASON);
        }
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread enter = Thread.ofPlatform().daemon().name("layer45-netns-enter").unstarted(() -> {
            try {
                outcome.set(enterAndRun(namespace, where, task));
            } catch (IOException | RuntimeException e) {
                outcome.set(e);
            }
        });
        enter.start();
        try {
            if (!enter.join(Duration.ofMillis(ENTER_TIMEOUT_MILLIS))) {
                throw new IOException("entering " + where + " took over " + ENTER_TIMEOUT_MILLIS + " ms; gave up");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while entering " + where, e);
        }
        Object result = outcome.get();
        if (result instanceof IOException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (result instanceof RuntimeException e) {
            throw e;
        }
        if (result == null) {
            throw new IllegalStateException("the thread entering " + where + " reported nothing");
        }
        @SuppressWarnings("unchecked")
        T value = (T) result;
        return value;
    }

    private static <T> T enterAndRun(Path namespace, String where, Task<T> task) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = Libc.newCallState(arena);
            int home = openReadOnly(arena, callState, "/proc/thread-self/ns/net");
            if (home < 0) {
                throw new IOException("cannot open this thread's network namespace (/proc/thread-self/ns/net): "
                        + Errno.describe(Libc.errno(callState)) + "; is /proc mounted?");
            }
            int target = -1;
            try {
                target = openReadOnly(arena, callState, namespace.toString());
                if (target < 0) {
                    int errno = Libc.errno(callState);
                    throw new IOException("cannot open " + where + ": " + Errno.describe(errno)
                            + (errno == Errno.ENOENT ? "; see ip netns list" : ""));
                }
                if ((int) Libc.SETNS.invokeExact(callState, target, Libc.CLONE_NEWNET) < 0) {
                    int errno = Libc.errno(callState);
                    throw new IOException("cannot enter " + where + " (setns): " + Errno.describe(errno)
                            + (errno == Errno.EPERM ? "; entering a namespace needs root or CAP_SYS_ADMIN" : ""));
                }
                try {
                    return task.run();
                } finally {
                    if ((int) Libc.SETNS.invokeExact(callState, home, Libc.CLONE_NEWNET) < 0) {
                        // Harmless: this thread ends right after, and nothing else runs on it.
                        LOG.log(Level.WARNING, "could not switch thread back from {0}: {1}", where,
                                Errno.describe(Libc.errno(callState)));
                    }
                }
            } finally {
                if (target >= 0) {
                    Libc.close(target);
                }
                Libc.close(home);
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw Libc.rethrow(e);
        }
    }

    private static int openReadOnly(Arena arena, MemorySegment callState, String path) throws Throwable {
        return (int) Libc.OPEN.invokeExact(callState, arena.allocateFrom(path), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
    }
}
