package layer45.mnet.time;

import java.util.concurrent.TimeUnit;

/** A clock that moves only when a test moves it: deterministic timers. Safe to read from any thread. */
public final class ManualClock implements Clock {

    private volatile long nanos;

    /** Starts at zero. */
    public ManualClock() {
        this(0);
    }

    /** @param start the first reading */
    public ManualClock(long start) {
        this.nanos = start;
    }

    @Override
    public long nanos() {
        return nanos;
    }

    /**
     * Moves the clock forward.
     *
     * @param amount how far
     * @param unit its unit
     * @throws IllegalArgumentException if {@code amount} is negative: monotonic time never goes back
     */
    public synchronized void advance(long amount, TimeUnit unit) {
        if (amount < 0) {
            throw new IllegalArgumentException("a monotonic clock cannot go back by " + amount + " " + unit);
        }
        nanos += unit.toNanos(amount);
    }

    /**
     * Moves the clock to a later instant; an earlier one leaves it where it is.
     *
     * @param instant the reading to reach
     */
    public synchronized void advanceTo(long instant) {
        if (instant > nanos) {
            nanos = instant;
        }
    }
}
