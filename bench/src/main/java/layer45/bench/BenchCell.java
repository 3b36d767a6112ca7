package layer45.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import layer45.mnet.loop.RunningStack;
import layer45.mnet.phy.linux.NetworkNamespace;
import layer45.mnet.phy.linux.TunLink;
import layer45.runtime.Layer45Runtime;

/**
 * What one measurement set up, torn down in reverse by {@link #close()} (idempotent, any thread). The one in
 * progress is known to the shutdown hook, so that Ctrl-C leaves no namespace, device or process behind.
 */
final class BenchCell implements AutoCloseable {

    private static final Object CURRENT_LOCK = new Object();
    private static BenchCell current;
    private static boolean shuttingDown;

    private final List<NetworkNamespace> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    TunLink link;
    TunReflector reflector;
    RunningStack stack;
    Layer45Runtime runtime;
    private boolean closed;

    private BenchCell() {
    }

    /** @return a new cell, the one in progress; fails once the JVM is shutting down */
    static BenchCell open() {
        BenchCell cell = new BenchCell();
        synchronized (CURRENT_LOCK) {
            if (shuttingDown) {
                throw new IllegalStateException("the benchmark is shutting down");
            }
            current = cell;
        }
        return cell;
    }

    /** Closes the cell in progress at shutdown, in a thread named {@code name}; no cell opens after it. */
    static void closeOnShutdown(String name) {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name(name).unstarted(() -> {
            synchronized (CURRENT_LOCK) {
                shuttingDown = true;
                if (current != null) {
                    current.close();
                }
            }
        }));
    }

    synchronized NetworkNamespace namespace(NetworkNamespace value) {
        namespaces.add(value);
        return value;
    }

    synchronized Process process(Process value) {
        processes.add(value);
        return value;
    }

    synchronized TunLink link(TunLink value) {
        return link = value;
    }

    synchronized TunReflector reflector(TunReflector value) {
        return reflector = value;
    }

    synchronized RunningStack stack(RunningStack value) {
        return stack = value;
    }

    synchronized Layer45Runtime runtime(Layer45Runtime value) {
        return runtime = value;
    }

    @Override
    public void close() {
        try {
            tearDown();
        } finally {
            // Not under this cell's lock: the shutdown hook takes CURRENT_LOCK first, then this one.
            synchronized (CURRENT_LOCK) {
                if (current == this) {
                    current = null;
                }
            }
        }
    }

    private synchronized void tearDown() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        attempt(failures, reflector == null ? null : reflector::close);
        attempt(failures, stack == null ? null : stack::close);
        attempt(failures, runtime == null ? null : runtime::close);
        attempt(failures, link == null ? null : link::close);
        for (NetworkNamespace ns : namespaces) {
            attempt(failures, ns::close);
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void attempt(List<RuntimeException> failures, Runnable step) {
        if (step != null) {
            try {
                step.run();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
    }
}
