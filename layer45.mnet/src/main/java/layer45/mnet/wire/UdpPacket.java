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
public final class UdpPacket extends TransportPacket<UdpPacket> {

    /** The length of the header. */
    public static final int HEADER_LENGTH = 8;

    private static final int LENGTH = 4;
    private static final int CHECKSUM = 6;

    /** Creates an empty view; {@link #wrap} it before use. */
    public UdpPacket() {
    }

    /**
     * Checks the structure of received bytes.
     *
     * @return {@link WireCheck#VALID}; {@link WireCheck#TRUNCATED} below 8 bytes; {@link WireCheck#BAD_LENGTH} if
     *         the length field is below 8 or beyond the bytes wrapped (a shorter length field is fine: the bytes
     *         after it are padding)
     */
    @Override
    public WireCheck check() {
        if (!wrapsAtLeast(HEADER_LENGTH)) {
            return WireCheck.TRUNCATED;
        }
        int l = udpLength();
        return l < HEADER_LENGTH || l > len ? WireCheck.BAD_LENGTH : WireCheck.VALID;
    }

    /** @return the length field: header plus payload */
    public int udpLength() {
        return buf.getShort(off + LENGTH) & 0xFFFF;
    }

    /** @return the checksum field; 0 means none was computed (allowed over IPv4 only) */
    @Override
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
        return checksumOmitted() || checksumOver(udpLength(), pseudoHeaderSum) == 0;
    }

    /**
     * Computes and stores the checksum over header and payload; a computed 0 is sent as 0xFFFF (RFC 768). Call
     * after the payload and the length field are written.
     *
     * @param pseudoHeaderSum the IP pseudo-header sum for protocol UDP and length {@link #udpLength()}
     */
    public void fillChecksum(long pseudoHeaderSum) {
        setChecksum(0);
        int c = checksumOver(udpLength(), pseudoHeaderSum);
        setChecksum(c == 0 ? 0xFFFF : c);
    }

    /** @param length header plus payload, 8..65535 */
    public void setUdpLength(int length) {
        buf.putShort(off + LENGTH, (short) length);
    }

    /** @param checksum the checksum field */
    @Override
    public void setChecksum(int checksum) {
        buf.putShort(off + CHECKSUM, (short) checksum);
    }

    /** An omitted checksum stays omitted; a computed 0 is sent as 0xFFFF (RFC 768). */
    @Override
    void storeUpdatedChecksum(int updated) {
        if (!checksumOmitted()) {
            setChecksum(updated == 0 ? 0xFFFF : updated);
        }
    }

    @Override
    String describe() {
        return "UDP " + srcPort() + " > " + dstPort() + " len " + udpLength();
    }
}
