package layer45.mnet.wire;

/**
 * The ports of a UDP header as a value; the length and checksum follow from the payload.
 *
 * @param srcPort the source port, 0..65535
 * @param dstPort the destination port, 0..65535
 */
public record UdpRepr(int srcPort, int dstPort) {

    /** @throws IllegalArgumentException if a port is out of range */
    public UdpRepr {
        Reprs.range("UDP source port", srcPort, 0, 0xFFFF);
        Reprs.range("UDP destination port", dstPort, 0, 0xFFFF);
    }

    /**
     * @param p a datagram that passed {@link UdpPacket#check()}; the checksum is the caller's to verify
     * @return its ports; never fails
     */
    public static UdpRepr parse(UdpPacket p) {
        return new UdpRepr(p.srcPort(), p.dstPort());
    }

    /** @return 8 */
    public int headerLength() {
        return UdpPacket.HEADER_LENGTH;
    }

    /**
     * @param payloadLength the payload length
     * @return header plus payload
     */
    public int bufferLength(int payloadLength) {
        return UdpPacket.HEADER_LENGTH + payloadLength;
    }

    /**
     * Writes every header field, the length as {@code 8 + payloadLength} and the checksum as zero; the caller
     * writes the payload, then calls {@link UdpPacket#fillChecksum(long)}.
     *
     * @param p a view wrapped, unchecked, around at least 8 bytes
     * @param payloadLength the payload length, 0..65527
     * @throws IllegalArgumentException if the view is too short or the length out of range
     */
    public void emit(UdpPacket p, int payloadLength) {
        Reprs.room("a UDP header", UdpPacket.HEADER_LENGTH, p.length());
        Reprs.range("UDP payload length", payloadLength, 0, 0xFFFF - UdpPacket.HEADER_LENGTH);
        p.setSrcPort(srcPort);
        p.setDstPort(dstPort);
        p.setUdpLength(UdpPacket.HEADER_LENGTH + payloadLength);
        p.setChecksum(0);
    }

    /**
     * Writes every header field for a datagram that fills the whole view: the length field becomes
     * {@code p.length()}.
     *
     * @param p a view wrapped, unchecked, around exactly the datagram
     * @throws IllegalArgumentException if the view is shorter than 8 or longer than 65535 bytes
     */
    public void emit(UdpPacket p) {
        emit(p, p.length() - UdpPacket.HEADER_LENGTH);
    }
}
