package layer45.customizations.pace;

/**
 * A token bucket for one flow: it fills at the rate up to the burst size, and each chunk sent takes its length out.
 * A chunk larger than what is in the bucket takes it below zero; the time until the bucket is back at zero is the
 * wait that keeps the flow at the rate. A wait cut short leaves the bucket below zero, so the debt delays the
 * chunks after it until time has paid it off.
 */
final class TokenBucket {

    private double tokens;
    private long last;
    private boolean started;

    /**
     * Takes a chunk's bytes out of the bucket, which starts full.
     *
     * @param bytes the chunk's length
     * @param now the time, in nanoseconds
     * @param ratePerSecond bytes added per second, more than 0
     * @param burst the bucket's size in bytes, more than 0
     * @return nanoseconds to wait before the chunk is within the rate; 0 if it already is
     */
    long take(int bytes, long now, long ratePerSecond, long burst) {
        if (started) {
            tokens = Math.min(burst, tokens + (now - last) * (ratePerSecond / 1e9));
        } else {
            started = true;
            tokens = burst;
        }
        last = now;
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / ratePerSecond * 1e9);
    }
}
