package layer45.mnet.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The fields of an IPv4 header as a value, for control paths, tests and rare packets.
 *
 * <p>{@code options} is copied on the way in and on the way out, so a repr stays immutable; equality compares
 * option bytes.
 *
 * @param src the source address
 * @param dst the destination address
 * @param protocol the protocol field, one of {@link IpProtocol}
 * @param payloadLength the payload length (total length minus header length)
 * @param ttl the time to live, 0..255
 * @param dscpEcn the Type of Service byte (DSCP and ECN), 0..255
 * @param ident the identification field, 0..65535
 * @param dontFragment the Don't Fragment flag
 * @param moreFragments the More Fragments flag
 * @param fragmentOffset the fragment offset in bytes, a multiple of 8
 * @param options the raw option bytes, padding included: a multiple of 4, at most 40 bytes; empty for none
 */
public record Ipv4Repr(Ipv4Address src, Ipv4Address dst, int protocol, int payloadLength, int ttl, int dscpEcn,
        int ident, boolean dontFragment, boolean moreFragments, int fragmentOffset, byte[] options) implements IpRepr {

    private static final byte[] NO_OPTIONS = new byte[0];

    /** @throws IllegalArgumentException if a field is out of its range */
    public Ipv4Repr {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        options = options == null || options.length == 0 ? NO_OPTIONS : options.clone();
        if ((options.length & 3) != 0 || options.length > 40) {
            throw new IllegalArgumentException("IPv4 options of " + options.length
                    + " bytes: they must be padded to a multiple of 4 and take at most 40 bytes");
        }
        Reprs.range("IPv4 protocol", protocol, 0, 255);
        Reprs.range("IPv4 payload length", payloadLength, 0, 0xFFFF - 20 - options.length);
        Reprs.range("IPv4 TTL", ttl, 0, 255);
        Reprs.range("IPv4 DSCP/ECN byte", dscpEcn, 0, 255);
        Reprs.range("IPv4 identification", ident, 0, 0xFFFF);
        Reprs.range("IPv4 fragment offset", fragmentOffset, 0, 0xFFF8);
        if ((fragmentOffset & 7) != 0) {
            throw new IllegalArgumentException("IPv4 fragment offset " + fragmentOffset + " is not a multiple of 8");
        }
    }

    /**
     * A plain unfragmented packet without options, DF set as Linux sends (path MTU discovery, RFC 1191).
     *
     * @param src the source address
     * @param dst the destination address
     * @param protocol the protocol
     * @param payloadLength the payload length
     * @param ttl the time to live
     * @return the repr, ident 0, DSCP/ECN 0
     */
    public static Ipv4Repr of(Ipv4Address src, Ipv4Address dst, int protocol, int payloadLength, int ttl) {
        return new Ipv4Repr(src, dst, protocol, payloadLength, ttl, 0, 0, true, false, 0, NO_OPTIONS);
    }

    /**
     * @param p a packet that passed {@link Ipv4Packet#check()}; the checksum is the caller's to verify
     * @return its fields; never fails
     */
    public static Ipv4Repr parse(Ipv4Packet p) {
        byte[] options = new byte[p.optionsLength()];
        p.buffer().get(p.optionsOffset(), options);
        return new Ipv4Repr(new Ipv4Address(p.srcAddr()), new Ipv4Address(p.dstAddr()), p.protocol(),
                p.payloadLength(), p.ttl(), p.dscpEcn(), p.ident(), p.dontFragment(), p.moreFragments(),
                p.fragmentOffset(), options);
    }

    /** @return a copy of the option bytes */
    @Override
    public byte[] options() {
        return options.clone();
    }

    @Override
    public int version() {
        return 4;
    }

    @Override
    public long pseudoHeaderSum(int protocol, int transportLength) {
        return Checksum.pseudoHeaderV4(src.bits(), dst.bits(), protocol, transportLength);
    }

    /** @return 20 plus the options length */
    @Override
    public int headerLength() {
        return Ipv4Packet.MIN_HEADER_LENGTH + options.length;
    }

    /** @return header plus payload: the total length */
    @Override
    public int bufferLength() {
        return headerLength() + payloadLength;
    }

    /**
     * Writes every header field, the checksum as zero and the reserved flag clear; the caller writes the payload,
     * then calls {@link Ipv4Packet#fillChecksum()}.
     *
     * @param p a view wrapped, unchecked, around at least {@link #headerLength()} bytes
     * @throws IllegalArgumentException if the view is too short
     */
    public void emit(Ipv4Packet p) {
        Reprs.room("an IPv4 header", headerLength(), p.length());
        p.setVersion(4);
        p.setHeaderLength(headerLength());
        p.setDscpEcn(dscpEcn);
        p.setTotalLength(bufferLength());
        p.setIdent(ident);
        p.setFlagsAndFragmentOffset(dontFragment, moreFragments, fragmentOffset);
        p.setTtl(ttl);
        p.setProtocol(protocol);
        p.setChecksum(0);
        p.setSrcAddr(src.bits());
        p.setDstAddr(dst.bits());
        p.buffer().put(p.optionsOffset(), options);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Repr r && src.equals(r.src) && dst.equals(r.dst) && protocol == r.protocol
                && payloadLength == r.payloadLength && ttl == r.ttl && dscpEcn == r.dscpEcn && ident == r.ident
                && dontFragment == r.dontFragment && moreFragments == r.moreFragments
                && fragmentOffset == r.fragmentOffset && Arrays.equals(options, r.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(src, dst, protocol, payloadLength, ttl, dscpEcn, ident, dontFragment, moreFragments,
                fragmentOffset) * 31 + Arrays.hashCode(options);
    }

    @Override
    public String toString() {
        return "Ipv4Repr[src=" + src + ", dst=" + dst + ", protocol=" + IpProtocol.name(protocol) + ", payloadLength="
                + payloadLength + ", ttl=" + ttl + ", dscpEcn=" + dscpEcn + ", ident=" + ident + ", dontFragment="
                + dontFragment + ", moreFragments=" + moreFragments + ", fragmentOffset=" + fragmentOffset
                + ", options=" + HexFormat.of().formatHex(options) + "]";
    }
}
