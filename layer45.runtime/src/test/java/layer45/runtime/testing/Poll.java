package layer45.runtime.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting in tests for what happens on other threads: bounded in time and in tries. */
public final class Poll {

    private Poll() {
    }

    /**
     * Polls a condition every 5 ms, for at most 10 s.
     *
     * @param what what is awaited, for the failure message
     * @param condition the condition
     * @throws AssertionError if it does not hold in time
     */
    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int attempt = 0; attempt < 2000 && System.nanoTime() - deadline < 0; attempt++) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
        throw new AssertionError("gave up waiting for " + what + " after 10 s");
    }
}
