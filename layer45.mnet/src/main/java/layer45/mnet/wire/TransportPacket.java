package layer45.mnet.wire;

/**
 * What UDP (RFC 768) and TCP (RFC 9293, section 3.1) headers share: the source and destination ports in their first
 * four bytes, and a checksum over a pseudo-header that NAT updates incrementally (RFC 1624) when it rewrites a port
 * or an IP address.
 *
 * <p>{@link UdpPacket} and {@link TcpPacket} place the checksum field and say how an updated checksum is stored
 * (UDP keeps an omitted checksum omitted and never sends a computed 0).
 *
 * @param <V> the concrete view
 */
abstract sealed class TransportPacket<V extends TransportPacket<V>> extends PacketView<V>
        permits TcpPacket, UdpPacket {

    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;

    TransportPacket() {
    }

    /** @return the source port */
    public final int srcPort() {
        return buf.getShort(off + SRC_PORT) & 0xFFFF;
    }

    /** @return the destination port */
    public final int dstPort() {
        return buf.getShort(off + DST_PORT) & 0xFFFF;
    }

    /** @param port the source port */
    public final void setSrcPort(int port) {
        buf.putShort(off + SRC_PORT, (short) port);
    }

    /** @param port the destination port */
    public final void setDstPort(int port) {
        buf.putShort(off + DST_PORT, (short) port);
    }

    /** @return the checksum field */
    public abstract int checksum();

    /** @param checksum the checksum field */
    public abstract void setChecksum(int checksum);

    /**
     * Stores a checksum updated incrementally after a rewrite, by the protocol's rule for the field.
     *
     * @param updated the checksum {@link Checksum}'s {@code update} methods computed from {@link #checksum()}
     */
    abstract void storeUpdatedChecksum(int updated);

    /**
     * Rewrites the source port and updates the checksum incrementally (NAT); an omitted UDP checksum stays omitted.
     *
     * @param port the new source port
     */
    public final void setSrcPortWithChecksumUpdate(int port) {
        storeUpdatedChecksum(Checksum.update16(checksum(), srcPort(), port));
        setSrcPort(port);
    }

    /**
     * Rewrites the destination port and updates the checksum incrementally (NAT); an omitted UDP checksum stays
     * omitted.
     *
     * @param port the new destination port
     */
    public final void setDstPortWithChecksumUpdate(int port) {
        storeUpdatedChecksum(Checksum.update16(checksum(), dstPort(), port));
        setDstPort(port);
    }

    /**
     * Updates the checksum for a changed IPv4 address in the pseudo-header (NAT rewrote the IP header); an omitted
     * UDP checksum stays omitted.
     *
     * @param oldAddr the address before
     * @param newAddr the address after
     */
    public final void updateChecksumForAddressChange(int oldAddr, int newAddr) {
        storeUpdatedChecksum(Checksum.update32(checksum(), oldAddr, newAddr));
    }

    /**
     * Updates the checksum for a changed IPv6 address in the pseudo-header (NAT rewrote the IP header); an omitted
     * UDP checksum stays omitted.
     *
     * @param oldHigh the high 64 bits before
     * @param oldLow the low 64 bits before
     * @param newHigh the high 64 bits after
     * @param newLow the low 64 bits after
     */
    public final void updateChecksumForAddressChange(long oldHigh, long oldLow, long newHigh, long newLow) {
        storeUpdatedChecksum(Checksum.update64(Checksum.update64(checksum(), oldHigh, newHigh), oldLow, newLow));
    }
}
