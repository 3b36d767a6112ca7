package layer45.mnet.iface;

/** What the IPv6 layer counts. Every drop has its own reason; malformed headers are counted by their check. */
public enum Ipv6Event {
    /** Well-formed packets received. */
    RECEIVED,
    /** Packets (or reassembled datagrams) handed to ICMPv6 or a transport. */
    DELIVERED,
    /**
     * Dropped: the source is multicast, loopback or IPv4-mapped, or unspecified in a packet to a unicast address
     * (the unspecified source is for neighbour discovery and MLD, which go to multicast).
     */
    MARTIAN_SOURCE,
    /**
     * Dropped: the destination is unspecified, loopback or IPv4-mapped, which never appear on a link (RFC 4291,
     * 2.5.2, 2.5.3, 2.5.5.2): never terminated, so no relay may be steered to the host's own loopback.
     */
    MARTIAN_DESTINATION,
    /**
     * Ignored: sent to a multicast address. The kernel on the other end of a TUN device sends router solicitations
     * and MLD reports this way when the link comes up; a point-to-point IP link needs neither.
     */
    MULTICAST_IGNORED,
    /** Dropped: sent to a foreign address, and the interface does not terminate those (or it is link-local). */
    NOT_FOR_US,
    /** Dropped: the hop limit ran out before a foreign destination; ICMPv6 time exceeded was sent. */
    HOP_LIMIT_EXPIRED,
    /** Dropped: an extension header could not be processed; ICMPv6 parameter problem was sent where required. */
    EXTENSION_HEADER_PROBLEM,
    /** Dropped: no transport handles the next header; ICMPv6 parameter problem was sent for own addresses. */
    UNKNOWN_NEXT_HEADER,
    /** Taken and dropped: No Next Header (59), nothing follows the headers (RFC 8200, section 4.7). */
    NO_NEXT_HEADER,
    /**
     * Dropped: a reassembled datagram's extension headers were malformed, or its unfragmentable headers were too
     * long to keep ({@link layer45.mnet.frag.Reassembler#MAX_KEPT_HEADER}).
     */
    BAD_REASSEMBLED_HEADERS,
    /** Dropped: a transport had no endpoint for it (answered with ICMPv6 port unreachable). */
    PORT_UNREACHABLE,
    /** Dropped: nothing can reach the foreign destination yet (answered with ICMPv6 address unreachable). */
    ADDRESS_UNREACHABLE,
    /** Packets sent, fragments included. */
    SENT,
    /** Datagrams that had to be fragmented to fit the MTU. */
    FRAGMENTED,
    /** Not sent: the device was full or closed. */
    DEVICE_FULL,
    /** Not sent: larger than an IPv6 payload can be without jumbograms. */
    TOO_LARGE_TO_SEND
}
