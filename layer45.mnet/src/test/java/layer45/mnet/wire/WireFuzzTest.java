package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import layer45.mnet.iface.ValidPackets;

/**
 * Fuzzes every parser of the wire package against the contract of its package documentation: {@code check()},
 * {@code checkQuoted()} and the extension-header walk never throw for any bytes; after {@link WireCheck#VALID}
 * every accessor, checksum verification, pseudo-header sum, {@link TcpOptions#parse} and {@code Repr.parse} do not
 * throw either, offsets stay inside the wrapped region, and {@code emit(parse(x))} into a fresh buffer checks
 * {@code VALID} again and parses back to an equal representation.
 *
 * <p>Input: the first byte selects the parser (its low 4 bits, see {@link #TARGETS}) and how the packet lies in
 * its buffer (its high bits, see {@link #frame}); the other bytes are the packet. The committed inputs in
 * {@code WireFuzzTestInputs/fuzz/} ({@code mvn test} replays them) are real packets ({@code seed-*}): the
 * {@link WireFixtures} and {@link ValidPackets} (UDP, fragments, ICMP echo and errors, TCP SYN with every option,
 * extension-header chains), which {@link #main} writes behind every selector that fits them, and the inputs fuzzing
 * found ({@code fuzzed-*}), minimized with libFuzzer's {@code -merge=1}.
 */
class WireFuzzTest {

    /** What the low 4 bits of the first byte select; values past the end wrap around. */
    static final String[] TARGETS = { "ipv4", "ipv4-quoted", "ipv6", "ipv6-quoted", "udp", "tcp", "icmpv4",
        "icmpv6", "ip" };

    /** Pseudo-header sums to verify transport checksums with: any value must be harmless. */
    private static final long PSEUDO = 0x1_2345L;

    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final Ipv6Packet ipv6 = new Ipv6Packet();
    private final Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();
    private final UdpPacket udp = new UdpPacket();
    private final TcpPacket tcp = new TcpPacket();
    private final TcpOptions options = new TcpOptions();
    private final Icmpv4Packet icmpv4 = new Icmpv4Packet();
    private final Icmpv6Packet icmpv6 = new Icmpv6Packet();

    @FuzzTest
    void fuzz(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int selector = input[0] & 0xFF;
        ByteBuffer buf = frame(input, selector >>> 4);
        int offset = (selector >>> 4 & 1) != 0 ? 3 : 0;
        int length = input.length - 1 + ((selector >>> 4 & 2) != 0 ? (selector >>> 6) + 1 : 0);
        switch (TARGETS[(selector & 0x0F) % TARGETS.length]) {
            case "ipv4" -> ipv4(buf, offset, length, false);
            case "ipv4-quoted" -> ipv4(buf, offset, length, true);
            case "ipv6" -> ipv6(buf, offset, length, false);
            case "ipv6-quoted" -> ipv6(buf, offset, length, true);
            case "udp" -> udp(buf, offset, length);
            case "tcp" -> tcp(buf, offset, length);
            case "icmpv4" -> icmpv4(buf, offset, length);
            case "icmpv6" -> icmpv6(buf, offset, length);
            default -> ip(buf, offset, length);
        }
    }

    /**
     * Lays the packet out as a receive path might: bit 0 of {@code framing} puts it at offset 3 of a larger buffer
     * with stale bytes after it; bit 1 makes the wrapped length claim 1 to 4 bytes more than the buffer holds (the
     * region runs past the limit, which {@code check()} must catch); bit 2 uses a direct buffer.
     */
    private static ByteBuffer frame(byte[] input, int framing) {
        int packet = input.length - 1;
        int offset = (framing & 1) != 0 ? 3 : 0;
        int capacity = offset + packet + ((framing & 1) != 0 ? 5 : 0);
        ByteBuffer buf = (framing & 4) != 0 ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        for (int i = 0; i < capacity; i++) {
            buf.put(i, (byte) 0xA5);
        }
        buf.put(offset, input, 1, packet);
        return buf;
    }

    /** Any IP packet the way the stack reads it: the version picks the view, the protocol the transport. */
    private void ip(ByteBuffer buf, int offset, int length) {
        int version = length > 0 && offset < buf.limit() ? (buf.get(offset) & 0xFF) >>> 4 : 0;
        if (version == 6) {
            ipv6(buf, offset, length, false);
        } else {
            ipv4(buf, offset, length, false);
        }
    }

    private void ipv4(ByteBuffer buf, int offset, int length, boolean quoted) {
        ipv4.wrap(buf, offset, length);
        WireCheck check = quoted ? ipv4.checkQuoted() : ipv4.check();
        ipv4.toString();
        if (!check.valid()) {
            return;
        }
        int hl = ipv4.headerLength();
        assertTrue(hl >= Ipv4Packet.MIN_HEADER_LENGTH && hl <= Ipv4Packet.MAX_HEADER_LENGTH, "header length " + hl);
        assertEquals(4, ipv4.version());
        assertEquals(ipv4.dscpEcn(), ipv4.dscp() << 2 | ipv4.ecn());
        ipv4.ident();
        ipv4.dontFragment();
        ipv4.isFragment();
        ipv4.ttl();
        ipv4.checksum();
        ipv4.verifyChecksum();
        assertEquals(offset + Ipv4Packet.MIN_HEADER_LENGTH, ipv4.optionsOffset());
        assertEquals(hl - Ipv4Packet.MIN_HEADER_LENGTH, ipv4.optionsLength());
        assertTrue(ipv4.payloadLength() >= 0, "payload length " + ipv4.payloadLength());
        int available = ipv4.availablePayloadLength();
        assertTrue(available >= 0 && available <= ipv4.payloadLength(), "available " + available);
        assertTrue(ipv4.payloadOffset() + available <= offset + length, "payload past the region");
        if (!quoted) {
            assertEquals(ipv4.payloadLength(), available);
        }
        assertTrue(ipv4.fragmentOffset() + ipv4.payloadLength() <= 0xFFFF, "fragment past 65535");
        ipv4.pseudoHeaderSum(ipv4.protocol(), available);

        Ipv4Repr repr = Ipv4Repr.parse(ipv4);
        ByteBuffer emitted = ByteBuffer.allocate(repr.bufferLength());
        Ipv4Packet again = new Ipv4Packet().wrap(emitted, 0, repr.bufferLength());
        repr.emit(again);
        again.fillChecksum();
        assertEquals(WireCheck.VALID, again.check(), "re-emitted " + repr);
        assertTrue(again.verifyChecksum(), "re-emitted checksum");
        assertEquals(repr, Ipv4Repr.parse(again), "emit(parse(x)) parses back");

        if (!ipv4.isFragment() || ipv4.fragmentOffset() == 0) {
            transport(ipv4.protocol(), buf, ipv4.payloadOffset(), available, quoted);
        }
    }

    private void ipv6(ByteBuffer buf, int offset, int length, boolean quoted) {
        ipv6.wrap(buf, offset, length);
        WireCheck check = quoted ? ipv6.checkQuoted() : ipv6.check();
        ipv6.toString();
        if (!check.valid()) {
            return;
        }
        assertEquals(6, ipv6.version());
        ipv6.trafficClass();
        ipv6.flowLabel();
        ipv6.hopLimit();
        ipv6.srcHigh();
        ipv6.srcLow();
        ipv6.dstHigh();
        ipv6.dstLow();
        int available = ipv6.availablePayloadLength();
        assertTrue(available >= 0 && available <= ipv6.payloadLength(), "available " + available);
        assertEquals(offset + Ipv6Packet.HEADER_LENGTH, ipv6.payloadOffset());
        assertTrue(ipv6.payloadOffset() + available <= offset + length, "payload past the region");
        if (!quoted) {
            assertEquals(ipv6.payloadLength(), available);
        }
        ipv6.pseudoHeaderSum(ipv6.nextHeader(), available);

        Ipv6Repr repr = Ipv6Repr.parse(ipv6);
        ByteBuffer emitted = ByteBuffer.allocate(repr.bufferLength());
        Ipv6Packet again = new Ipv6Packet().wrap(emitted, 0, repr.bufferLength());
        repr.emit(again);
        assertEquals(WireCheck.VALID, again.checkQuoted(), "re-emitted " + repr);
        assertEquals(repr, Ipv6Repr.parse(again), "emit(parse(x)) parses back");

        WireCheck walk = headers.walk(ipv6);
        int end = ipv6.payloadOffset() + available;
        assertTrue(headers.headerCount() >= 0 && headers.headerCount() <= Ipv6ExtensionHeaders.MAX_EXTENSION_HEADERS,
                "header count " + headers.headerCount());
        if (headers.problemPointer() >= 0) {
            assertTrue(headers.problemPointer() < ipv6.payloadOffset() - offset + available,
                    "problem pointer " + headers.problemPointer() + " past the packet");
            assertTrue(headers.problemCode() >= 0 && headers.problemCode() <= 2, "code " + headers.problemCode());
        }
        if (!walk.valid()) {
            return;
        }
        int upper = headers.upperOffset();
        assertTrue(upper >= ipv6.payloadOffset() && upper + headers.upperLength() <= end,
                "upper layer " + upper + "+" + headers.upperLength() + " outside the payload ending at " + end);
        assertTrue(headers.upperProtocolFieldOffset() >= offset && headers.upperProtocolFieldOffset() < upper,
                "next header field " + headers.upperProtocolFieldOffset());
        assertTrue(headers.upperProtocol() >= 0 && headers.upperProtocol() <= 255);
        if (headers.hasFragmentHeader()) {
            assertTrue(headers.fragmentHeaderOffset() >= ipv6.payloadOffset()
                    && headers.fragmentablePartOffset() <= end, "fragment header " + headers.fragmentHeaderOffset());
            assertTrue(headers.fragmentNextHeaderFieldOffset() >= offset
                    && headers.fragmentNextHeaderFieldOffset() < headers.fragmentHeaderOffset());
            assertTrue(headers.fragmentOffset() + headers.upperLength() <= 0xFFFF, "fragment past 65535");
            if (headers.isFragment() && headers.moreFragments()) {
                assertEquals(0, headers.upperLength() & 7, "a non-last fragment carries a multiple of 8 bytes");
            }
        } else {
            assertEquals(-1, headers.fragmentHeaderOffset());
            assertEquals(-1, headers.fragmentablePartOffset());
            assertEquals(-1, headers.fragmentNextHeaderFieldOffset());
        }
        if (!headers.isFragment() || headers.fragmentOffset() == 0) {
            transport(headers.upperProtocol(), buf, upper, headers.upperLength(), quoted);
        }
    }

    private void transport(int protocol, ByteBuffer buf, int offset, int length, boolean quoted) {
        if (quoted) {
            // A quoted transport header is usually cut short: its checks must hold anyway.
            udp.wrap(buf, offset, length).check();
            tcp.wrap(buf, offset, length).check();
            return;
        }
        switch (protocol) {
            case IpProtocol.UDP -> udp(buf, offset, length);
            case IpProtocol.TCP -> tcp(buf, offset, length);
            case IpProtocol.ICMP -> icmpv4(buf, offset, length);
            case IpProtocol.ICMPV6 -> icmpv6(buf, offset, length);
            default -> {
            }
        }
    }

    private void udp(ByteBuffer buf, int offset, int length) {
        udp.wrap(buf, offset, length);
        WireCheck check = udp.check();
        udp.toString();
        if (!check.valid()) {
            return;
        }
        udp.srcPort();
        udp.checksum();
        udp.checksumOmitted();
        udp.verifyChecksum(PSEUDO);
        assertTrue(udp.udpLength() >= UdpPacket.HEADER_LENGTH, "UDP length " + udp.udpLength());
        assertTrue(udp.payloadLength() >= 0 && udp.payloadOffset() + udp.payloadLength() <= offset + length,
                "UDP payload past the region");

        UdpRepr repr = UdpRepr.parse(udp);
        int payload = udp.payloadLength();
        ByteBuffer emitted = ByteBuffer.allocate(repr.bufferLength(payload));
        UdpPacket again = new UdpPacket().wrap(emitted, 0, repr.bufferLength(payload));
        repr.emit(again, payload);
        again.fillChecksum(PSEUDO);
        assertEquals(WireCheck.VALID, again.check(), "re-emitted " + repr);
        assertTrue(again.verifyChecksum(PSEUDO), "re-emitted checksum");
        assertEquals(repr, UdpRepr.parse(again), "emit(parse(x)) parses back");
        assertEquals(payload, again.payloadLength());
    }

    private void tcp(ByteBuffer buf, int offset, int length) {
        tcp.wrap(buf, offset, length);
        WireCheck check = tcp.check();
        tcp.toString();
        if (!check.valid()) {
            return;
        }
        int hl = tcp.headerLength();
        assertTrue(hl >= TcpPacket.MIN_HEADER_LENGTH && hl <= TcpPacket.MAX_HEADER_LENGTH && hl <= length,
                "header length " + hl);
        tcp.srcPort();
        tcp.dstPort();
        tcp.seqNumber();
        tcp.ackNumber();
        tcp.window();
        tcp.urgentPointer();
        tcp.checksum();
        tcp.verifyChecksum(PSEUDO);
        assertEquals(tcp.flags() & TcpPacket.SYN, tcp.syn() ? TcpPacket.SYN : 0);
        assertTrue(tcp.payloadLength() >= 0 && tcp.payloadOffset() + tcp.payloadLength() == offset + length,
                "TCP payload outside the region");
        assertEquals(hl - TcpPacket.MIN_HEADER_LENGTH, tcp.optionsLength());

        options.parse(tcp);
        assertTrue(options.mss() >= -1 && options.mss() <= 0xFFFF, "mss " + options.mss());
        assertTrue(options.windowScale() >= -1 && options.windowScale() <= 0xFF, "wscale " + options.windowScale());
        assertTrue(options.sackBlockCount() >= 0 && options.sackBlockCount() <= TcpOptions.MAX_SACK_BLOCKS);
        for (int i = 0; i < options.sackBlockCount(); i++) {
            options.sackLeft(i);
            options.sackRight(i);
        }
        options.tsVal();
        options.tsEcr();

        TcpRepr repr = TcpRepr.parse(tcp);
        ByteBuffer emitted = ByteBuffer.allocate(repr.bufferLength());
        TcpPacket again = new TcpPacket().wrap(emitted, 0, repr.bufferLength());
        repr.emit(again);
        again.fillChecksum(PSEUDO);
        assertEquals(WireCheck.VALID, again.check(), "re-emitted " + repr);
        assertTrue(again.verifyChecksum(PSEUDO), "re-emitted checksum");
        assertEquals(repr, TcpRepr.parse(again), "emit(parse(x)) parses back");
    }

    private void icmpv4(ByteBuffer buf, int offset, int length) {
        icmpv4.wrap(buf, offset, length);
        WireCheck check = icmpv4.check();
        icmpv4.toString();
        if (!check.valid()) {
            return;
        }
        icmpv4.code();
        icmpv4.checksum();
        icmpv4.restOfHeader();
        icmpv4.echoIdent();
        icmpv4.echoSeq();
        icmpv4.pointer();
        icmpv4.nextHopMtu();
        icmpv4.verifyChecksum();
        assertTrue(icmpv4.dataLength() >= 0 && icmpv4.dataOffset() + icmpv4.dataLength() == offset + length,
                "ICMPv4 data outside the region");

        Icmpv4Repr repr = Icmpv4Repr.parse(icmpv4);
        ByteBuffer emitted = ByteBuffer.allocate(repr.bufferLength());
        Icmpv4Packet again = new Icmpv4Packet().wrap(emitted, 0, repr.bufferLength());
        repr.emit(again);
        again.fillChecksum();
        assertEquals(WireCheck.VALID, again.check(), "re-emitted " + repr);
        assertTrue(again.verifyChecksum(), "re-emitted checksum");
        assertEquals(repr, Icmpv4Repr.parse(again), "emit(parse(x)) parses back");

        int type = icmpv4.type();
        if (type == Icmpv4Type.DEST_UNREACHABLE || type == Icmpv4Type.TIME_EXCEEDED
                || type == Icmpv4Type.PARAMETER_PROBLEM) {
            // The quoted datagram is checked the way an error's receiver checks it; a fresh view, as this one is busy.
            new WireFuzzTest().ipv4(buf, icmpv4.dataOffset(), icmpv4.dataLength(), true);
        }
    }

    private void icmpv6(ByteBuffer buf, int offset, int length) {
        icmpv6.wrap(buf, offset, length);
        WireCheck check = icmpv6.check();
        icmpv6.toString();
        if (!check.valid()) {
            return;
        }
        icmpv6.code();
        icmpv6.checksum();
        icmpv6.restOfHeader();
        icmpv6.echoIdent();
        icmpv6.echoSeq();
        icmpv6.pointer();
        icmpv6.mtu();
        icmpv6.verifyChecksum(PSEUDO);
        assertTrue(icmpv6.dataLength() >= 0 && icmpv6.dataOffset() + icmpv6.dataLength() == offset + length,
                "ICMPv6 data outside the region");

        Icmpv6Repr repr = Icmpv6Repr.parse(icmpv6);
        ByteBuffer emitted = ByteBuffer.allocate(repr.bufferLength());
        Icmpv6Packet again = new Icmpv6Packet().wrap(emitted, 0, repr.bufferLength());
        repr.emit(again);
        again.fillChecksum(PSEUDO);
        assertEquals(WireCheck.VALID, again.check(), "re-emitted " + repr);
        assertTrue(again.verifyChecksum(PSEUDO), "re-emitted checksum");
        assertEquals(repr, Icmpv6Repr.parse(again), "emit(parse(x)) parses back");

        if (icmpv6.type() < 128) {
            new WireFuzzTest().ipv6(buf, icmpv6.dataOffset(), icmpv6.dataLength(), true);
        }
    }

    /**
     * Writes the seed inputs: every fixture and valid packet behind the selectors that fit it.
     *
     * @param args the inputs directory, {@code src/test/resources/layer45/mnet/wire/WireFuzzTestInputs/fuzz}
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        Map<String, byte[]> packets = new LinkedHashMap<>();
        WireFixtures.ALL.forEach((name, hex) -> packets.put(name, WireFixtures.bytes(hex)));
        for (ValidPackets.Named named : ValidPackets.all()) {
            List<ValidPackets.Packet> list = named.packets();
            for (int i = 0; i < list.size(); i++) {
                packets.put(named.name() + (list.size() > 1 ? "-" + i : ""), list.get(i).bytes());
            }
        }
        for (Map.Entry<String, byte[]> e : packets.entrySet()) {
            byte[] packet = e.getValue();
            int version = (packet[0] & 0xFF) >>> 4;
            write(dir, e.getKey(), "ip", 0, packet);
            write(dir, e.getKey(), version == 4 ? "ipv4" : "ipv6", 0, packet);
            write(dir, e.getKey(), version == 4 ? "ipv4-quoted" : "ipv6-quoted", 0, packet);
            ByteBuffer buf = ByteBuffer.wrap(packet);
            int protocol;
            int offset;
            int length;
            if (version == 4) {
                Ipv4Packet ip = new Ipv4Packet().wrap(buf);
                protocol = ip.protocol();
                offset = ip.payloadOffset();
                length = ip.payloadLength();
            } else {
                Ipv6Packet ip = new Ipv6Packet().wrap(buf);
                Ipv6ExtensionHeaders walk = new Ipv6ExtensionHeaders();
                if (ip.check() != WireCheck.VALID || walk.walk(ip) != WireCheck.VALID) {
                    continue;
                }
                protocol = walk.upperProtocol();
                offset = walk.upperOffset();
                length = walk.upperLength();
            }
            String target = switch (protocol) {
                case IpProtocol.UDP -> "udp";
                case IpProtocol.TCP -> "tcp";
                case IpProtocol.ICMP -> "icmpv4";
                case IpProtocol.ICMPV6 -> "icmpv6";
                default -> null;
            };
            if (target != null && length > 0) {
                byte[] transport = new byte[length];
                buf.get(offset, transport);
                write(dir, e.getKey(), target, 0, transport);
            }
        }
        // The framings, on a few packets: at offset 3 with stale bytes, a length past the limit, a direct buffer.
        for (String name : List.of("ipv4_tcp_syn", "ipv6_hbh_dest_tcp_syn", "icmpv4_port_unreachable")) {
            for (int framing : new int[] { 1, 2, 3, 4, 0xE }) {
                write(dir, name, "ip", framing, packets.get(name));
            }
        }
    }

    private static void write(Path dir, String name, String target, int framing, byte[] packet) throws IOException {
        int selector = List.of(TARGETS).indexOf(target) | framing << 4;
        byte[] input = new byte[1 + packet.length];
        input[0] = (byte) selector;
        System.arraycopy(packet, 0, input, 1, packet.length);
        Files.write(dir.resolve("seed-" + name.replace('_', '-') + "-" + target
                + (framing != 0 ? "-framing" + framing : "")), input);
    }
}
