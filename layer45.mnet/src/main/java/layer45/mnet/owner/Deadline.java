package layer45.mnet.owner;

/** The end of one lookup's time box, on {@link System#nanoTime()}. */
final class Deadline {

    private final long start;
    private final long end;

    private Deadline(long start, long budgetNanos) {
        this.start = start;
        this.end = start + budgetNanos;
    }

    /** @return a deadline {@code budgetNanos} from now */
    static Deadline in(long budgetNanos) {
        return new Deadline(System.nanoTime(), budgetNanos);
    }

    /** @return whether the time box is used up */
    boolean passed() {
        return System.nanoTime() - end >= 0;
    }

    /** @return nanoseconds left, 0 once passed */
    long leftNanos() {
        return Math.max(0, end - System.nanoTime());
    }

    /** @return the whole budget in milliseconds, for messages */
    long budgetMillis() {
        return (end - start) / 1_000_000;
    }
}
