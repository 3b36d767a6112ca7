package layer45.mnet.socket.tcp;

/**
 * Decides a connection's congestion window, and nothing else: the connection detects losses (duplicate ACKs, SACK
 * scoreboard, retransmission timer), runs NewReno fast recovery (RFC 6582) with its own window inflation or
 * proportional rate reduction, and tells the algorithm what happened through these calls. Windows are in bytes.
 *
 * <p>One instance per connection, made by a {@link CongestionControlFactory}; used by the stack's loop thread only.
 * No call allocates.
 *
 * @see NewReno
 * @see Cubic
 */
public interface CongestionControl {

    /** @return the algorithm's name, e.g. "newreno", "cubic" */
    String name();

    /**
     * Starts a connection: initial window per RFC 5681 §3.1 / RFC 6928 (IW = min(10*MSS, max(2*MSS, 14600))).
     * Also resets every other state, so an instance can serve a new connection.
     *
     * @param mss the sender's maximum segment size in bytes, 1 to 65535 (the connection clamps what the peer said)
     * @param nowNanos the time now
     * @throws IllegalArgumentException if {@code mss} is not 1 to 65535
     */
    void init(int mss, long nowNanos);

    /** @return congestion window in bytes */
    int window();

    /** @return slow-start threshold in bytes (Integer.MAX_VALUE initially) */
    int slowStartThreshold();

    /**
     * New data was acknowledged outside loss recovery. bytesInFlight = bytes outstanding before this ACK; rttNanos a
     * sample or -1.
     *
     * @param ackedBytes bytes newly acknowledged (cumulatively)
     * @param bytesInFlight bytes outstanding before this ACK
     * @param rttNanos a round-trip time sample taken from this ACK, or -1
     * @param nowNanos the time now
     */
    void onAck(int ackedBytes, int bytesInFlight, long rttNanos, long nowNanos);

    /**
     * Loss detected by duplicate ACKs/SACK: enter recovery. Sets ssthresh and cwnd (= ssthresh; the connection adds
     * its own inflation/PRR if any). Called once per recovery episode.
     *
     * @param bytesInFlight bytes outstanding when the loss was detected (FlightSize)
     * @param nowNanos the time now
     */
    void onCongestionEvent(int bytesInFlight, long nowNanos);

    /**
     * Recovery ended (a full ACK covering the recovery point).
     *
     * @param nowNanos the time now
     */
    void onRecoveryEnd(long nowNanos);

    /**
     * Retransmission timeout: ssthresh = max(flight/2, 2*MSS) (or the algorithm's own), cwnd = 1 MSS (loss window).
     *
     * @param bytesInFlight bytes outstanding when the timer expired
     * @param nowNanos the time now
     */
    void onRetransmitTimeout(int bytesInFlight, long nowNanos);

    /**
     * The MSS changed (e.g. path MTU).
     *
     * @param mss the new maximum segment size in bytes, 1 to 65535
     * @throws IllegalArgumentException if {@code mss} is not 1 to 65535
     */
    void setMss(int mss);

    /**
     * Connection idle longer than an RTO (RFC 5681 §4.1 / RFC 7661 optional): restart window.
     *
     * @param nowNanos the time now
     */
    void onIdleRestart(long nowNanos);
}
