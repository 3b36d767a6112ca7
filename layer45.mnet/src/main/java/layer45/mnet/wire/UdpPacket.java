package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * A reusable view of a UDP datagram (RFC 768) in a big-endian {@link ByteBuffer}: wrap it around exactly the IP
 * payload.
 *
 * <p>Offsets are absolute indices into the buffer; the view never moves the buffer's position. After
 * {@link #check()} returns {@link WireCheck#VALID}, no accessor throws. The length field is read with
 * {@link #udpLength()}; {@link #length()} is the number of bytes wrapped, as in every view.
 */
public final class UdpPacket {

    /** The length of the header. */
    public static final int HEADER_LENGTH = 8;

    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;
    private static final int LENGTH = 4;
    private static final int CHECKSUM = 6;

    private ByteBuffer buf;
    private int off;
    private int len;

    /** Creates an empty view; {@link #wrap} it before use. */
    public UdpPacket() {
    }

    /**
     * Points the view at {@code buf[offset, offset + length)} without checking anything.
     *
     * @param buf a big-endian buffer
     * @param offset absolute index of the UDP header
     * @param length the IP payload length, or room to emit into
     * @return this view
     */
    public UdpPacket wrap(ByteBuffer buf, int offset, int length) {
        this.buf = buf;
        this.off = offset;
        this.len = length;
        return this;
    }

    /**
     * @param buf a big-endian buffer whose position..limit is the datagram
     * @return this view
     */
    public UdpPacket wrap(ByteBuffer buf) {
        return wrap(buf, buf.position(), buf.remaining());
    }

    /**
     * Checks the structure of received bytes.
     *
     * @return {@link WireCheck#VALID}; {@link WireCheck#TRUNCATED} below 8 bytes; {@link WireCheck#BAD_LENGTH} if
     *         the length field is below 8 or beyond the bytes wrapped (a shorter length field is fine: the bytes
     *         after it are padding)
     */
    public WireCheck check() {
        if (buf == null || off < 0 || len < HEADER_LENGTH || off > buf.limit() - len) {
            return WireCheck.TRUNCATED;
        }
        int l = udpLength();
        return l < HEADER_LENGTH || l > len ? WireCheck.BAD_LENGTH : WireCheck.VALID;
    }

    /** @return the buffer the view is on */
    public ByteBuffer buffer() {
        return buf;
    }

    /** @return the absolute index of the UDP header */
    public int offset() {
        return off;
    }

    /** @return the number of bytes wrapped */
    public int length() {
        return len;
    }

    /** @return the source port */
    public int srcPort() {
        return buf.getShort(off + SRC_PORT) & 0xFFFF;
    }

    /** @return the destination port */
    public int dstPort() {
        return buf.getShort(off + DST_PORT) & 0xFFFF;
    }

    /** @return the length field: header plus payload */
    public int udpLength() {
        return buf.getShort(off + LENGTH) & 0xFFFF;
    }

    /** @return the checksum field; 0 means none was computed (allowed over IPv4 only) */
    public int checksum() {
        return buf.getShort(off + CHECKSUM) & 0xFFFF;
    }

    /**
     * @return whether the sender omitted the checksum (field 0, RFC 768); an IPv6 receiver drops such datagrams
     *         (RFC 8200, section 8.1)
     */
    public boolean checksumOmitted() {
        return checksum() == 0;
    }

    /** @return the absolute index of the payload */
    public int payloadOffset() {
        return off + HEADER_LENGTH;
    }

    /** @return the payload length by the length field */
    public int payloadLength() {
        return udpLength() - HEADER_LENGTH;
    }

    /**
     * @param pseudoHeaderSum the IP pseudo-header sum for protocol UDP and length {@link #udpLength()}
     * @return whether the checksum is right, or omitted (the caller rejects an omitted checksum over IPv6 with
     *         {@link #checksumOmitted()})
     */
    public boolean verifyChecksum(long pseudoHeaderSum) {
        return checksumOmitted() || Checksum.finish(Checksum.add(buf, off, udpLength(), pseudoHeaderSum)) == 0;
    }

    /**
     * Computes and stores the checksum over header and payload; a computed 0 is sent as 0xFFFF (RFC 768). Call
     * after the payload and the length field are written.
     *
     * @param pseudoHeaderSum the IP pseudo-header sum for protocol UDP and length {@link #udpLength()}
     */
    public void fillChecksum(long pseudoHeaderSum) {
        setChecksum(0);
        int c = Checksum.finish(Checksum.add(buf, off, udpLength(), pseudoHeaderSum));
        setChecksum(c == 0 ? 0xFFFF : c);
    }

    /** @param port the source port */
    public void setSrcPort(int port) {
        buf.putShort(off + SRC_PORT, (short) port);
    }

    /** @param port the destination port */
    public void setDstPort(int port) {
        buf.putShort(off + DST_PORT, (short) port);
    }

    /** @param length header plus payload, 8..65535 */
    public void setUdpLength(int length) {
        buf.putShort(off + LENGTH, (short) length);
    }

    /** @param checksum the checksum field */
    public void setChecksum(int checksum) {
        buf.putShort(off + CHECKSUM, (short) checksum);
    }

    /**
     * Rewrites the source port and updates the checksum incrementally (NAT); an omitted checksum stays omitted.
     *
     * @param port the new source port
     */
    public void setSrcPortWithChecksumUpdate(int port) {
        updateChecksum(Checksum.update16(checksum(), srcPort(), port));
        setSrcPort(port);
    }

    /**
     * Rewrites the destination port and updates the checksum incrementally (NAT); an omitted checksum stays
     * omitted.
     *
     * @param port the new destination port
     */
    public void setDstPortWithChecksumUpdate(int port) {
        updateChecksum(Checksum.update16(checksum(), dstPort(), port));
        setDstPort(port);
    }

    /**
     * Updates the checksum for a changed IPv4 address in the pseudo-header (NAT rewrote the IP header).
     *
     * @param oldAddr the address before
     * @param newAddr the address after
     */
    public void updateChecksumForAddressChange(int oldAddr, int newAddr) {
        updateChecksum(Checksum.update32(checksum(), oldAddr, newAddr));
    }

    /**
     * Updates the checksum for a changed IPv6 address in the pseudo-header (NAT rewrote the IP header).
     *
     * @param oldHigh the high 64 bits before
     * @param oldLow the low 64 bits before
     * @param newHigh the high 64 bits after
     * @param newLow the low 64 bits after
     */
    public void updateChecksumForAddressChange(long oldHigh, long oldLow, long newHigh, long newLow) {
        int c = checksum();
        if (c != 0) {
            c = Checksum.update64(Checksum.update64(c, oldHigh, newHigh), oldLow, newLow);
            setChecksum(c == 0 ? 0xFFFF : c);
        }
    }

    private void updateChecksum(int updated) {
        if (!checksumOmitted()) {
            setChecksum(updated == 0 ? 0xFFFF : updated);
        }
    }

    @Override
    public String toString() {
        if (buf == null || check() != WireCheck.VALID) {
            return "UdpPacket(unchecked, " + len + " bytes)";
        }
        return "UDP " + srcPort() + " > " + dstPort() + " len " + udpLength();
    }
}
