package layer45.mnet.time;

/**
 * The stack's monotonic time source, in nanoseconds from an arbitrary origin.
 *
 * <p>Every timer in the stack (reassembly, flow idle timeouts, ICMP rate limits, link delays, later TCP
 * retransmission) reads time from a {@code Clock} passed in, never from {@link System#nanoTime()} directly, so
 * tests drive the whole stack with a {@link ManualClock} and get the same result on every run.
 */
@FunctionalInterface
public interface Clock {

    /** The system's monotonic clock. */
    Clock SYSTEM = System::nanoTime;

    /** @return the current time in nanoseconds; only differences between two readings mean anything */
    long nanos();
}
