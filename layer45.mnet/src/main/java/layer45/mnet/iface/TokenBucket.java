package layer45.mnet.iface;

import layer45.mnet.time.Clock;

/**
 * A token bucket: allows {@code rate} events per second on average and bursts of up to {@code burst}. Refilled
 * lazily from the clock, so it needs no timer. Used to rate-limit ICMP errors, as Linux does with
 * {@code net.ipv4.icmp_msgs_per_sec} and {@code icmp_msgs_burst} (1000 and 50 by default).
 */
public final class TokenBucket {

    private final Clock clock;
    private final long nanosPerToken;
    private final long capacity;
    private long tokensNanos;
    private long last;

    /**
     * @param rate tokens per second, at least 1
     * @param burst the most tokens saved up, at least 1
     * @param clock the stack's clock
     */
    public TokenBucket(int rate, int burst, Clock clock) {
        if (rate < 1 || burst < 1) {
            throw new IllegalArgumentException("a token bucket needs a rate and a burst of at least 1, not " + rate
                    + "/s and " + burst);
        }
        this.clock = clock;
        this.nanosPerToken = 1_000_000_000L / rate;
        this.capacity = nanosPerToken * burst;
        this.tokensNanos = capacity;
        this.last = clock.nanos();
    }

    /** @return {@code true} and takes a token if one is available */
    public boolean tryTake() {
        long now = clock.nanos();
        tokensNanos = Math.min(capacity, tokensNanos + Math.min(now - last, capacity));
        last = now;
        if (tokensNanos >= nanosPerToken) {
            tokensNanos -= nanosPerToken;
            return true;
        }
        return false;
    }
}
