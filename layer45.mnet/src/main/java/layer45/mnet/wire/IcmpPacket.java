package layer45.mnet.wire;

/**
 * The header ICMPv4 (RFC 792) and ICMPv6 (RFC 4443, section 2.1) share: type, code, checksum and four bytes whose
 * meaning depends on the type, then data.
 *
 * <p>{@link Icmpv4Packet} and {@link Icmpv6Packet} add only what differs: the checksum (ICMPv6 covers an IPv6
 * pseudo-header, ICMPv4 does not) and the names and widths of the type-specific fields.
 *
 * @param <V> the concrete view
 */
abstract sealed class IcmpPacket<V extends IcmpPacket<V>> extends PacketView<V> permits Icmpv4Packet, Icmpv6Packet {

    /** The length of the header, the same in both versions. */
    static final int HEADER_LENGTH = 8;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    static final int REST = 4;

    IcmpPacket() {
    }

    /** @return {@link WireCheck#VALID}, or {@link WireCheck#TRUNCATED} below 8 bytes */
    @Override
    public final WireCheck check() {
        return wrapsAtLeast(HEADER_LENGTH) ? WireCheck.VALID : WireCheck.TRUNCATED;
    }

    /** @return the type field */
    public final int type() {
        return buf.get(off + TYPE) & 0xFF;
    }

    /** @return the code field */
    public final int code() {
        return buf.get(off + CODE) & 0xFF;
    }

    /** @return the checksum field */
    public final int checksum() {
        return buf.getShort(off + CHECKSUM) & 0xFFFF;
    }

    /** @return the four type-specific bytes after the checksum, as one {@code int} */
    public final int restOfHeader() {
        return buf.getInt(off + REST);
    }

    /** @return the identifier of an echo request or reply */
    public final int echoIdent() {
        return buf.getShort(off + REST) & 0xFFFF;
    }

    /** @return the sequence number of an echo request or reply */
    public final int echoSeq() {
        return buf.getShort(off + REST + 2) & 0xFFFF;
    }

    /** @return the absolute index of the data after the header */
    public final int payloadOffset() {
        return off + HEADER_LENGTH;
    }

    /** @return the data length: the message length minus 8 */
    public final int payloadLength() {
        return len - HEADER_LENGTH;
    }

    /** @return the same as {@link #payloadOffset()} */
    public final int dataOffset() {
        return payloadOffset();
    }

    /** @return the same as {@link #payloadLength()} */
    public final int dataLength() {
        return payloadLength();
    }

    /** @param type the type field */
    public final void setType(int type) {
        buf.put(off + TYPE, (byte) type);
    }

    /** @param code the code field */
    public final void setCode(int code) {
        buf.put(off + CODE, (byte) code);
    }

    /** @param checksum the checksum field */
    public final void setChecksum(int checksum) {
        buf.putShort(off + CHECKSUM, (short) checksum);
    }

    /** @param rest the four type-specific bytes after the checksum */
    public final void setRestOfHeader(int rest) {
        buf.putInt(off + REST, rest);
    }

    /** @param ident the identifier of an echo request or reply */
    public final void setEchoIdent(int ident) {
        buf.putShort(off + REST, (short) ident);
    }

    /** @param seq the sequence number of an echo request or reply */
    public final void setEchoSeq(int seq) {
        buf.putShort(off + REST + 2, (short) seq);
    }

    /**
     * @param initialSum 0 for ICMPv4, the IPv6 pseudo-header sum for ICMPv6
     * @return whether the checksum over the whole message is right
     */
    final boolean checksumRight(long initialSum) {
        return checksumOver(len, initialSum) == 0;
    }

    /**
     * Computes and stores the checksum over the whole message.
     *
     * @param initialSum 0 for ICMPv4, the IPv6 pseudo-header sum for ICMPv6
     */
    final void storeChecksum(long initialSum) {
        setChecksum(0);
        setChecksum(checksumOver(len, initialSum));
    }

    /**
     * Writes the whole header of a message value, the checksum as zero: the shared body of the Repr {@code emit}s.
     *
     * @param header what is emitted, for the error message: "an ICMPv4 header"
     * @param repr the message
     * @throws IllegalArgumentException if the view wraps fewer than 8 bytes
     */
    final void emitHeader(String header, IcmpRepr repr) {
        Reprs.room(header, HEADER_LENGTH, len);
        setType(repr.type());
        setCode(repr.code());
        setChecksum(0);
        setRestOfHeader(repr.restOfHeader());
    }
}
