package layer45.mnet.socket.udp;

/** What UDP counts. Every drop has its own reason; malformed headers are counted by their check. */
public enum UdpEvent {
    /** Datagrams received from applications (on the device). */
    DATAGRAMS_RECEIVED,
    /** Their payload bytes. */
    BYTES_RECEIVED,
    /** Datagrams sent to applications (on the device). */
    DATAGRAMS_SENT,
    /** Their payload bytes. */
    BYTES_SENT,
    /** Dropped: the checksum was wrong. */
    BAD_CHECKSUM,
    /** Dropped: an IPv6 datagram without a checksum (RFC 8200, 8.1). */
    ZERO_CHECKSUM_IPV6,
    /** Dropped: destination port 0. */
    BAD_PORT,
    /** Dropped: nothing listens on the stack's own address and port (answered with port unreachable). */
    NO_LISTENER,
    /** Dropped: a foreign destination, and nothing relays UDP yet (answered with host unreachable). */
    NO_RELAY,
    /** Dropped: the flow table was full. */
    FLOW_TABLE_FULL,
    /** Dropped: a new flow while the stack is stopping (answered with port or host unreachable). */
    REFUSED_STOPPING,
    /** Dropped: the customization runtime could not open the flow (its error is logged); the flow is refused. */
    TAP_FAILED,
    /** Flows opened. */
    FLOWS_OPENED,
    /** Flows closed because no datagram passed for the idle timeout. */
    FLOWS_IDLE,
    /** Flows aborted by a customization (an error or a fault) or by the runtime. */
    FLOWS_ABORTED,
    /** Flows closed for another reason (their socket closed, the stack stopped). */
    FLOWS_CLOSED,
    /** Datagrams a customization dropped. */
    CUSTOMIZATION_DROPPED,
    /** Dropped: a customization made a datagram larger than UDP can carry. */
    CUSTOMIZED_TOO_LARGE,
    /** Dropped: what received the datagram in the stack (a socket, a relay) threw; the flow was closed. */
    PEER_FAILED,
    /** Not sent: the network layer could not send it (device full, too large). */
    SEND_FAILED,
    /** ICMP destination-unreachable errors about a datagram of a flow, handed to the flow's peer. */
    UNREACHABLE_RECEIVED,
    /** ICMP destination-unreachable errors about a datagram of no open flow: ignored. */
    UNREACHABLE_NO_FLOW
}
