package layer45.mnet.relay;

/** What the relay counts. */
public enum RelayEvent {
    /** TCP connections from the namespace whose host connection was made. */
    TCP_CONNECTS,
    /** TCP connections from the namespace the host destination refused (the application got RST). */
    TCP_REFUSED,
    /** TCP connections from the namespace whose destination was unreachable or timed out (the application got ICMP). */
    TCP_UNREACHABLE,
    /** TCP connections refused because the destination is not relayed (an own address without a service). */
    TCP_NOT_RELAYED,
    /** TCP connections accepted on a forwarded host port. */
    TCP_FORWARDS,
    /** Of those, refused in the namespace (nothing listens there): the host client was reset. */
    TCP_FORWARDS_REFUSED,
    /** Relayed TCP connections that ended by a reset on either side, a customization, or the runtime. */
    TCP_ABORTS,
    /** UDP flows relayed to the host. */
    UDP_FLOWS,
    /** UDP flows from a host port forwarded into the namespace. */
    UDP_FORWARDS,
    /** UDP datagrams refused because the destination is not relayed. */
    UDP_NOT_RELAYED,
    /** Dropped: a UDP datagram while its flow's queue toward the host was full. */
    UDP_QUEUE_FULL,
    /** ICMP port unreachable passed back to the application for a UDP flow. */
    UDP_PORT_UNREACHABLE,
    /** ICMP host unreachable passed back to the application for a UDP flow (the host said no route). */
    UDP_UNREACHABLE,
    /** Echo requests (pings) sent on from the host. */
    ECHOES,
    /** Of those, answered: the program got its echo reply. */
    ECHOES_ANSWERED,
    /** Echo requests to destinations that are not relayed, or beyond the pings allowed at once: dropped. */
    ECHO_NOT_RELAYED,
    /** TCP connections to a host identifier's virtual address, carried to its addresses. */
    MHOST_TCP,
    /** UDP flows to a host identifier's virtual address, carried to its addresses. */
    MHOST_UDP,
    /** Flows to a virtual address no host identifier has (any more): the program hears "unreachable". */
    MHOST_UNKNOWN,
    /** Flows to a host identifier none of whose addresses is usable now: the program hears "unreachable". */
    MHOST_UNREACHABLE,
    /** Flows the customization runtime would not open (refused: fail closed). */
    TAP_FAILED,
    /** Bytes from the namespace to the host. */
    BYTES_OUT,
    /** Bytes from the host into the namespace. */
    BYTES_IN
}
