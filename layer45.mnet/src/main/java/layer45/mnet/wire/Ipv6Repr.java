package layer45.mnet.wire;

import java.util.Objects;

/**
 * The fields of an IPv6 fixed header as a value, for control paths, tests and rare packets. Extension headers are
 * part of the payload: a repr does not describe them.
 *
 * @param src the source address
 * @param dst the destination address
 * @param nextHeader the Next Header field (the first extension header or the upper protocol)
 * @param payloadLength the payload length field, 0..65535
 * @param hopLimit the hop limit, 0..255
 * @param trafficClass the traffic class, 0..255
 * @param flowLabel the flow label, 0..0xFFFFF
 */
public record Ipv6Repr(Ipv6Address src, Ipv6Address dst, int nextHeader, int payloadLength, int hopLimit,
        int trafficClass, int flowLabel) implements IpRepr {

    /** @throws IllegalArgumentException if a field is out of its range */
    public Ipv6Repr {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Reprs.range("IPv6 next header", nextHeader, 0, 255);
        Reprs.range("IPv6 payload length", payloadLength, 0, 0xFFFF);
        Reprs.range("IPv6 hop limit", hopLimit, 0, 255);
        Reprs.range("IPv6 traffic class", trafficClass, 0, 255);
        Reprs.range("IPv6 flow label", flowLabel, 0, 0xF_FFFF);
    }

    /**
     * @param p a packet that passed {@link Ipv6Packet#check()}
     * @return its fixed header's fields; never fails
     */
    public static Ipv6Repr parse(Ipv6Packet p) {
        return new Ipv6Repr(new Ipv6Address(p.srcHigh(), p.srcLow()), new Ipv6Address(p.dstHigh(), p.dstLow()),
                p.nextHeader(), p.payloadLength(), p.hopLimit(), p.trafficClass(), p.flowLabel());
    }

    @Override
    public int version() {
        return 6;
    }

    /** @return 40 */
    @Override
    public int headerLength() {
        return Ipv6Packet.HEADER_LENGTH;
    }

    /** @return header plus payload */
    @Override
    public int bufferLength() {
        return Ipv6Packet.HEADER_LENGTH + payloadLength;
    }

    /**
     * @param nextHeader the upper-layer protocol
     * @param upperLength the upper-layer length
     * @return the pseudo-header running sum for the upper-layer checksum
     */
    @Override
    public long pseudoHeaderSum(int nextHeader, int upperLength) {
        return Checksum.pseudoHeaderV6(src.high(), src.low(), dst.high(), dst.low(), nextHeader, upperLength);
    }

    /**
     * Writes every fixed-header field; the caller writes the payload (extension headers included).
     *
     * @param p a view wrapped, unchecked, around at least 40 bytes
     * @throws IllegalArgumentException if the view is too short
     */
    public void emit(Ipv6Packet p) {
        Reprs.room("an IPv6 header", Ipv6Packet.HEADER_LENGTH, p.length());
        p.buffer().putInt(p.offset(), 6 << 28 | trafficClass << 20 | flowLabel);
        p.setPayloadLength(payloadLength);
        p.setNextHeader(nextHeader);
        p.setHopLimit(hopLimit);
        p.setSrcAddr(src.high(), src.low());
        p.setDstAddr(dst.high(), dst.low());
    }
}
