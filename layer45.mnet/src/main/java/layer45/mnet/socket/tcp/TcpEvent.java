package layer45.mnet.socket.tcp;

/** What TCP counts. Every drop has its own reason; malformed headers are counted by their check. */
public enum TcpEvent {
    /** Segments received for this stack. */
    SEGMENTS_RECEIVED,
    /** Segments sent. */
    SEGMENTS_SENT,
    /** Payload bytes received in order (delivered to the receive buffer). */
    BYTES_RECEIVED,
    /** Payload bytes sent, retransmissions included. */
    BYTES_SENT,
    /** Dropped: the checksum was wrong. */
    BAD_CHECKSUM,
    /** Dropped: port 0 on either side. */
    BAD_PORT,
    /** Dropped: a segment for no connection and no listener (answered with RST). */
    NO_LISTENER,
    /** Refused: a foreign destination, and no relay (answered with ICMP host unreachable). */
    NO_RELAY,
    /** Refused: a new connection while the stack is stopping (answered with RST). */
    REFUSED_STOPPING,
    /** SYNs held while the relay tried their destination. */
    RELAY_HELD,
    /** Dropped: a SYN again for a connection the relay is still trying. */
    RELAY_SYN_REPEATED,
    /** Dropped: a SYN while the most SYNs were held for the relay (the application tries again). */
    RELAY_QUEUE_FULL,
    /** Held SYNs the relay refused (RST) or found unreachable (ICMP). */
    RELAY_REFUSED,
    /** Held SYNs whose application gave up (RST) before the relay answered. */
    RELAY_CANCELLED,
    /** Dropped: a SYN while the listener's queue of half-open connections was full. */
    SYN_QUEUE_FULL,
    /** Dropped: a handshake completed while the listener's backlog of unaccepted connections was full. */
    BACKLOG_FULL,
    /** Refused: the connection table was full. */
    CONNECTION_TABLE_FULL,
    /**
     * Refused: the stack's buffer memory budget could not take another connection's minimum; its SYN was answered
     * with RST (a held SYN before the relay connected the host).
     */
    MEMORY_LIMIT,
    /** Dropped: data arrived while the buffer memory budget had no page for it (the peer sends it again). */
    MEMORY_PRESSURE,
    /** Dropped: out of the receive window (answered with an ACK). */
    OUT_OF_WINDOW,
    /** Dropped: too old by its timestamp (PAWS, RFC 7323 section 5). */
    PAWS_REJECTED,
    /** Dropped: out-of-order data beyond what the receive buffer tracks. */
    OUT_OF_ORDER_DROPPED,
    /** Segments that arrived out of order and were kept. */
    OUT_OF_ORDER_KEPT,
    /** Dropped: an ACK for data never sent (answered with an ACK, RFC 5961 section 5). */
    ACK_UNSENT_DATA,
    /** Challenge ACKs sent for RST or SYN segments in window but not exact (RFC 5961). */
    CHALLENGE_ACKS,
    /** Challenge ACKs not sent: the connection had sent its share for this second (RFC 5961 section 7). */
    CHALLENGE_ACKS_LIMITED,
    /** Connections reset by the peer. */
    RESETS_RECEIVED,
    /** RST segments sent. */
    RESETS_SENT,
    /** Duplicate ACKs received. */
    DUPLICATE_ACKS,
    /** Segments retransmitted by fast retransmit or loss recovery. */
    FAST_RETRANSMITS,
    /** Retransmission timeouts. */
    RETRANSMIT_TIMEOUTS,
    /** Zero-window probes sent. */
    WINDOW_PROBES,
    /** Keep-alive probes sent. */
    KEEPALIVE_PROBES,
    /** Connections opened (established, actively or passively). */
    CONNECTIONS_OPENED,
    /** Connections that ended by the close handshake. */
    CONNECTIONS_CLOSED,
    /** Connections aborted: by a reset, a timeout, the application or a customization. */
    CONNECTIONS_ABORTED,
    /** Connections given up after too many retransmissions. */
    CONNECTIONS_TIMED_OUT,
    /** Dropped: the customization runtime could not open the flow; the connection was reset. */
    TAP_FAILED,
    /** Not sent: the network layer could not send a segment (device full, no route). */
    SEND_FAILED,
    /**
     * ICMP destination-unreachable errors about a connection attempt (SYN_SENT): the attempt failed with them (RFC
     * 1122, 4.2.3.9 allows it; Linux does it).
     */
    UNREACHABLE_CONNECT_FAILED,
    /** ICMP destination-unreachable errors about another segment, or one of no connection: ignored (soft errors). */
    UNREACHABLE_IGNORED
}
