package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * A reusable view of an IPv6 packet's fixed header (RFC 8200, section 3) in a big-endian {@link ByteBuffer}.
 *
 * <p>Extension headers are walked by {@link Ipv6ExtensionHeaders}. Offsets are absolute indices into the buffer;
 * the view never moves the buffer's position. After {@link #check()} returns {@link WireCheck#VALID}, no accessor
 * throws.
 */
public final class Ipv6Packet extends PacketView<Ipv6Packet> {

    /** The length of the fixed header. */
    public static final int HEADER_LENGTH = 40;

    private static final int VER_TC_FLOW = 0;
    private static final int PAYLOAD_LENGTH = 4;
    private static final int NEXT_HEADER = 6;
    private static final int HOP_LIMIT = 7;
    private static final int SRC = 8;
    private static final int DST = 24;

    /** Creates an empty view; {@link #wrap} it before use. */
    public Ipv6Packet() {
    }

    /**
     * Checks the structure of received bytes (the fixed header only; walk the extension headers next).
     *
     * @return {@link WireCheck#VALID}; {@link WireCheck#TRUNCATED} if the bytes end before 40 bytes or before the
     *         payload length; {@link WireCheck#BAD_VERSION}; {@link WireCheck#BAD_LENGTH} for a payload length of 0
     *         with a Hop-by-Hop header: a jumbogram (RFC 2675), which is unsupported
     */
    @Override
    public WireCheck check() {
        WireCheck header = checkQuoted();
        if (header != WireCheck.VALID) {
            return header;
        }
        return HEADER_LENGTH + payloadLength() > len ? WireCheck.TRUNCATED : WireCheck.VALID;
    }

    /**
     * Checks the header of a packet quoted in an ICMPv6 error, which may have been cut: as {@link #check()} but the
     * payload length may exceed the bytes present (see {@link #availablePayloadLength()}).
     *
     * @return the first problem found, or {@link WireCheck#VALID}
     */
    public WireCheck checkQuoted() {
        if (!wrapsAtLeast(HEADER_LENGTH)) {
            return WireCheck.TRUNCATED;
        }
        if (version() != 6) {
            return WireCheck.BAD_VERSION;
        }
        if (payloadLength() == 0 && nextHeader() == IpProtocol.HOPOPT) {
            return WireCheck.BAD_LENGTH;
        }
        return WireCheck.VALID;
    }

    /** @return the version field (6 for IPv6) */
    public int version() {
        return (buf.get(off + VER_TC_FLOW) & 0xFF) >>> 4;
    }

    /** @return the traffic class: DSCP in the high 6 bits, ECN in the low 2 */
    public int trafficClass() {
        return buf.getInt(off + VER_TC_FLOW) >>> 20 & 0xFF;
    }

    /** @return the flow label, 20 bits (RFC 6437) */
    public int flowLabel() {
        return buf.getInt(off + VER_TC_FLOW) & 0xF_FFFF;
    }

    /** @return the payload length field: bytes after the fixed header, extension headers included */
    public int payloadLength() {
        return buf.getShort(off + PAYLOAD_LENGTH) & 0xFFFF;
    }

    /** @return the Next Header field: the first extension header or the upper-layer protocol */
    public int nextHeader() {
        return buf.get(off + NEXT_HEADER) & 0xFF;
    }

    /** @return the hop limit */
    public int hopLimit() {
        return buf.get(off + HOP_LIMIT) & 0xFF;
    }

    /** @return the high 64 bits of the source address */
    public long srcHigh() {
        return buf.getLong(off + SRC);
    }

    /** @return the low 64 bits of the source address */
    public long srcLow() {
        return buf.getLong(off + SRC + 8);
    }

    /** @return the high 64 bits of the destination address */
    public long dstHigh() {
        return buf.getLong(off + DST);
    }

    /** @return the low 64 bits of the destination address */
    public long dstLow() {
        return buf.getLong(off + DST + 8);
    }

    /** @return the absolute index of the payload's first byte (the first extension header, if any) */
    public int payloadOffset() {
        return off + HEADER_LENGTH;
    }

    /**
     * @return the payload bytes actually present: {@link #payloadLength()} after {@link #check()}, possibly less
     *         after {@link #checkQuoted()}
     */
    public int availablePayloadLength() {
        return Math.min(payloadLength(), len - HEADER_LENGTH);
    }

    /**
     * @param nextHeader the upper-layer protocol (not the first extension header)
     * @param upperLength the upper-layer header plus payload length
     * @return the pseudo-header running sum for the upper-layer checksum (RFC 8200, section 8.1)
     */
    public long pseudoHeaderSum(int nextHeader, int upperLength) {
        return Checksum.pseudoHeaderV6(srcHigh(), srcLow(), dstHigh(), dstLow(), nextHeader, upperLength);
    }

    /** @param version the version field, 0..15 (6 for a valid packet) */
    public void setVersion(int version) {
        int v = buf.getInt(off + VER_TC_FLOW) & 0x0FFF_FFFF;
        buf.putInt(off + VER_TC_FLOW, (version & 0xF) << 28 | v);
    }

    /** @param trafficClass the traffic class, 0..255 */
    public void setTrafficClass(int trafficClass) {
        int v = buf.getInt(off + VER_TC_FLOW) & 0xF00F_FFFF;
        buf.putInt(off + VER_TC_FLOW, (trafficClass & 0xFF) << 20 | v);
    }

    /** @param flowLabel the flow label, 0..0xFFFFF */
    public void setFlowLabel(int flowLabel) {
        int v = buf.getInt(off + VER_TC_FLOW) & 0xFFF0_0000;
        buf.putInt(off + VER_TC_FLOW, v | flowLabel & 0xF_FFFF);
    }

    /** @param payloadLength bytes after the fixed header, 0..65535 */
    public void setPayloadLength(int payloadLength) {
        buf.putShort(off + PAYLOAD_LENGTH, (short) payloadLength);
    }

    /** @param nextHeader the Next Header field, 0..255 */
    public void setNextHeader(int nextHeader) {
        buf.put(off + NEXT_HEADER, (byte) nextHeader);
    }

    /** @param hopLimit the hop limit, 0..255 */
    public void setHopLimit(int hopLimit) {
        buf.put(off + HOP_LIMIT, (byte) hopLimit);
    }

    /**
     * @param high the high 64 bits of the source address
     * @param low the low 64 bits of the source address
     */
    public void setSrcAddr(long high, long low) {
        buf.putLong(off + SRC, high);
        buf.putLong(off + SRC + 8, low);
    }

    /**
     * @param high the high 64 bits of the destination address
     * @param low the low 64 bits of the destination address
     */
    public void setDstAddr(long high, long low) {
        buf.putLong(off + DST, high);
        buf.putLong(off + DST + 8, low);
    }

    @Override
    String describe() {
        return "IPv6 " + new Ipv6Address(srcHigh(), srcLow()) + " > " + new Ipv6Address(dstHigh(), dstLow()) + " "
                + IpProtocol.name(nextHeader()) + " payload " + payloadLength() + " hlim " + hopLimit();
    }
}
