package layer45.mnet.phy;

/**
 * What a {@link FaultInjectingDevice} does to the packets it receives. Start from {@link #NONE} or
 * {@link #seeded(long)} and change one fault at a time with the {@code with...} methods:
 * {@code FaultOptions.seeded(7).withLoss(0.01).withDelayNanos(20_000_000)}.
 *
 * @param seed seeds every random decision: the same seed, packets and clock readings give the same outcome
 * @param loss probability in [0, 1] that a packet is dropped
 * @param duplication probability in [0, 1] that a packet is delivered twice
 * @param reordering probability in [0, 1] that a packet is held back so later packets overtake it
 * @param corruption probability in [0, 1] that one random bit of a packet is flipped
 * @param delayNanos fixed delay added to every packet, in clock nanoseconds; at most {@value #MAX_DELAY_NANOS}
 * @param jitterNanos a random extra delay is drawn uniformly from [0, jitterNanos] per packet; at most
 *        {@value #MAX_DELAY_NANOS}
 * @param rateBytesPerSecond the bottleneck's rate: packets are serialized one after another at this many bytes per
 *        second; 0 means no limit
 * @param queueCapacity how many packets (duplicates included) may be held at once; later ones are tail-dropped.
 *        Each held packet occupies a preallocated slot of the inner device's MTU.
 */
public record FaultOptions(long seed, double loss, double duplication, double reordering, double corruption,
        long delayNanos, long jitterNanos, long rateBytesPerSecond, int queueCapacity) {

    /** The queue capacity of {@link #NONE}: 256 packets. */
    public static final int DEFAULT_QUEUE_CAPACITY = 256;
    /** The longest delay or jitter accepted: one hour, far beyond any network and safe from overflow. */
    public static final long MAX_DELAY_NANOS = 3_600_000_000_000L;

    /** No faults, seed 0, {@value #DEFAULT_QUEUE_CAPACITY} packets of queue: every packet passes unchanged. */
    public static final FaultOptions NONE = new FaultOptions(0, 0, 0, 0, 0, 0, 0, 0, DEFAULT_QUEUE_CAPACITY);

    /**
     * @throws IllegalArgumentException if a probability is outside [0, 1] (or NaN), a delay, jitter or rate is
     *         negative, a delay or jitter exceeds {@value #MAX_DELAY_NANOS}, or the queue capacity is not positive
     */
    public FaultOptions {
        checkProbability("loss", loss);
        checkProbability("duplication", duplication);
        checkProbability("reordering", reordering);
        checkProbability("corruption", corruption);
        checkDelay("delayNanos", delayNanos);
        checkDelay("jitterNanos", jitterNanos);
        if (rateBytesPerSecond < 0) {
            throw new IllegalArgumentException("fault option rateBytesPerSecond is " + rateBytesPerSecond
                    + ": give a positive rate, or 0 for no limit");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("fault option queueCapacity is " + queueCapacity
                    + ": the device needs room for at least 1 packet");
        }
    }

    private static void checkProbability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("fault option " + name + " is " + value
                    + ": give a probability between 0 and 1 (0.01 drops one packet in a hundred)");
        }
    }

    private static void checkDelay(String name, long value) {
        if (value < 0 || value > MAX_DELAY_NANOS) {
            throw new IllegalArgumentException("fault option " + name + " is " + value
                    + " ns: give a duration between 0 and " + MAX_DELAY_NANOS + " ns (one hour)");
        }
    }

    /**
     * @param seed the seed
     * @return {@link #NONE} with this seed
     */
    public static FaultOptions seeded(long seed) {
        return NONE.withSeed(seed);
    }

    /** @return {@code true} if these options change, drop, delay or limit nothing */
    public boolean isNone() {
        return loss == 0 && duplication == 0 && reordering == 0 && corruption == 0 && delayNanos == 0
                && jitterNanos == 0 && rateBytesPerSecond == 0;
    }

    /**
     * @param value the new seed
     * @return a copy with it
     */
    public FaultOptions withSeed(long value) {
        return new FaultOptions(value, loss, duplication, reordering, corruption, delayNanos, jitterNanos,
                rateBytesPerSecond, queueCapacity);
    }

    /**
     * @param value the new loss probability
     * @return a copy with it
     */
    public FaultOptions withLoss(double value) {
        return new FaultOptions(seed, value, duplication, reordering, corruption, delayNanos, jitterNanos,
                rateBytesPerSecond, queueCapacity);
    }

    /**
     * @param value the new duplication probability
     * @return a copy with it
     */
    public FaultOptions withDuplication(double value) {
        return new FaultOptions(seed, loss, value, reordering, corruption, delayNanos, jitterNanos,
                rateBytesPerSecond, queueCapacity);
    }

    /**
     * @param value the new reordering probability
     * @return a copy with it
     */
    public FaultOptions withReordering(double value) {
        return new FaultOptions(seed, loss, duplication, value, corruption, delayNanos, jitterNanos,
                rateBytesPerSecond, queueCapacity);
    }

    /**
     * @param value the new corruption probability
     * @return a copy with it
     */
    public FaultOptions withCorruption(double value) {
        return new FaultOptions(seed, loss, duplication, reordering, value, delayNanos, jitterNanos,
                rateBytesPerSecond, queueCapacity);
    }

    /**
     * @param value the new fixed delay in nanoseconds
     * @return a copy with it
     */
    public FaultOptions withDelayNanos(long value) {
        return new FaultOptions(seed, loss, duplication, reordering, corruption, value, jitterNanos,
                rateBytesPerSecond, queueCapacity);
    }

    /**
     * @param value the new jitter bound in nanoseconds
     * @return a copy with it
     */
    public FaultOptions withJitterNanos(long value) {
        return new FaultOptions(seed, loss, duplication, reordering, corruption, delayNanos, value,
                rateBytesPerSecond, queueCapacity);
    }

    /**
     * @param value the new rate in bytes per second, 0 for no limit
     * @return a copy with it
     */
    public FaultOptions withRateBytesPerSecond(long value) {
        return new FaultOptions(seed, loss, duplication, reordering, corruption, delayNanos, jitterNanos, value,
                queueCapacity);
    }

    /**
     * @param value the new queue capacity in packets
     * @return a copy with it
     */
    public FaultOptions withQueueCapacity(int value) {
        return new FaultOptions(seed, loss, duplication, reordering, corruption, delayNanos, jitterNanos,
                rateBytesPerSecond, value);
    }
}
