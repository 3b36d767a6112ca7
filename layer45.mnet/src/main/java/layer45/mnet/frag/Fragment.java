package layer45.mnet.frag;

import java.nio.ByteBuffer;

/**
 * One received fragment, described to a {@link Reassembler}: a reusable, caller-owned descriptor, filled in
 * place for every fragment so nothing is allocated per packet. The network layer fills it from the IPv4 header or
 * the IPv6 fragment header and hands it over; the reassembler copies what it keeps.
 *
 * <p>The key fields name the datagram (RFC 791: source, destination, protocol and identification; RFC 8200:
 * source, destination and identification, so IPv6 callers set {@link #protocol} to the fragment header's next
 * header but the key ignores it when {@link #family} is 6).
 */
public final class Fragment {

    /** 4 or 6. */
    public int family;
    /** Source address: high 64 bits (0 for IPv4). */
    public long srcHigh;
    /** Source address: low 64 bits (the IPv4 address in the low 32 bits). */
    public long srcLow;
    /** Destination address: high 64 bits (0 for IPv4). */
    public long dstHigh;
    /** Destination address: low 64 bits. */
    public long dstLow;
    /** The identification field (16 bits for IPv4, 32 for IPv6). */
    public int ident;
    /** The transport protocol the datagram carries. */
    public int protocol;
    /** Where this fragment's data goes in the datagram, in bytes. */
    public int offset;
    /** Whether more fragments follow (the MF flag / M flag). */
    public boolean moreFragments;
    /** The largest payload the datagram may have (65,535 less the IPv4 header, or less IPv6's unfragmentable part). */
    public int maxPayload;
    /** The buffer holding the fragment's data and headers. */
    public ByteBuffer buffer;
    /** Absolute index of the fragment's data in {@link #buffer}. */
    public int dataOffset;
    /** Length of the fragment's data. */
    public int dataLength;
    /** Absolute index of the headers to keep with the datagram (the IPv4 header; IPv6's unfragmentable part). */
    public int headerOffset;
    /** Length of those headers. */
    public int headerLength;
}
