package layer45.mnet.socket.tcp;

/**
 * The standard window rules (RFC 5681, with RFC 6582's recovery around them): slow start adds the bytes acknowledged,
 * at most 2 MSS per ACK (Appropriate Byte Counting with L = 2, RFC 3465); congestion avoidance adds MSS*MSS/cwnd per
 * ACK, at least 1 byte, about one MSS per round trip (the remainder of the division is carried to the next ACK, so
 * rounding down does not slow growth by up to a byte per ACK); a loss halves the flight into ssthresh and cwnd; a
 * timeout leaves one MSS.
 *
 * <p>Repeated timeouts with no ACK of new data in between keep the ssthresh of the first one (RFC 5681, section
 * 3.1): the flight of a connection already in timeout recovery says nothing about the path any more.
 *
 * <p>Used by the stack's loop thread only.
 */
public final class NewReno implements CongestionControl {

    /** The name {@link CongestionControls#byName} knows it by. */
    public static final String NAME = "newreno";

    private int mss = 1;
    private int cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    /** A timeout happened and no new data was acknowledged since. */
    private boolean timedOut;
    /** The remainder of the last congestion avoidance increment's division, in bytes times cwnd. */
    private long carry;

    /** Makes one to be {@linkplain #init started}. */
    public NewReno() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void init(int mss, long nowNanos) {
        this.mss = CongestionWindows.checkMss(mss);
        cwnd = CongestionWindows.initialWindow(mss);
        ssthresh = Integer.MAX_VALUE;
        timedOut = false;
        carry = 0;
    }

    @Override
    public int window() {
        return cwnd;
    }

    @Override
    public int slowStartThreshold() {
        return ssthresh;
    }

    @Override
    public void onAck(int ackedBytes, int bytesInFlight, long rttNanos, long nowNanos) {
        timedOut = false;
        if (ackedBytes <= 0) {
            return;
        }
        if (cwnd < ssthresh) {
            cwnd = CongestionWindows.capped((long) cwnd + Math.min(ackedBytes, 2L * mss));
        } else {
            long scaled = (long) mss * mss + carry;
            long increment = Math.max(1, scaled / cwnd);
            carry = Math.max(0, scaled - increment * cwnd);
            cwnd = CongestionWindows.capped(cwnd + increment);
        }
    }

    @Override
    public void onCongestionEvent(int bytesInFlight, long nowNanos) {
        ssthresh = halfFlight(bytesInFlight);
        cwnd = ssthresh;
        carry = 0;
    }

    @Override
    public void onRecoveryEnd(long nowNanos) {
        // Deflate whatever the connection did to the window during recovery (RFC 6582, 3.2 step 3).
        cwnd = Math.min(cwnd, ssthresh);
    }

    @Override
    public void onRetransmitTimeout(int bytesInFlight, long nowNanos) {
        if (!timedOut) {
            ssthresh = halfFlight(bytesInFlight);
            timedOut = true;
        }
        cwnd = mss;
        carry = 0;
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
        ssthresh = Math.max(ssthresh, (int) (cwnd * 3L / 4));
        cwnd = Math.min(cwnd, CongestionWindows.initialWindow(mss));
    }

    @Override
    public String toString() {
        return NAME + ": cwnd " + cwnd + ", ssthresh " + ssthresh + ", mss " + mss;
    }

    /** RFC 5681, equation 4. */
    private int halfFlight(int bytesInFlight) {
        return Math.max(Math.max(bytesInFlight, 0) / 2, 2 * mss);
    }
}
