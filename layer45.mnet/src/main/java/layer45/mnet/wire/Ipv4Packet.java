package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * A reusable view of an IPv4 packet (RFC 791) in a big-endian {@link ByteBuffer}.
 *
 * <p>Offsets are absolute indices into the buffer; the view never moves the buffer's position. After
 * {@link #check()} returns {@link WireCheck#VALID}, no accessor throws. See the package documentation for the
 * parse and emit sequences.
 */
public final class Ipv4Packet extends PacketView<Ipv4Packet> {

    /** The length of a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** The length of a header with the most options (IHL 15). */
    public static final int MAX_HEADER_LENGTH = 60;
    /** Option type End of Option List (RFC 791). */
    public static final int OPTION_EOL = 0;
    /** Option type No Operation (RFC 791). */
    public static final int OPTION_NOP = 1;

    private static final int VER_IHL = 0;
    private static final int TOS = 1;
    private static final int TOTAL_LENGTH = 2;
    private static final int IDENT = 4;
    private static final int FLAGS_FRAG = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int CHECKSUM = 10;
    private static final int SRC = 12;
    private static final int DST = 16;
    private static final int DF = 0x4000;
    private static final int MF = 0x2000;
    private static final int FRAG_OFFSET_MASK = 0x1FFF;

    /** Creates an empty view; {@link #wrap} it before use. */
    public Ipv4Packet() {
    }

    /**
     * Checks the structure of received bytes.
     *
     * @return {@link WireCheck#VALID}; {@link WireCheck#TRUNCATED} if the bytes end before 20 bytes, the header
     *         length or the total length; {@link WireCheck#BAD_VERSION}; {@link WireCheck#BAD_HEADER_LENGTH} if IHL
     *         is below 5; {@link WireCheck#BAD_TOTAL_LENGTH} if the total length is below the header length;
     *         {@link WireCheck#BAD_FRAGMENT} if the fragment ends past 65535; {@link WireCheck#BAD_OPTIONS}
     */
    @Override
    public WireCheck check() {
        WireCheck header = checkHeader();
        if (header != WireCheck.VALID) {
            return header;
        }
        return totalLength() > len ? WireCheck.TRUNCATED : WireCheck.VALID;
    }

    /**
     * Checks the header of a datagram quoted in an ICMP error, which may have been cut after its first bytes: as
     * {@link #check()} but the total length may exceed the bytes present. Use {@link #availablePayloadLength()}
     * for the payload bytes present.
     *
     * @return the first problem found, or {@link WireCheck#VALID}
     */
    public WireCheck checkQuoted() {
        return checkHeader();
    }

    private WireCheck checkHeader() {
        if (!wrapsAtLeast(MIN_HEADER_LENGTH)) {
            return WireCheck.TRUNCATED;
        }
        if (version() != 4) {
            return WireCheck.BAD_VERSION;
        }
        int hl = headerLength();
        if (hl < MIN_HEADER_LENGTH) {
            return WireCheck.BAD_HEADER_LENGTH;
        }
        if (hl > len) {
            return WireCheck.TRUNCATED;
        }
        int total = totalLength();
        if (total < hl) {
            return WireCheck.BAD_TOTAL_LENGTH;
        }
        if (fragmentOffset() + total - hl > 0xFFFF) {
            return WireCheck.BAD_FRAGMENT;
        }
        return checkOptions(off + MIN_HEADER_LENGTH, off + hl, false);
    }

    /** @return the version field (4 for IPv4) */
    public int version() {
        return (buf.get(off + VER_IHL) & 0xFF) >>> 4;
    }

    /** @return the header length in bytes (IHL times 4) */
    public int headerLength() {
        return (buf.get(off + VER_IHL) & 0x0F) << 2;
    }

    /** @return the Type of Service byte: DSCP in the high 6 bits, ECN in the low 2 (RFC 2474, RFC 3168) */
    public int dscpEcn() {
        return buf.get(off + TOS) & 0xFF;
    }

    /** @return the Differentiated Services Code Point (RFC 2474) */
    public int dscp() {
        return dscpEcn() >>> 2;
    }

    /** @return the Explicit Congestion Notification bits (RFC 3168) */
    public int ecn() {
        return dscpEcn() & 0x3;
    }

    /** @return the total length field: header plus payload, in bytes */
    public int totalLength() {
        return buf.getShort(off + TOTAL_LENGTH) & 0xFFFF;
    }

    /** @return the identification field */
    public int ident() {
        return buf.getShort(off + IDENT) & 0xFFFF;
    }

    /** @return the Don't Fragment flag */
    public boolean dontFragment() {
        return (buf.getShort(off + FLAGS_FRAG) & DF) != 0;
    }

    /** @return the More Fragments flag */
    public boolean moreFragments() {
        return (buf.getShort(off + FLAGS_FRAG) & MF) != 0;
    }

    /** @return the fragment offset in bytes (the field times 8) */
    public int fragmentOffset() {
        return (buf.getShort(off + FLAGS_FRAG) & FRAG_OFFSET_MASK) << 3;
    }

    /** @return whether this is a fragment of a larger datagram: More Fragments set or a non-zero offset */
    public boolean isFragment() {
        return (buf.getShort(off + FLAGS_FRAG) & (MF | FRAG_OFFSET_MASK)) != 0;
    }

    /** @return the time to live */
    public int ttl() {
        return buf.get(off + TTL) & 0xFF;
    }

    /** @return the protocol field, one of {@link IpProtocol} */
    public int protocol() {
        return buf.get(off + PROTOCOL) & 0xFF;
    }

    /** @return the header checksum field */
    public int checksum() {
        return buf.getShort(off + CHECKSUM) & 0xFFFF;
    }

    /** @return the source address */
    public int srcAddr() {
        return buf.getInt(off + SRC);
    }

    /** @return the destination address */
    public int dstAddr() {
        return buf.getInt(off + DST);
    }

    /** @return the absolute index of the first option byte */
    public int optionsOffset() {
        return off + MIN_HEADER_LENGTH;
    }

    /** @return the length of the options region, padding included: header length minus 20 */
    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /** @return the absolute index of the payload's first byte */
    public int payloadOffset() {
        return off + headerLength();
    }

    /** @return the payload length by the total length field (trailing bytes of the buffer are not payload) */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /**
     * @return the payload bytes actually present: {@link #payloadLength()} after {@link #check()}, possibly less
     *         after {@link #checkQuoted()}
     */
    public int availablePayloadLength() {
        return Math.min(totalLength(), len) - headerLength();
    }

    /** @return whether the header checksum is right */
    public boolean verifyChecksum() {
        return checksumOver(headerLength(), 0) == 0;
    }

    /** Computes the header checksum and stores it; call after every other header field is written. */
    public void fillChecksum() {
        setChecksum(0);
        setChecksum(checksumOver(headerLength(), 0));
    }

    /**
     * @param protocol the transport protocol
     * @param transportLength the transport header plus payload length
     * @return the pseudo-header running sum for the transport checksum
     */
    public long pseudoHeaderSum(int protocol, int transportLength) {
        return Checksum.pseudoHeaderV4(srcAddr(), dstAddr(), protocol, transportLength);
    }

    /** @param version the version field, 0..15 (4 for a valid packet) */
    public void setVersion(int version) {
        int b = buf.get(off + VER_IHL) & 0x0F;
        buf.put(off + VER_IHL, (byte) ((version & 0x0F) << 4 | b));
    }

    /**
     * @param headerLength the header length in bytes: a multiple of 4, 20..60
     * @throws IllegalArgumentException if it is not
     */
    public void setHeaderLength(int headerLength) {
        checkWordHeaderLength("IPv4", headerLength);
        int b = buf.get(off + VER_IHL) & 0xF0;
        buf.put(off + VER_IHL, (byte) (b | headerLength >>> 2));
    }

    /** @param dscpEcn the whole Type of Service byte */
    public void setDscpEcn(int dscpEcn) {
        buf.put(off + TOS, (byte) dscpEcn);
    }

    /** @param dscp the DSCP, 0..63 */
    public void setDscp(int dscp) {
        setDscpEcn((dscp & 0x3F) << 2 | ecn());
    }

    /** @param ecn the ECN bits, 0..3 */
    public void setEcn(int ecn) {
        setDscpEcn(dscpEcn() & 0xFC | ecn & 0x3);
    }

    /** @param totalLength header plus payload, 0..65535 */
    public void setTotalLength(int totalLength) {
        buf.putShort(off + TOTAL_LENGTH, (short) totalLength);
    }

    /** @param ident the identification field */
    public void setIdent(int ident) {
        buf.putShort(off + IDENT, (short) ident);
    }

    /** @param dontFragment the Don't Fragment flag */
    public void setDontFragment(boolean dontFragment) {
        setFlagBit(DF, dontFragment);
    }

    /** @param moreFragments the More Fragments flag */
    public void setMoreFragments(boolean moreFragments) {
        setFlagBit(MF, moreFragments);
    }

    private void setFlagBit(int bit, boolean on) {
        int v = buf.getShort(off + FLAGS_FRAG);
        buf.putShort(off + FLAGS_FRAG, (short) (on ? v | bit : v & ~bit));
    }

    /**
     * Writes the flags and fragment offset together, the reserved bit zero.
     *
     * @param dontFragment the Don't Fragment flag
     * @param moreFragments the More Fragments flag
     * @param fragmentOffset the offset in bytes: a multiple of 8, 0..65528
     * @throws IllegalArgumentException if the offset is not
     */
    public void setFlagsAndFragmentOffset(boolean dontFragment, boolean moreFragments, int fragmentOffset) {
        checkFragmentOffset(fragmentOffset);
        buf.putShort(off + FLAGS_FRAG,
                (short) ((dontFragment ? DF : 0) | (moreFragments ? MF : 0) | fragmentOffset >>> 3));
    }

    /**
     * @param fragmentOffset the offset in bytes: a multiple of 8, 0..65528; the flags are kept
     * @throws IllegalArgumentException if the offset is not
     */
    public void setFragmentOffset(int fragmentOffset) {
        checkFragmentOffset(fragmentOffset);
        int flags = buf.getShort(off + FLAGS_FRAG) & ~FRAG_OFFSET_MASK;
        buf.putShort(off + FLAGS_FRAG, (short) (flags | fragmentOffset >>> 3));
    }

    private static void checkFragmentOffset(int fragmentOffset) {
        if ((fragmentOffset & 7) != 0 || fragmentOffset < 0 || fragmentOffset > FRAG_OFFSET_MASK << 3) {
            throw new IllegalArgumentException("IPv4 fragment offset " + fragmentOffset
                    + " must be a multiple of 8 between 0 and 65528");
        }
    }

    /** @param ttl the time to live, 0..255 */
    public void setTtl(int ttl) {
        buf.put(off + TTL, (byte) ttl);
    }

    /** @param protocol the protocol field, 0..255 */
    public void setProtocol(int protocol) {
        buf.put(off + PROTOCOL, (byte) protocol);
    }

    /** @param checksum the header checksum field */
    public void setChecksum(int checksum) {
        buf.putShort(off + CHECKSUM, (short) checksum);
    }

    /** @param addr the source address */
    public void setSrcAddr(int addr) {
        buf.putInt(off + SRC, addr);
    }

    /** @param addr the destination address */
    public void setDstAddr(int addr) {
        buf.putInt(off + DST, addr);
    }

    /**
     * Rewrites the source address and updates the header checksum incrementally (RFC 1624), for NAT. The transport
     * checksum, which covers the address through the pseudo-header, is the caller's to update.
     *
     * @param addr the new source address
     */
    public void setSrcAddrWithChecksumUpdate(int addr) {
        setChecksum(Checksum.update32(checksum(), srcAddr(), addr));
        setSrcAddr(addr);
    }

    /**
     * Rewrites the destination address and updates the header checksum incrementally (RFC 1624), for NAT.
     *
     * @param addr the new destination address
     */
    public void setDstAddrWithChecksumUpdate(int addr) {
        setChecksum(Checksum.update32(checksum(), dstAddr(), addr));
        setDstAddr(addr);
    }

    /**
     * Decrements the TTL and updates the header checksum incrementally, as a router does (RFC 1624, section 5).
     * The caller checks that the TTL is above 1 first.
     */
    public void decrementTtlWithChecksumUpdate() {
        int oldWord = buf.getShort(off + TTL) & 0xFFFF;
        setTtl(ttl() - 1);
        setChecksum(Checksum.update16(checksum(), oldWord, buf.getShort(off + TTL) & 0xFFFF));
    }

    @Override
    String describe() {
        return "IPv4 " + new Ipv4Address(srcAddr()) + " > " + new Ipv4Address(dstAddr()) + " "
                + IpProtocol.name(protocol()) + " len " + totalLength() + " ttl " + ttl()
                + (isFragment() ? " frag " + fragmentOffset() + (moreFragments() ? "+" : "") : "");
    }
}
