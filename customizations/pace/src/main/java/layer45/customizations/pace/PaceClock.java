package layer45.customizations.pace;

import java.util.concurrent.TimeUnit;

/** The time pacing reads and the way it waits: the system's, or a test's. */
interface PaceClock {

    /** The system clock and {@link Thread#sleep}. */
    PaceClock SYSTEM = new PaceClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    };

    /** @return a monotonic time in nanoseconds, as {@link System#nanoTime()} */
    long nanoTime();

    /**
     * Waits.
     *
     * @param nanos how long, more than 0
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    void sleep(long nanos) throws InterruptedException;
}
