package layer45.customizations.pace;

import java.util.concurrent.TimeUnit;

/**
 * The pace in force: checked, in the units the hot path uses, replaced whole when the configuration changes.
 *
 * @param delayNanos the wait before each chunk sent
 * @param rateBytesPerSecond the token bucket's rate; 0 when there is no rate limit
 * @param burstBytes the token bucket's size
 * @param passToNext whether the next module decides for a chunk once it has waited
 */
record PacePolicy(long delayNanos, long rateBytesPerSecond, long burstBytes, boolean passToNext) {

    /**
     * @param config the component's configuration
     * @return the policy
     * @throws IllegalArgumentException naming the parameter that is out of range
     */
    static PacePolicy from(Pace.Config config) {
        if (config.delay_ms() < 0 || config.delay_ms() > TimeUnit.DAYS.toMillis(1)) {
            throw new IllegalArgumentException("pace: delay.ms is " + config.delay_ms()
                    + "; use 0 (no delay) up to 86400000 milliseconds");
        }
        if (config.rate_bytes_per_s() < 0) {
            throw new IllegalArgumentException("pace: rate.bytes.per.s is " + config.rate_bytes_per_s()
                    + "; use 0 (no rate limit) or more");
        }
        if (config.burst_bytes() < 1) {
            throw new IllegalArgumentException("pace: burst.bytes is " + config.burst_bytes()
                    + "; use 1 or more (bytes a flow may send at once after being idle)");
        }
        return new PacePolicy(TimeUnit.MILLISECONDS.toNanos(config.delay_ms()), config.rate_bytes_per_s(),
                config.burst_bytes(), config.pass_to_next());
    }

    /** @return whether a rate limit is set */
    boolean limitsRate() {
        return rateBytesPerSecond > 0;
    }
}
