package layer45.mnet.wire;

/**
 * The outcome of a structural check of untrusted bytes: {@link #VALID}, or the reason the packet is malformed.
 *
 * <p>Returned by every view's {@code check()} and by {@link Ipv6ExtensionHeaders#walk}. The stack counts drops per
 * constant (an {@link layer45.mnet.stats.EnumCounters} of this enum), so each constant names one reason an operator
 * can act on. Checks never throw for malformed input.
 */
public enum WireCheck {
    /** The bytes form a well-structured packet: every accessor of the view is now safe for any input. */
    VALID,
    /**
     * The bytes end before the fixed header does, or before the length the IP header itself declares (IPv4 header
     * length or total length, IPv6 payload length): a short read or a too-small receive buffer.
     */
    TRUNCATED,
    /** The IP version field is not the one of the view (4 for {@link Ipv4Packet}, 6 for {@link Ipv6Packet}). */
    BAD_VERSION,
    /** IPv4 header length (IHL) below 5 words (RFC 791). */
    BAD_HEADER_LENGTH,
    /** IPv4 total length smaller than the header length (RFC 791). */
    BAD_TOTAL_LENGTH,
    /**
     * An IPv4 or TCP option is malformed: its length byte is missing, below 2 or runs past the header, or a known
     * TCP option has the wrong length; also an IPv6 option TLV that does not fit its extension header exactly.
     */
    BAD_OPTIONS,
    /**
     * An IPv6 extension header is malformed: it runs past the payload, or a Routing header with segments left has a
     * routing type this host does not process (RFC 8200, section 4.4).
     */
    BAD_EXTENSION_HEADER,
    /** More than {@value Ipv6ExtensionHeaders#MAX_EXTENSION_HEADERS} IPv6 extension headers in one packet. */
    TOO_MANY_EXTENSION_HEADERS,
    /** An IPv6 Hop-by-Hop header anywhere but directly after the IPv6 header (RFC 8200, section 4.1). */
    HOP_BY_HOP_NOT_FIRST,
    /**
     * An IPv6 option of unknown type whose two high-order bits say to discard the packet (01, 10 or 11; RFC 8200,
     * section 4.2); {@link Ipv6ExtensionHeaders#unrecognizedOptionAction()} tells whether to answer with ICMPv6.
     */
    UNRECOGNIZED_OPTION,
    /**
     * A length field disagrees with the bytes: UDP length below 8 or beyond the IP payload, or an IPv6 jumbogram (payload length 0 with a Jumbo Payload option, RFC 2675), which is unsupported.
     */
    BAD_LENGTH,
    /** TCP data offset below 5 words or beyond the segment (RFC 9293, section 3.1). */
    BAD_DATA_OFFSET,
    /**
     * A fragment that cannot be reassembled: it ends past 65535 bytes of original payload, or (IPv6) it is not the
     * last fragment and its length is not a multiple of 8 (RFC 8200, section 4.5).
     */
    BAD_FRAGMENT;

    /** @return whether this is {@link #VALID} */
    public boolean valid() {
        return this == VALID;
    }
}
