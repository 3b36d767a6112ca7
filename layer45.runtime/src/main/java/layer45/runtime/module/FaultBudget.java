package layer45.runtime.module;

/**
 * Counts a module's faults in a sliding time window and says when there were too many: more than
 * {@code budget} faults within {@code window} milliseconds. Not thread safe; the module guards it.
 */
final class FaultBudget {

    private final long[] times;
    private final long window;
    private int next;
    private int recorded;

    /**
     * @param budget faults tolerated in the window; the next one exceeds the budget
     * @param window the window in milliseconds
     */
    FaultBudget(int budget, long window) {
        this.times = new long[budget + 1];
        this.window = window;
    }

    /**
     * @param now the fault's time in milliseconds
     * @return whether this fault exceeds the budget
     */
    boolean record(long now) {
        times[next] = now;
        next = (next + 1) % times.length;
        recorded = Math.min(recorded + 1, times.length);
        // With the ring full, times[next] is the oldest of the last budget+1 faults.
        return recorded == times.length && now - times[next] <= window;
    }

    /** @return faults recorded in the window ending now */
    int inWindow(long now) {
        int n = 0;
        for (int i = 0; i < recorded; i++) {
            if (now - times[i] <= window) {
                n++;
            }
        }
        return n;
    }

    void reset() {
        next = 0;
        recorded = 0;
    }
}
