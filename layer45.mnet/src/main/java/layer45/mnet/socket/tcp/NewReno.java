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
public final class NewReno extends WindowedCongestionControl {

    /** The name {@link CongestionControls#byName} knows it by. */
    public static final String NAME = "newreno";

    /** The remainder of the last congestion avoidance increment's division, in bytes times cwnd. */
    private long carry;

    /** Makes one to be {@linkplain #init started}. */
    public NewReno() {
        super(NAME);
    }

    @Override
    public void init(int mss, long nowNanos) {
        super.init(mss, nowNanos);
        carry = 0;
    }

    @Override
    public void onAck(int ackedBytes, int bytesInFlight, long rttNanos, long nowNanos) {
        if (!acknowledges(ackedBytes)) {
            return;
        }
        if (inSlowStart()) {
            slowStart(ackedBytes);
        } else {
            // The window stays whole bytes here: every rule sets it to a whole number.
            int window = window();
            long scaled = (long) mss * mss + carry;
            long increment = Math.max(1, scaled / window);
            carry = Math.max(0, scaled - increment * window);
            cwnd = CongestionWindows.capped(window + increment);
        }
    }

    @Override
    public void onCongestionEvent(int bytesInFlight, long nowNanos) {
        super.onCongestionEvent(bytesInFlight, nowNanos);
        carry = 0;
    }

    @Override
    public void onRetransmitTimeout(int bytesInFlight, long nowNanos) {
        super.onRetransmitTimeout(bytesInFlight, nowNanos);
        carry = 0;
    }

    @Override
    public String toString() {
        return NAME + ": cwnd " + window() + ", ssthresh " + ssthresh + ", mss " + mss;
    }

    /** Halves the flight into ssthresh (RFC 5681, equation 4). */
    @Override
    void reduce(int bytesInFlight) {
        ssthresh = Math.max(Math.max(bytesInFlight, 0) / 2, 2 * mss);
    }
}
