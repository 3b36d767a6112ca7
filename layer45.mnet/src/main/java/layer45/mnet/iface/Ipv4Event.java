package layer45.mnet.iface;

/** What the IPv4 layer counts. Every drop has its own reason; malformed headers are counted by their check. */
public enum Ipv4Event {
    /** Well-formed packets received. */
    RECEIVED,
    /** Packets (or reassembled datagrams) handed to ICMP or a transport. */
    DELIVERED,
    /** Dropped: the header checksum was wrong. */
    BAD_CHECKSUM,
    /** Dropped: the source cannot send (multicast, broadcast, loopback, 0.0.0.0, class E). */
    MARTIAN_SOURCE,
    /**
     * Ignored: sent to a broadcast address (limited, or directed to one of the own prefixes) or a multicast
     * address, which the stack does not join.
     */
    BROADCAST_IGNORED,
    /**
     * Dropped: sent to an address no packet may be sent to (0.0.0.0/8, loopback, class E; RFC 1122, 3.2.1.3): the
     * stack must not answer from it, and no relay may be steered to the host's own loopback.
     */
    MARTIAN_DESTINATION,
    /** Dropped: sent to a foreign address, and the interface does not terminate those. */
    NOT_FOR_US,
    /** Dropped: the TTL ran out before a foreign destination; ICMP time exceeded was sent (RFC 1812, 5.3.1). */
    TTL_EXPIRED,
    /** Dropped: no transport handles the protocol; ICMP protocol unreachable was sent for own addresses. */
    UNKNOWN_PROTOCOL,
    /** Dropped: a transport had no endpoint for it (answered with ICMP port unreachable). */
    PORT_UNREACHABLE,
    /** Dropped: nothing can reach the foreign destination yet (answered with ICMP host unreachable). */
    HOST_UNREACHABLE,
    /** Packets sent, fragments included. */
    SENT,
    /** Datagrams that had to be fragmented to fit the MTU. */
    FRAGMENTED,
    /** Not sent: the device was full or closed. */
    DEVICE_FULL,
    /** Not sent: larger than an IPv4 datagram can be. */
    TOO_LARGE_TO_SEND
}
