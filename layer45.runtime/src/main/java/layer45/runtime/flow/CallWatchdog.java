package layer45.runtime.flow;

import java.lang.System.Logger.Level;

/**
 * Finds module calls running past the call budget while they run, so a stuck module costs one flow rather than
 * the stack: the flow is aborted through the stack, the fault counted, the module deactivated past its budget.
 *
 * <p>Java cannot stop a thread safely, so the thread in the stuck call stays there; the watchdog makes sure
 * nothing waits for it. It scans at a quarter of the budget (between 5 and 250 ms) and reports a call once it has
 * seen it in progress for the whole budget: never early, and at most two scans (half a budget) late. Flows read no
 * clock for this; they only publish which call is in progress.
 */
public final class CallWatchdog implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("layer45.runtime");

    private final FlowTable table;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param table the flows to watch */
    public CallWatchdog(FlowTable table) {
        this.table = table;
        this.thread = Thread.ofPlatform().daemon().name("layer45-call-watchdog").unstarted(this::loop);
    }

    /** Starts watching. */
    public void start() {
        thread.start();
    }

    private void loop() {
        while (running) {
            long interval = Math.clamp(table.settings().callBudgetMillis() / 4, 5, 250);
            try {
                Thread.sleep(interval);
                table.checkCallBudgets();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "layer45 call watchdog failed; continuing", e);
            }
        }
    }

    /** Stops watching. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
