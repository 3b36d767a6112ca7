package layer45.mnet.loop;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import layer45.mnet.iface.Interface;
import layer45.mnet.phy.Device;
import layer45.mnet.time.Clock;

/**
 * The thread that runs an {@link Interface}: it polls the device, runs the interface's timers and the tasks other
 * threads hand it, and waits on the device when there is nothing to do.
 *
 * <p>All stack state belongs to this thread, so the packet path takes no locks. Other threads reach the stack only
 * through {@link #execute(Runnable)} and {@link #call(Supplier)}, which queue a task and wake the loop.
 *
 * <p>The thread is a platform thread: it blocks in {@code ppoll(2)} inside the TUN device, which would pin a virtual
 * thread's carrier anyway.
 */
public final class NetLoop {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    /** Packets taken per poll before tasks and timers get their turn. */
    static final int BUDGET = 64;
    /** The longest the loop waits on the device without looking at the clock again. */
    private static final long MAX_WAIT = TimeUnit.MILLISECONDS.toNanos(500);

    private final Interface iface;
    private final Device device;
    private final Clock clock;
    private final String name;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private volatile boolean running;
    private volatile String failure;

    /**
     * @param iface the interface to run
     * @param clock the stack's clock
     * @param name the thread's name
     */
    public NetLoop(Interface iface, Clock clock, String name) {
        this.iface = iface;
        this.device = iface.device();
        this.clock = clock;
        this.name = name;
    }

    /** Starts the loop thread. */
    public synchronized void start() {
        if (thread.get() != null) {
            throw new IllegalStateException("network loop " + name + " was already started");
        }
        running = true;
        Thread loop = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        thread.set(loop);
        loop.start();
    }

    /**
     * Stops the loop and waits for its thread to end: running tasks finish, and the thread leaves the device
     * alone before this returns, so the device can be closed safely afterwards.
     *
     * @param timeoutMillis the longest wait for the thread
     * @return whether the thread ended in time
     */
    public boolean stop(long timeoutMillis) {
        running = false;
        device.wakeup();
        Thread loop = thread.get();
        if (loop == null || loop == Thread.currentThread()) {
            return true;
        }
        try {
            loop.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !loop.isAlive();
    }

    /**
     * Runs a task on the loop thread, soon. Any thread.
     *
     * @param task the task; what it throws is logged
     */
    public void execute(Runnable task) {
        tasks.add(task);
        device.wakeup();
    }

    /**
     * Runs a task on the loop thread and waits for its result: for operators' questions (flows, counters). On the
     * loop thread itself, or when the loop is not running (not started, stopped, or stopped by a device failure),
     * the task runs at once on the calling thread.
     *
     * @param <T> the result type
     * @param task the task
     * @return its result
     * @throws IllegalStateException if the loop does not answer within 5 s
     */
    public <T> T call(Supplier<T> task) {
        // After a device failure the thread has ended (or is ending): nothing would take the task.
        if (!isRunning() || Thread.currentThread() == thread.get()) {
            return task.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("network loop " + name + " did not answer within 5 s; it may be stuck"
                    + " in a customization call (see the runtime's watchdog log)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for network loop " + name, e);
        }
    }

    /** @return whether the loop runs */
    public boolean isRunning() {
        return running && failure == null;
    }

    /** @return why the loop stopped on its own (its device failed), or {@code null} */
    public String failure() {
        return failure;
    }

    /** @return whether the current thread is the loop thread */
    public boolean inLoop() {
        return Thread.currentThread() == thread.get();
    }

    private void run() {
        try {
            while (running) {
                runTasks();
                int taken = iface.poll(BUDGET);
                String broken = device.failure();
                if (broken != null) {
                    failure = broken;
                    LOG.log(System.Logger.Level.ERROR, "mnet: network loop " + name + " stopped: its device failed: " + broken);
                    return;
                }
                if (taken == 0 && tasks.isEmpty()) {
                    long wait = Math.min(MAX_WAIT, Math.max(0, iface.pollAt() - clock.nanos()));
                    if (wait > 0) {
                        device.await(wait);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e.toString();
            LOG.log(System.Logger.Level.ERROR, "mnet: network loop " + name + " stopped on an unexpected error", e);
        } finally {
            runTasks();
        }
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "mnet: a task on network loop " + name + " failed", e);
            }
        }
    }
}
