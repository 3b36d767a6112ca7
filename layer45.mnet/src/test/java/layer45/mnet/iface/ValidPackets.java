package layer45.mnet.iface;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.wire.Checksum;
import layer45.mnet.wire.Icmpv4Packet;
import layer45.mnet.wire.Icmpv4Type;
import layer45.mnet.wire.Icmpv6Packet;
import layer45.mnet.wire.Icmpv6Type;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv4Packet;
import layer45.mnet.wire.Ipv4Repr;
import layer45.mnet.wire.Ipv6Address;
import layer45.mnet.wire.Ipv6Packet;
import layer45.mnet.wire.Ipv6Repr;
import layer45.mnet.wire.TcpPacket;
import layer45.mnet.wire.TcpRepr;
import layer45.mnet.wire.UdpPacket;
import layer45.mnet.wire.UdpRepr;

/**
 * Well-formed packets of every kind an {@link Interface} receives, addressed to {@link IngressHarness}'s stack, with
 * right checksums: the material the fuzz seeds and the corrupted-packet test start from.
 */
public final class ValidPackets {

    /**
     * A packet as it crosses the link.
     *
     * @param linkProtocol its link protocol
     * @param bytes the whole IP packet
     */
    public record Packet(int linkProtocol, byte[] bytes) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Packet p && p.linkProtocol == linkProtocol && Arrays.equals(p.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return linkProtocol * 31 + Arrays.hashCode(bytes);
        }
    }

    static final Ipv4Address PEER4 = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address FOREIGN4 = Ipv4Address.parse("93.184.216.34");
    static final Ipv6Address PEER6 = Ipv6Address.parse("2001:db8::1");
    static final Ipv6Address FOREIGN6 = Ipv6Address.parse("2001:db8:ffff::34");

    private ValidPackets() {
    }

    /** @return one or a few packets (a fragmented datagram's fragments, in order) of every kind, by name */
    public static List<Named> all() {
        Ipv4Address own4 = IngressHarness.OWN4;
        Ipv6Address own6 = IngressHarness.OWN6;
        List<Named> all = new ArrayList<>();
        all.add(new Named("udp4-echo", List.of(udp4(PEER4, own4, 40000, IngressHarness.ECHO_PORT, text(8), 64))));
        all.add(new Named("udp6-echo", List.of(udp6(PEER6, own6, 40000, IngressHarness.ECHO_PORT, text(8), 64))));
        all.add(new Named("udp4-closed-port", List.of(udp4(PEER4, own4, 40000, 6000, text(5), 64))));
        all.add(new Named("udp6-closed-port", List.of(udp6(PEER6, own6, 40000, 6000, text(5), 64))));
        all.add(new Named("udp4-foreign", List.of(udp4(PEER4, FOREIGN4, 40001, 53, text(12), 64))));
        all.add(new Named("udp6-foreign", List.of(udp6(PEER6, FOREIGN6, 40001, 53, text(12), 64))));
        all.add(new Named("udp4-foreign-ttl1", List.of(udp4(PEER4, FOREIGN4, 40001, 53, text(12), 1))));
        all.add(new Named("udp6-foreign-hlim1", List.of(udp6(PEER6, FOREIGN6, 40001, 53, text(12), 1))));
        all.add(new Named("udp4-zero-checksum", List.of(zeroUdpChecksum(udp4(PEER4, own4, 40002,
                IngressHarness.ECHO_PORT, text(4), 64), Ipv4Packet.MIN_HEADER_LENGTH))));
        all.add(new Named("udp6-zero-checksum", List.of(zeroUdpChecksum(udp6(PEER6, own6, 40002,
                IngressHarness.ECHO_PORT, text(4), 64), Ipv6Packet.HEADER_LENGTH))));
        all.add(new Named("udp4-large-echo", fragments4(udp4(PEER4, own4, 40003, IngressHarness.ECHO_PORT,
                text(2000), 64), 1480)));
        all.add(new Named("udp6-large-echo", fragments6(udp6(PEER6, own6, 40003, IngressHarness.ECHO_PORT,
                text(2000), 64), 1448)));
        all.add(new Named("udp4-fragments", fragments4(udp4(PEER4, own4, 40004, IngressHarness.ECHO_PORT,
                text(40), 64), 16)));
        all.add(new Named("udp6-fragments", fragments6(udp6(PEER6, own6, 40004, IngressHarness.ECHO_PORT,
                text(40), 64), 16)));
        List<Packet> reversed = new ArrayList<>(fragments4(udp4(PEER4, own4, 40005, IngressHarness.ECHO_PORT,
                text(30), 64), 8));
        java.util.Collections.reverse(reversed);
        all.add(new Named("udp4-fragments-reversed", reversed));
        all.add(new Named("udp4-first-fragment-only", fragments4(udp4(PEER4, own4, 40006,
                IngressHarness.ECHO_PORT, text(40), 64), 16).subList(0, 1)));
        all.add(new Named("udp6-first-fragment-only", fragments6(udp6(PEER6, own6, 40006,
                IngressHarness.ECHO_PORT, text(40), 64), 16).subList(0, 1)));
        all.add(new Named("icmp4-echo", List.of(echo4(PEER4, own4, 0x4545, 1, text(56)))));
        all.add(new Named("icmp6-echo", List.of(echo6(PEER6, own6, 0x4545, 1, text(56)))));
        all.add(new Named("icmp4-echo-fragments", fragments4(echo4(PEER4, own4, 0x4545, 2, text(100)), 48)));
        all.add(new Named("icmp6-echo-fragments", fragments6(echo6(PEER6, own6, 0x4545, 2, text(100)), 48)));
        all.add(new Named("icmp4-echo-foreign", List.of(echo4(PEER4, FOREIGN4, 0x4545, 3, text(8)))));
        all.add(new Named("icmp4-port-unreachable", List.of(icmp4Error(PEER4, own4, Icmpv4Type.DEST_UNREACHABLE,
                Icmpv4Type.PORT_UNREACHABLE, udp4(own4, PEER4, 7, 40000, text(8), 64)))));
        all.add(new Named("icmp6-port-unreachable", List.of(icmp6Error(PEER6, own6, Icmpv6Type.DEST_UNREACHABLE, 4,
                udp6(own6, PEER6, 7, 40000, text(8), 64)))));
        all.add(new Named("tcp4-syn", List.of(tcp4Syn(PEER4, own4))));
        all.add(new Named("tcp6-syn", List.of(tcp6Syn(PEER6, own6))));
        all.add(new Named("ipv6-extension-chain", List.of(extensionChain(PEER6, own6))));
        all.add(new Named("ipv6-fragment-after-extensions", fragments6(extensionChainUdp(PEER6, own6), 16)));
        all.add(new Named("ipv6-no-next-header", List.of(ipv6(PEER6, own6, IpProtocol.IPV6_NONXT, 64,
                new byte[] { 0x59, 0x59 }))));
        all.add(new Named("ipv6-unknown-option", List.of(unknownOption(PEER6, own6))));
        all.add(new Named("ipv4-options", List.of(ipv4WithOptions(PEER4, own4))));
        all.add(new Named("ipv4-unknown-protocol", List.of(ipv4(PEER4, own4, 200, 64, text(10)))));
        return all;
    }

    /**
     * A named group of packets fed in order.
     *
     * @param name what they are, as a file name
     * @param packets the packets
     */
    public record Named(String name, List<Packet> packets) {
    }

    /** @return {@code n} bytes of printable text, different at every index */
    static byte[] text(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    static Packet udp4(Ipv4Address src, Ipv4Address dst, int srcPort, int dstPort, byte[] payload, int ttl) {
        return ipv4(src, dst, IpProtocol.UDP, ttl, udp(srcPort, dstPort, payload,
                Checksum.pseudoHeaderV4(src.bits(), dst.bits(), IpProtocol.UDP, 8 + payload.length)));
    }

    static Packet udp6(Ipv6Address src, Ipv6Address dst, int srcPort, int dstPort, byte[] payload, int hopLimit) {
        return ipv6(src, dst, IpProtocol.UDP, hopLimit, udp(srcPort, dstPort, payload, pseudo6(src, dst,
                IpProtocol.UDP, 8 + payload.length)));
    }

    static Packet echo4(Ipv4Address src, Ipv4Address dst, int ident, int seq, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(Icmpv4Packet.HEADER_LENGTH + data.length);
        Icmpv4Packet p = new Icmpv4Packet().wrap(b);
        p.setType(Icmpv4Type.ECHO_REQUEST);
        p.setEchoIdent(ident);
        p.setEchoSeq(seq);
        b.put(Icmpv4Packet.HEADER_LENGTH, data);
        p.fillChecksum();
        return ipv4(src, dst, IpProtocol.ICMP, 64, b.array());
    }

    static Packet echo6(Ipv6Address src, Ipv6Address dst, int ident, int seq, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(Icmpv6Packet.HEADER_LENGTH + data.length);
        Icmpv6Packet p = new Icmpv6Packet().wrap(b);
        p.setType(Icmpv6Type.ECHO_REQUEST);
        p.setEchoIdent(ident);
        p.setEchoSeq(seq);
        b.put(Icmpv6Packet.HEADER_LENGTH, data);
        p.fillChecksum(pseudo6(src, dst, IpProtocol.ICMPV6, b.capacity()));
        return ipv6(src, dst, IpProtocol.ICMPV6, 64, b.array());
    }

    static Packet icmp4Error(Ipv4Address src, Ipv4Address dst, int type, int code, Packet quoted) {
        int quotedLength = Math.min(quoted.bytes().length, 28);
        ByteBuffer b = ByteBuffer.allocate(Icmpv4Packet.HEADER_LENGTH + quotedLength);
        Icmpv4Packet p = new Icmpv4Packet().wrap(b);
        p.setType(type);
        p.setCode(code);
        b.put(Icmpv4Packet.HEADER_LENGTH, quoted.bytes(), 0, quotedLength);
        p.fillChecksum();
        return ipv4(src, dst, IpProtocol.ICMP, 64, b.array());
    }

    static Packet icmp6Error(Ipv6Address src, Ipv6Address dst, int type, int code, Packet quoted) {
        ByteBuffer b = ByteBuffer.allocate(Icmpv6Packet.HEADER_LENGTH + quoted.bytes().length);
        Icmpv6Packet p = new Icmpv6Packet().wrap(b);
        p.setType(type);
        p.setCode(code);
        b.put(Icmpv6Packet.HEADER_LENGTH, quoted.bytes());
        p.fillChecksum(pseudo6(src, dst, IpProtocol.ICMPV6, b.capacity()));
        return ipv6(src, dst, IpProtocol.ICMPV6, 64, b.array());
    }

    /** A TCP SYN with every option the stack reads: MSS, SACK permitted, timestamps, window scale. */
    static Packet tcp4Syn(Ipv4Address src, Ipv4Address dst) {
        byte[] segment = tcpSyn(Checksum.pseudoHeaderV4(src.bits(), dst.bits(), IpProtocol.TCP, 40));
        return ipv4(src, dst, IpProtocol.TCP, 64, segment);
    }

    static Packet tcp6Syn(Ipv6Address src, Ipv6Address dst) {
        return ipv6(src, dst, IpProtocol.TCP, 64, tcpSyn(pseudo6(src, dst, IpProtocol.TCP, 40)));
    }

    private static byte[] tcpSyn(long pseudo) {
        TcpRepr repr = new TcpRepr(54321, 80, 0x12345678, 0, TcpPacket.SYN, 64240, 0, 1460, 7, true, List.of(),
                new TcpRepr.Timestamps(0x01020304, 0), 0);
        ByteBuffer b = ByteBuffer.allocate(repr.bufferLength());
        TcpPacket p = new TcpPacket().wrap(b);
        repr.emit(p);
        p.fillChecksum(pseudo);
        return b.array();
    }

    /** IPv6 with Hop-by-Hop (PadN), Destination Options (Pad1s), an atomic fragment header, then a UDP echo. */
    static Packet extensionChain(Ipv6Address src, Ipv6Address dst) {
        byte[] udp = udp(40007, IngressHarness.ECHO_PORT, text(6), pseudo6(src, dst, IpProtocol.UDP, 14));
        ByteBuffer b = ByteBuffer.allocate(8 + 8 + 8 + udp.length);
        b.put(0, new byte[] { (byte) IpProtocol.IPV6_OPTS, 0, 1, 4, 0, 0, 0, 0 });
        b.put(8, new byte[] { (byte) IpProtocol.IPV6_FRAG, 0, 0, 0, 0, 0, 0, 0 });
        b.put(16, new byte[] { (byte) IpProtocol.UDP, 0, 0, 0, 0x11, 0x22, 0x33, 0x44 });
        b.put(24, udp);
        return ipv6(src, dst, IpProtocol.HOPOPT, 64, b.array());
    }

    /** A UDP echo whose fragmentable part starts with a Destination Options header, to be fragmented. */
    static Packet extensionChainUdp(Ipv6Address src, Ipv6Address dst) {
        byte[] udp = udp(40008, IngressHarness.ECHO_PORT, text(24), pseudo6(src, dst, IpProtocol.UDP, 32));
        ByteBuffer b = ByteBuffer.allocate(8 + udp.length);
        b.put(0, new byte[] { (byte) IpProtocol.UDP, 0, 1, 4, 0, 0, 0, 0 });
        b.put(8, udp);
        return ipv6(src, dst, IpProtocol.IPV6_OPTS, 64, b.array());
    }

    /** IPv6 with a Destination Options header holding an unknown option of action 10: a parameter problem. */
    static Packet unknownOption(Ipv6Address src, Ipv6Address dst) {
        byte[] udp = udp(40009, IngressHarness.ECHO_PORT, text(2), pseudo6(src, dst, IpProtocol.UDP, 10));
        ByteBuffer b = ByteBuffer.allocate(8 + udp.length);
        b.put(0, new byte[] { (byte) IpProtocol.UDP, 0, (byte) 0x85, 4, 0, 0, 0, 0 });
        b.put(8, udp);
        return ipv6(src, dst, IpProtocol.IPV6_OPTS, 64, b.array());
    }

    /** IPv4 with a Router Alert option and a NOP, carrying a UDP echo. */
    static Packet ipv4WithOptions(Ipv4Address src, Ipv4Address dst) {
        byte[] udp = udp(40010, IngressHarness.ECHO_PORT, text(9),
                Checksum.pseudoHeaderV4(src.bits(), dst.bits(), IpProtocol.UDP, 17));
        Ipv4Repr repr = new Ipv4Repr(src, dst, IpProtocol.UDP, udp.length, 64, 0, 0x2222, false, false, 0,
                new byte[] { (byte) 0x94, 4, 0, 0, 1, 1, 1, 0 });
        return emit4(repr, udp);
    }

    static Packet ipv4(Ipv4Address src, Ipv4Address dst, int protocol, int ttl, byte[] payload) {
        return emit4(new Ipv4Repr(src, dst, protocol, payload.length, ttl, 0, payload.length * 31 & 0xFFFF, false,
                false, 0, null), payload);
    }

    private static Packet emit4(Ipv4Repr repr, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(repr.bufferLength());
        Ipv4Packet p = new Ipv4Packet().wrap(b);
        repr.emit(p);
        b.put(p.payloadOffset(), payload);
        p.fillChecksum();
        return new Packet(LinkProtocol.IPV4, b.array());
    }

    static Packet ipv6(Ipv6Address src, Ipv6Address dst, int nextHeader, int hopLimit, byte[] payload) {
        Ipv6Repr repr = new Ipv6Repr(src, dst, nextHeader, payload.length, hopLimit, 0, 0);
        ByteBuffer b = ByteBuffer.allocate(repr.bufferLength());
        repr.emit(new Ipv6Packet().wrap(b));
        b.put(Ipv6Packet.HEADER_LENGTH, payload);
        return new Packet(LinkProtocol.IPV6, b.array());
    }

    /** Splits an IPv4 packet (20-byte header) into fragments of {@code size} payload bytes, a multiple of 8. */
    static List<Packet> fragments4(Packet whole, int size) {
        ByteBuffer in = ByteBuffer.wrap(whole.bytes());
        Ipv4Packet p = new Ipv4Packet().wrap(in);
        int payload = p.payloadLength();
        List<Packet> out = new ArrayList<>();
        for (int offset = 0; offset < payload; offset += size) {
            int length = Math.min(size, payload - offset);
            ByteBuffer b = ByteBuffer.allocate(Ipv4Packet.MIN_HEADER_LENGTH + length);
            b.put(0, whole.bytes(), 0, Ipv4Packet.MIN_HEADER_LENGTH);
            b.put(Ipv4Packet.MIN_HEADER_LENGTH, whole.bytes(), Ipv4Packet.MIN_HEADER_LENGTH + offset, length);
            Ipv4Packet f = new Ipv4Packet().wrap(b);
            f.setTotalLength(b.capacity());
            f.setFlagsAndFragmentOffset(false, offset + length < payload, offset);
            f.fillChecksum();
            out.add(new Packet(LinkProtocol.IPV4, b.array()));
        }
        return out;
    }

    /**
     * Splits an IPv6 packet without extension headers before its fragmentable part into fragments of {@code size}
     * bytes of the fragmentable part, a multiple of 8, each behind a Fragment header.
     */
    static List<Packet> fragments6(Packet whole, int size) {
        ByteBuffer in = ByteBuffer.wrap(whole.bytes());
        Ipv6Packet p = new Ipv6Packet().wrap(in);
        int payload = p.payloadLength();
        int ident = 0x10000 + payload;
        List<Packet> out = new ArrayList<>();
        for (int offset = 0; offset < payload; offset += size) {
            int length = Math.min(size, payload - offset);
            ByteBuffer b = ByteBuffer.allocate(Ipv6Packet.HEADER_LENGTH + 8 + length);
            b.put(0, whole.bytes(), 0, Ipv6Packet.HEADER_LENGTH);
            Ipv6Packet f = new Ipv6Packet().wrap(b);
            f.setPayloadLength(8 + length);
            f.setNextHeader(IpProtocol.IPV6_FRAG);
            b.put(40, (byte) p.nextHeader());
            b.putShort(42, (short) (offset | (offset + length < payload ? 1 : 0)));
            b.putInt(44, ident);
            b.put(48, whole.bytes(), Ipv6Packet.HEADER_LENGTH + offset, length);
            out.add(new Packet(LinkProtocol.IPV6, b.array()));
        }
        return out;
    }

    private static Packet zeroUdpChecksum(Packet packet, int udpOffset) {
        byte[] b = packet.bytes().clone();
        b[udpOffset + 6] = 0;
        b[udpOffset + 7] = 0;
        return new Packet(packet.linkProtocol(), b);
    }

    private static byte[] udp(int srcPort, int dstPort, byte[] payload, long pseudo) {
        UdpRepr repr = new UdpRepr(srcPort, dstPort);
        ByteBuffer b = ByteBuffer.allocate(repr.bufferLength(payload.length));
        UdpPacket p = new UdpPacket().wrap(b);
        repr.emit(p, payload.length);
        b.put(UdpPacket.HEADER_LENGTH, payload);
        p.fillChecksum(pseudo);
        return b.array();
    }

    private static long pseudo6(Ipv6Address src, Ipv6Address dst, int protocol, int length) {
        return Checksum.pseudoHeaderV6(src.high(), src.low(), dst.high(), dst.low(), protocol, length);
    }
}
