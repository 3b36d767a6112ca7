package layer45.mnet;

/**
 * The network-layer facts of one packet, exchanged with a {@link NetworkProtocolHandler}: a reusable holder that
 * the stack fills or reads in place, so nothing is allocated per packet.
 *
 * <p>Addresses are 128 bits for every protocol. IPv4 addresses sit in the low 32 bits with the high 64 bits zero;
 * a plugged-in protocol uses the 128 bits as it likes, and its addresses are shown and routed in IPv6 notation.
 */
public final class NetworkHeader {

    private long srcHigh;
    private long srcLow;
    private long dstHigh;
    private long dstLow;
    private int transportProtocol;
    private int hopLimit;
    private int payloadOffset;
    private int payloadLength;

    /** @return the source address's high 64 bits */
    public long srcHigh() {
        return srcHigh;
    }

    /** @return the source address's low 64 bits */
    public long srcLow() {
        return srcLow;
    }

    /** @return the destination address's high 64 bits */
    public long dstHigh() {
        return dstHigh;
    }

    /** @return the destination address's low 64 bits */
    public long dstLow() {
        return dstLow;
    }

    /** @return the transport protocol number (IANA protocol numbers: 17 for UDP) */
    public int transportProtocol() {
        return transportProtocol;
    }

    /** @return the hop limit (time to live) */
    public int hopLimit() {
        return hopLimit;
    }

    /** @return the absolute index of the transport payload in the packet's buffer */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** @return the transport payload's length */
    public int payloadLength() {
        return payloadLength;
    }

    /**
     * @param high the source address's high 64 bits
     * @param low its low 64 bits
     * @return this
     */
    public NetworkHeader source(long high, long low) {
        this.srcHigh = high;
        this.srcLow = low;
        return this;
    }

    /**
     * @param high the destination address's high 64 bits
     * @param low its low 64 bits
     * @return this
     */
    public NetworkHeader destination(long high, long low) {
        this.dstHigh = high;
        this.dstLow = low;
        return this;
    }

    /**
     * @param protocol the transport protocol number
     * @param hops the hop limit
     * @return this
     */
    public NetworkHeader transport(int protocol, int hops) {
        this.transportProtocol = protocol;
        this.hopLimit = hops;
        return this;
    }

    /**
     * @param offset the absolute index of the transport payload in the packet's buffer
     * @param length its length
     * @return this
     */
    public NetworkHeader payload(int offset, int length) {
        this.payloadOffset = offset;
        this.payloadLength = length;
        return this;
    }
}
