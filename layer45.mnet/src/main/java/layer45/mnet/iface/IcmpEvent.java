package layer45.mnet.iface;

/** What ICMP (v4 or v6) counts. */
public enum IcmpEvent {
    /** Echo requests to the stack's own addresses, answered. */
    ECHO_ANSWERED,
    /** Echo requests to foreign addresses no relay takes: not answered. */
    ECHO_NOT_FOR_US,
    /** Echo requests to foreign addresses handed to the relay (answered when the destination answers the host). */
    ECHO_RELAYED,
    /** Echo replies received (nothing sends requests yet, so they are dropped). */
    ECHO_REPLY_RECEIVED,
    /** Error messages received (destination unreachable, time exceeded, …) and not about a flow of the stack. */
    ERROR_RECEIVED,
    /**
     * Destination-unreachable errors about a packet the stack sent, handed to its transport (a socket's flow moves
     * on to a host identifier's next address, a connection attempt fails).
     */
    UNREACHABLE_DELIVERED,
    /** Messages of other types, ignored (router and neighbour discovery, MLD: a TUN link needs none). */
    IGNORED,
    /** Dropped: shorter than an ICMP header. */
    MALFORMED,
    /** Dropped: the checksum was wrong. */
    BAD_CHECKSUM,
    /** Error messages sent. */
    ERROR_SENT,
    /** Error messages not sent because of the rate limit. */
    ERROR_RATE_LIMITED,
    /**
     * Error messages not sent because the rules forbid it: never about an ICMP error, a non-first fragment, or a
     * packet from an address that is not one host (RFC 1122, 3.2.2; RFC 4443, 2.4 (e)).
     */
    ERROR_SUPPRESSED
}
