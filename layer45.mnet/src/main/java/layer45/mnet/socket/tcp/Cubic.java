package layer45.mnet.socket.tcp;

/**
 * CUBIC (RFC 9438): after a congestion event the window follows W_cubic(t) = C (t - K)^3 + W_max, in segments, with
 * t the time since the congestion avoidance stage (the epoch) began at its first ACK: it climbs fast back towards the
 * window where the loss happened, lingers around it, then probes beyond. C = 0.4, beta_cubic = 0.7.
 *
 * <ul>
 *   <li>Slow start below ssthresh, as {@link NewReno} does it (byte counting with L = 2 MSS; no HyStart).</li>
 *   <li>In congestion avoidance each ACK moves cwnd towards target = W_cubic(t + RTT), clamped to [cwnd, 1.5 cwnd],
 *       by (target - cwnd) * acked / cwnd bytes. RTT is the smallest sample seen (as Linux does): the path's delay
 *       without its queues, so the growth does not speed up because the bottleneck queue fills. Before any sample
 *       the target is W_cubic(t).</li>
 *   <li>The Reno-friendly region: W_est starts at cwnd with the epoch and grows by alpha_cubic * MSS * acked / cwnd
 *       per ACK, alpha_cubic = 3 (1 - beta) / (1 + beta) until W_est reaches the window before the last reduction,
 *       then 1. When W_cubic(t) is below W_est, cwnd is raised to W_est.</li>
 *   <li>A loss sets ssthresh = max(0.7 * flight, 2 MSS) and cwnd = ssthresh; W_max becomes the window before the
 *       reduction, or 0.85 of it if that was below the previous W_max (fast convergence).</li>
 *   <li>A timeout sets the same ssthresh (held over repeated timeouts, as {@link NewReno} does) and cwnd = 1 MSS;
 *       the first congestion avoidance stage after it uses K = 0 and W_max = cwnd at its start.</li>
 * </ul>
 *
 * <p>The window is kept in bytes as a {@code double}, so that increments of a fraction of a byte per ACK add up.
 *
 * <p>Used by the stack's loop thread only.
 */
public final class Cubic extends WindowedCongestionControl {

    /** The name {@link CongestionControls#byName} knows it by. */
    public static final String NAME = "cubic";
    /** C, in segments per second cubed. */
    static final double C = 0.4;
    /** beta_cubic, the window kept at a loss. */
    static final double BETA = 0.7;
    /** alpha_cubic, the Reno-friendly additive increase in segments per round trip. */
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);
    private static final double NANOS_PER_SECOND = 1e9;

    /** The window where the last loss happened (bytes); 0 before any. */
    private double wMax;
    /** The window just before the last reduction (bytes). */
    private double cwndPrior;
    private boolean inEpoch;
    private long epochStart;
    /** Seconds from the epoch's start until W_cubic reaches W_max. */
    private double k;
    private double wEst;
    private double alpha;
    private long minRtt = -1;
    /** The next congestion avoidance stage is the first after a timeout. */
    private boolean afterTimeout;

    /** Makes one to be {@linkplain #init started}. */
    public Cubic() {
        super(NAME);
    }

    @Override
    public void init(int mss, long nowNanos) {
        super.init(mss, nowNanos);
        wMax = 0;
        cwndPrior = 0;
        inEpoch = false;
        k = 0;
        wEst = 0;
        alpha = ALPHA;
        minRtt = -1;
        afterTimeout = false;
    }

    @Override
    public void onAck(int ackedBytes, int bytesInFlight, long rttNanos, long nowNanos) {
        if (rttNanos >= 0 && (minRtt < 0 || rttNanos < minRtt)) {
            minRtt = rttNanos;
        }
        if (!acknowledges(ackedBytes)) {
            return;
        }
        if (inSlowStart()) {
            slowStart(ackedBytes);
            return;
        }
        if (!inEpoch) {
            startEpoch(nowNanos);
        }
        double t = (nowNanos - epochStart) / NANOS_PER_SECOND;
        double rtt = minRtt < 0 ? 0 : minRtt / NANOS_PER_SECOND;
        // A stretch ACK covering more than a window moves at most the whole way to the target.
        double share = Math.min(1, ackedBytes / cwnd);
        wEst += alpha * mss * share;
        if (wEst >= cwndPrior) {
            alpha = 1;
        }
        if (cubicWindow(t) < wEst) {
            // Reno-friendly region; Linux too only ever raises cwnd here.
            cwnd = Math.max(cwnd, wEst);
        } else {
            double target = Math.clamp(cubicWindow(t + rtt), cwnd, 1.5 * cwnd);
            cwnd += (target - cwnd) * share;
        }
        cwnd = Math.min(cwnd, CongestionWindows.MAX_WINDOW);
    }

    @Override
    public void onCongestionEvent(int bytesInFlight, long nowNanos) {
        super.onCongestionEvent(bytesInFlight, nowNanos);
        afterTimeout = false;
    }

    @Override
    public void onRetransmitTimeout(int bytesInFlight, long nowNanos) {
        super.onRetransmitTimeout(bytesInFlight, nowNanos);
        afterTimeout = true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The window is kept in bytes; the current epoch ends, so the next one computes K with the new MSS.
     */
    @Override
    public void setMss(int mss) {
        super.setMss(mss);
        inEpoch = false;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The epoch ends too, so growth starts afresh rather than jumping to where the curve got during the idle
     * time.
     */
    @Override
    public void onIdleRestart(long nowNanos) {
        super.onIdleRestart(nowNanos);
        inEpoch = false;
    }

    @Override
    public String toString() {
        return NAME + ": cwnd " + (int) cwnd + ", ssthresh " + ssthresh + ", W_max " + (int) wMax + ", K " + k
                + " s, mss " + mss;
    }

    /** @return W_cubic(t) in bytes, {@code t} in seconds since the epoch's start */
    double cubicWindow(double t) {
        double d = t - k;
        return C * mss * d * d * d + wMax;
    }

    /** @return K in seconds */
    double k() {
        return k;
    }

    /** @return W_max in bytes */
    double wMax() {
        return wMax;
    }

    /** @return W_est in bytes */
    double wEst() {
        return wEst;
    }

    /** Keeps 0.7 of the flight, and W_max with fast convergence. */
    @Override
    void reduce(int bytesInFlight) {
        double prior = cwnd;
        wMax = prior < wMax ? prior * (1 + BETA) / 2 : prior;
        cwndPrior = prior;
        ssthresh = Math.max((int) (Math.max(bytesInFlight, 0) * BETA), 2 * mss);
        inEpoch = false;
    }

    private void startEpoch(long nowNanos) {
        inEpoch = true;
        epochStart = nowNanos;
        if (afterTimeout || wMax <= 0) {
            wMax = cwnd;
            k = 0;
            afterTimeout = false;
        } else {
            k = wMax > cwnd ? Math.cbrt((wMax - cwnd) / (C * mss)) : 0;
        }
        wEst = cwnd;
        alpha = wEst >= cwndPrior ? 1 : ALPHA;
    }
}
