package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * A reusable view of an ICMPv6 message (RFC 4443) in a big-endian {@link ByteBuffer}: wrap it around exactly the IP
 * payload, since the checksum covers every byte of it.
 *
 * <p>Every message has the same 8-byte header: type, code, checksum and four bytes whose meaning depends on the
 * type ({@link #restOfHeader()}: echo identifier and sequence, a pointer, an MTU, or unused), then data (for errors,
 * the start of the datagram that caused them). Offsets are absolute indices into the buffer; the view never moves
 * the buffer's position. After {@link #check()} returns {@link WireCheck#VALID}, no accessor throws.
 */
public final class Icmpv6Packet {

    /** The length of the header. */
    public static final int HEADER_LENGTH = 8;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int REST = 4;

    private ByteBuffer buf;
    private int off;
    private int len;

    /** Creates an empty view; {@link #wrap} it before use. */
    public Icmpv6Packet() {
    }

    /**
     * Points the view at {@code buf[offset, offset + length)} without checking anything.
     *
     * @param buf a big-endian buffer
     * @param offset absolute index of the message's first byte
     * @param length the IP payload length, or room to emit into
     * @return this view
     */
    public Icmpv6Packet wrap(ByteBuffer buf, int offset, int length) {
        this.buf = buf;
        this.off = offset;
        this.len = length;
        return this;
    }

    /**
     * @param buf a big-endian buffer whose position..limit is the message
     * @return this view
     */
    public Icmpv6Packet wrap(ByteBuffer buf) {
        return wrap(buf, buf.position(), buf.remaining());
    }

    /** @return {@link WireCheck#VALID}, or {@link WireCheck#TRUNCATED} below 8 bytes */
    public WireCheck check() {
        if (buf == null || off < 0 || len < HEADER_LENGTH || off > buf.limit() - len) {
            return WireCheck.TRUNCATED;
        }
        return WireCheck.VALID;
    }

    /** @return the buffer the view is on */
    public ByteBuffer buffer() {
        return buf;
    }

    /** @return the absolute index of the message's first byte */
    public int offset() {
        return off;
    }

    /** @return the number of bytes wrapped: the message length */
    public int length() {
        return len;
    }

    /** @return the type field */
    public int type() {
        return buf.get(off + TYPE) & 0xFF;
    }

    /** @return the code field */
    public int code() {
        return buf.get(off + CODE) & 0xFF;
    }

    /** @return the checksum field */
    public int checksum() {
        return buf.getShort(off + CHECKSUM) & 0xFFFF;
    }

    /** @return the four type-specific bytes after the checksum, as one {@code int} */
    public int restOfHeader() {
        return buf.getInt(off + REST);
    }

    /** @return the identifier of an echo request or reply */
    public int echoIdent() {
        return buf.getShort(off + REST) & 0xFFFF;
    }

    /** @return the sequence number of an echo request or reply */
    public int echoSeq() {
        return buf.getShort(off + REST + 2) & 0xFFFF;
    }

    /** @return the absolute index of the data after the header */
    public int payloadOffset() {
        return off + HEADER_LENGTH;
    }

    /** @return the data length: the message length minus 8 */
    public int payloadLength() {
        return len - HEADER_LENGTH;
    }

    /** @return the same as {@link #payloadOffset()} */
    public int dataOffset() {
        return payloadOffset();
    }

    /** @return the same as {@link #payloadLength()} */
    public int dataLength() {
        return payloadLength();
    }

    /** @param type the type field */
    public void setType(int type) {
        buf.put(off + TYPE, (byte) type);
    }

    /** @param code the code field */
    public void setCode(int code) {
        buf.put(off + CODE, (byte) code);
    }

    /** @param checksum the checksum field */
    public void setChecksum(int checksum) {
        buf.putShort(off + CHECKSUM, (short) checksum);
    }

    /** @param rest the four type-specific bytes after the checksum */
    public void setRestOfHeader(int rest) {
        buf.putInt(off + REST, rest);
    }

    /** @param ident the identifier of an echo request or reply */
    public void setEchoIdent(int ident) {
        buf.putShort(off + REST, (short) ident);
    }

    /** @param seq the sequence number of an echo request or reply */
    public void setEchoSeq(int seq) {
        buf.putShort(off + REST + 2, (short) seq);
    }

    /** @return the pointer of a Parameter Problem: the offset of the error in the quoted packet (32 bits) */
    public int pointer() {
        return buf.getInt(off + REST);
    }

    /** @return the MTU of a Packet Too Big (32 bits) */
    public int mtu() {
        return buf.getInt(off + REST);
    }

    /**
     * @param pseudoHeaderSum the IPv6 pseudo-header sum for next header 58 and length {@link #length()}
     * @return whether the checksum over the whole message is right
     */
    public boolean verifyChecksum(long pseudoHeaderSum) {
        return Checksum.finish(Checksum.add(buf, off, len, pseudoHeaderSum)) == 0;
    }

    /**
     * Computes and stores the checksum over the whole wrapped message; call after the data is written.
     *
     * @param pseudoHeaderSum the IPv6 pseudo-header sum for next header 58 and length {@link #length()}
     */
    public void fillChecksum(long pseudoHeaderSum) {
        setChecksum(0);
        setChecksum(Checksum.finish(Checksum.add(buf, off, len, pseudoHeaderSum)));
    }

    @Override
    public String toString() {
        if (buf == null || check() != WireCheck.VALID) {
            return "Icmpv6Packet(unchecked, " + len + " bytes)";
        }
        return "ICMPv6 " + Icmpv6Type.name(type()) + " code " + code() + " len " + len;
    }
}
