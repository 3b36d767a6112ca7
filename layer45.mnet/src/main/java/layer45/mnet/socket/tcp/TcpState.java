package layer45.mnet.socket.tcp;

/** The states of a TCP connection (RFC 9293, section 3.3.2). LISTEN belongs to {@link TcpListener}. */
public enum TcpState {
    /** Our SYN is out; no SYN from the peer yet (active open). */
    SYN_SENT,
    /** A SYN came and ours is out, not yet acknowledged (passive open, or simultaneous open). */
    SYN_RECEIVED,
    /** Open both ways. */
    ESTABLISHED,
    /** We sent FIN; it is not acknowledged, and the peer has not finished. */
    FIN_WAIT_1,
    /** Our FIN is acknowledged; the peer may still send. */
    FIN_WAIT_2,
    /** The peer finished; we may still send. */
    CLOSE_WAIT,
    /** Both sent FIN at once; ours is not acknowledged yet. */
    CLOSING,
    /** The peer finished first, then we did; waiting for our FIN's acknowledgment. */
    LAST_ACK,
    /** Both finished; waiting 2 MSL so that late segments of this connection die out. */
    TIME_WAIT,
    /** Gone: closed, reset, or timed out. */
    CLOSED;

    /** @return whether both sides' initial sequence numbers are known (RFC 9293's synchronized states) */
    public boolean synchronized_() {
        return this != SYN_SENT && this != SYN_RECEIVED && this != CLOSED;
    }

    /** @return whether the peer may still send data in this state */
    public boolean receivesData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    /** @return whether the application may still queue data to send */
    public boolean sendsData() {
        return this == SYN_SENT || this == SYN_RECEIVED || this == ESTABLISHED || this == CLOSE_WAIT;
    }
}
