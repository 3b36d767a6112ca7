package layer45.mnet.socket.tcp;

/**
 * The window rules {@link NewReno} and {@link Cubic} share: slow start by byte counting (L = 2 MSS, RFC 3465), a
 * congestion event or the first of a run of timeouts sets ssthresh by the subclass's {@link #reduce} (repeated
 * timeouts with no ACK of new data in between keep it, RFC 5681 section 3.1), a timeout leaves one MSS, recovery's
 * end deflates to ssthresh (RFC 6582, 3.2 step 3), an MSS change keeps at least one MSS, and an idle restart goes
 * back to min(IW, cwnd) with ssthresh at least 3/4 of the old window (RFC 5681 4.1, RFC 2861, as Linux does).
 *
 * <p>The window is a {@code double} so that increments of a fraction of a byte per ACK add up; a subclass that grows
 * it in whole bytes keeps it whole.
 *
 * <p>Used by the stack's loop thread only.
 */
abstract class WindowedCongestionControl implements CongestionControl {

    private final String name;
    /** The sender MSS in bytes. */
    int mss = 1;
    /** The congestion window in bytes. */
    double cwnd;
    int ssthresh = Integer.MAX_VALUE;
    /** A timeout happened and no new data was acknowledged since. */
    boolean timedOut;

    WindowedCongestionControl(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public void init(int mss, long nowNanos) {
        this.mss = CongestionWindows.checkMss(mss);
        cwnd = CongestionWindows.initialWindow(mss);
        ssthresh = Integer.MAX_VALUE;
        timedOut = false;
    }

    @Override
    public final int window() {
        return (int) cwnd;
    }

    @Override
    public final int slowStartThreshold() {
        return ssthresh;
    }

    @Override
    public void onCongestionEvent(int bytesInFlight, long nowNanos) {
        reduce(bytesInFlight);
        cwnd = ssthresh;
    }

    @Override
    public final void onRecoveryEnd(long nowNanos) {
        // Deflate whatever the connection did to the window during recovery (RFC 6582, 3.2 step 3).
        cwnd = Math.min(cwnd, ssthresh);
    }

    @Override
    public void onRetransmitTimeout(int bytesInFlight, long nowNanos) {
        if (!timedOut) {
            reduce(bytesInFlight);
            timedOut = true;
        }
        cwnd = mss;
    }

    @Override
    public void setMss(int mss) {
        this.mss = CongestionWindows.checkMss(mss);
        cwnd = Math.max(cwnd, mss);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The window restarts at min(IW, cwnd) (RFC 5681, 4.1); ssthresh keeps at least 3/4 of the old window (as
     * RFC 2861 and Linux do) so that slow start brings it back quickly.
     */
    @Override
    public void onIdleRestart(long nowNanos) {
        ssthresh = Math.max(ssthresh, (int) (cwnd * 3 / 4));
        cwnd = Math.min(cwnd, CongestionWindows.initialWindow(mss));
    }

    /**
     * Starts an ACK: it ends a run of timeouts.
     *
     * @return whether the ACK grows the window at all, that is acknowledges new bytes
     */
    final boolean acknowledges(int ackedBytes) {
        timedOut = false;
        return ackedBytes > 0;
    }

    /** @return whether the window is in slow start */
    final boolean inSlowStart() {
        return cwnd < ssthresh;
    }

    /** Grows the window by the bytes acknowledged, at most 2 MSS (Appropriate Byte Counting, L = 2). */
    final void slowStart(int ackedBytes) {
        cwnd = Math.min(cwnd + Math.min(ackedBytes, 2L * mss), CongestionWindows.MAX_WINDOW);
    }

    /** Sets ssthresh after a loss from the bytes in flight (never below 2 MSS), and whatever else the rule keeps. */
    abstract void reduce(int bytesInFlight);
}
