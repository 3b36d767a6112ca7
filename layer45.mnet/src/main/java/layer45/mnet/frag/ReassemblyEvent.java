package layer45.mnet.frag;

/** What happened to fragments: the counters of a {@link Reassembler}. Every discard has its own reason. */
public enum ReassemblyEvent {
    /** A fragment was taken into a datagram being reassembled. */
    FRAGMENT_ACCEPTED,
    /** A datagram was completed and delivered. */
    DATAGRAM_REASSEMBLED,
    /** A fragment repeated one already held byte for byte (a retransmission): it was ignored. */
    DUPLICATE_FRAGMENT,
    /** A fragment overlapped another one: the whole datagram was discarded (RFC 5722; we apply it to IPv4 too). */
    OVERLAP,
    /** A fragment other than the last had a length that is not a multiple of 8, or was empty. */
    BAD_FRAGMENT_LENGTH,
    /** The fragments disagree about where the datagram ends (two last fragments, or data past the last one). */
    INCONSISTENT_END,
    /** The datagram would be larger than an IP datagram can be (65,535 bytes: "ping of death"). */
    TOO_LARGE,
    /** The datagram has more fragments than the limit allows. */
    TOO_MANY_FRAGMENTS,
    /** The datagram was still incomplete when its time ran out. */
    TIMED_OUT,
    /** The datagram was evicted to make room: too many datagrams or too many bytes in reassembly. */
    EVICTED
}
