package layer45.mnet.socket.tcp;

import java.util.concurrent.TimeUnit;

/**
 * The retransmission timeout of one connection, computed from round-trip time samples as RFC 6298 says: the first
 * sample R sets SRTT = R and RTTVAR = R/2; each later one updates RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R| and then
 * SRTT = 7/8 SRTT + 1/8 R; RTO = SRTT + max(G, 4 RTTVAR) with a clock granularity G of 1 ms, kept within the
 * bounds given. Each expiry of the timer {@linkplain #backoff() doubles} the RTO until a new sample arrives.
 *
 * <p>The caller takes samples only from segments that were not retransmitted (Karn's algorithm), or from the
 * timestamps option (RFC 7323), and at most one per round trip if it wants RFC 6298's weights to mean what they say.
 * Times are in nanoseconds.
 *
 * <p>Used by the stack's loop thread only.
 */
public final class RttEstimator {

    /** The clock granularity G. */
    static final long GRANULARITY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Longer samples are taken as this long: the arithmetic cannot overflow whatever a peer's timestamps say. */
    static final long MAX_SAMPLE_NANOS = TimeUnit.HOURS.toNanos(1);

    private final long minRto;
    private final long maxRto;
    private final long initialRto;
    private long srtt;
    private long rttvar;
    private long minRtt = -1;
    /** The RTO from the samples, before backoff. */
    private long baseRto;
    private long rto;
    private int backoffs;

    /**
     * @param minRtoNanos the smallest RTO (RFC 6298 says 1 s; Linux uses 200 ms)
     * @param maxRtoNanos the largest RTO, backoff included (at least 60 s by RFC 6298)
     * @param initialRtoNanos the RTO before any sample (1 s by RFC 6298)
     * @throws IllegalArgumentException unless {@code 0 < minRtoNanos <= initialRtoNanos <= maxRtoNanos}
     */
    public RttEstimator(long minRtoNanos, long maxRtoNanos, long initialRtoNanos) {
        if (minRtoNanos <= 0 || minRtoNanos > initialRtoNanos || initialRtoNanos > maxRtoNanos) {
            throw new IllegalArgumentException("RTO bounds need 0 < min <= initial <= max; got min " + minRtoNanos
                    + " ns, initial " + initialRtoNanos + " ns, max " + maxRtoNanos + " ns");
        }
        this.minRto = minRtoNanos;
        this.maxRto = maxRtoNanos;
        this.initialRto = initialRtoNanos;
        this.baseRto = initialRtoNanos;
        this.rto = initialRtoNanos;
    }

    /**
     * Takes a round-trip time measurement and clears the backoff.
     *
     * @param rttNanos the measurement; a negative one (a clock or timestamp gone wrong) is ignored
     */
    public void sample(long rttNanos) {
        if (rttNanos < 0) {
            return;
        }
        long r = Math.min(rttNanos, MAX_SAMPLE_NANOS);
        if (minRtt < 0) {
            srtt = r;
            rttvar = r / 2;
            minRtt = r;
        } else {
            // RTTVAR first, from the old SRTT (RFC 6298, 2.3).
            rttvar += (Math.abs(srtt - r) - rttvar) / 4;
            srtt += (r - srtt) / 8;
            minRtt = Math.min(minRtt, r);
        }
        baseRto = Math.clamp(srtt + Math.max(GRANULARITY_NANOS, 4 * rttvar), minRto, maxRto);
        rto = baseRto;
        backoffs = 0;
    }

    /** @return the retransmission timeout now, backoff included, in nanoseconds */
    public long rto() {
        return rto;
    }

    /** The retransmission timer expired: doubles the RTO, up to the maximum (RFC 6298, 5.5). */
    public void backoff() {
        rto = rto > maxRto / 2 ? maxRto : rto * 2;
        if (backoffs < Integer.MAX_VALUE) {
            backoffs++;
        }
    }

    /**
     * Undoes the backoff without a sample, for a caller that restarts the timer after new data was acknowledged by
     * a retransmission (which gives no sample under Karn's algorithm).
     */
    public void resetBackoff() {
        rto = baseRto;
        backoffs = 0;
    }

    /** @return backoffs since the last sample: a connection gives up after so many */
    public int backoffs() {
        return backoffs;
    }

    /** @return whether a sample was taken; until then the RTO is the initial one */
    public boolean hasSample() {
        return minRtt >= 0;
    }

    /** @return the smoothed round-trip time in nanoseconds, 0 before a sample */
    public long srtt() {
        return srtt;
    }

    /** @return the round-trip time variation in nanoseconds, 0 before a sample */
    public long rttvar() {
        return rttvar;
    }

    /** @return the smallest sample taken in nanoseconds, or -1 before a sample */
    public long minRtt() {
        return minRtt;
    }

    /** @return the RTO before any sample, as constructed */
    public long initialRto() {
        return initialRto;
    }

    @Override
    public String toString() {
        return "rtt: srtt " + srtt + " ns, rttvar " + rttvar + " ns, rto " + rto + " ns, " + backoffs + " backoffs";
    }
}
