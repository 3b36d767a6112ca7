package layer45.mnet.phy;

/**
 * What a {@link FaultInjectingDevice} counts. Every packet taken from the inner device is {@link #RECEIVED} and then
 * either {@link #LOST}, dropped ({@link #RATE_DROPPED}, {@link #QUEUE_FULL}), or queued and later {@link #PASSED};
 * a duplicate is one more copy that is dropped or passed the same way. The other counters mark what was done to
 * packets on their way through.
 */
public enum FaultEvent {
    /** Packets taken from the inner device. */
    RECEIVED,
    /** Packets dropped by the loss fault. */
    LOST,
    /** Extra copies made by the duplication fault. */
    DUPLICATED,
    /** Packets with one bit flipped by the corruption fault. */
    CORRUPTED,
    /** Packets held back by the reordering fault so that later packets overtake them. */
    REORDERED,
    /** Packets given a delay (fixed delay plus jitter) greater than zero. */
    DELAYED,
    /** Packets (or copies) dropped because the queue was full while the rate-limited bottleneck had a backlog. */
    RATE_DROPPED,
    /** Packets (or copies) dropped because the queue was full of delayed or held packets, with no backlog. */
    QUEUE_FULL,
    /** Packets (copies included) handed to the stack. */
    PASSED
}
