package layer45.mnet.iface;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.wire.Icmpv4Packet;
import layer45.mnet.wire.Icmpv6Packet;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv4Packet;
import layer45.mnet.wire.Ipv6ExtensionHeaders;
import layer45.mnet.wire.Ipv6Packet;
import layer45.mnet.wire.UdpPacket;
import layer45.mnet.wire.WireCheck;

/**
 * Fuzzes the whole ingress path: arbitrary packets into an {@link Interface} with UDP, through a memory link, with
 * the properties of {@link IngressHarness}: nothing escapes, {@code interface/internal-error} stays 0, everything
 * the stack sends is well-formed, and its counters account for every packet.
 *
 * <p>Input: byte 0 configures the stack (bits 0-1: no customization runtime, a pass-through one, or a rewriting one
 * (2 and 3); bit 2: a forwarder for foreign destinations; bit 3: foreign destinations not taken). Then packets, up to
 * {@value #MAX_PACKETS}, each as a flags byte, a 16-bit big-endian length and the bytes. Flags bits 0-1: link
 * protocol IPv4 (0 and 3), IPv6 (1) or an unknown one (2); bits 5-6: move the clock on first by nothing, 10 ms, 31 s
 * (IPv4 reassembly times out) or 61 s (IPv6 reassembly and idle flows time out); bit 7: fix the checksums first
 * (IPv4 header, and the UDP, ICMP or ICMPv6 checksum of an unfragmented packet), so that mutations reach past the
 * checksum checks. Several packets per input let fragments meet and be reassembled. The committed inputs in
 * {@code InterfaceFuzzTestInputs/fuzz/} are groups of {@link ValidPackets} ({@code seed-*}, written by {@link #main}),
 * the inputs fuzzing found ({@code fuzzed-*}, minimized with libFuzzer's {@code -merge=1}) and the findings
 * ({@code crash-*}).
 */
class InterfaceFuzzTest {

    static final int MAX_PACKETS = 64;
    static final int FIX_CHECKSUMS = 0x80;

    @FuzzTest
    void fuzz(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int config = input[0] & 0xFF;
        IngressHarness.Tap tap = switch (config & 3) {
            case 0 -> IngressHarness.Tap.NONE;
            case 1 -> IngressHarness.Tap.PASS_THROUGH;
            default -> IngressHarness.Tap.REWRITING;
        };
        IngressHarness stack = new IngressHarness(tap, (config & 4) != 0, (config & 8) == 0);
        int at = 1;
        for (int packets = 0; packets < MAX_PACKETS && at + 3 <= input.length; packets++) {
            int flags = input[at] & 0xFF;
            int length = Math.min((input[at + 1] & 0xFF) << 8 | input[at + 2] & 0xFF, input.length - at - 3);
            length = Math.min(length, IngressHarness.MTU);
            int from = at + 3;
            at = from + length;
            switch (flags >>> 5 & 3) {
                case 1 -> stack.advance(10, TimeUnit.MILLISECONDS);
                case 2 -> stack.advance(31, TimeUnit.SECONDS);
                case 3 -> stack.advance(61, TimeUnit.SECONDS);
                default -> {
                }
            }
            if (length == 0) {
                continue;
            }
            int protocol = switch (flags & 3) {
                case 1 -> LinkProtocol.IPV6;
                case 2 -> LinkProtocol.EXPERIMENTAL_1;
                default -> LinkProtocol.IPV4;
            };
            byte[] packet = Arrays.copyOfRange(input, from, from + length);
            if ((flags & FIX_CHECKSUMS) != 0) {
                fixChecksums(protocol, packet);
            }
            stack.inject(protocol, packet, 0, length);
        }
        stack.finish();
    }

    /** Rewrites the checksums of a packet that is well-formed enough to have them, as a sender would compute them. */
    static void fixChecksums(int protocol, byte[] packet) {
        ByteBuffer b = ByteBuffer.wrap(packet);
        if (protocol == LinkProtocol.IPV4) {
            Ipv4Packet ip = new Ipv4Packet().wrap(b);
            if (ip.check() != WireCheck.VALID) {
                return;
            }
            if (!ip.isFragment()) {
                fixTransport(ip.protocol(), b, ip.payloadOffset(), ip.payloadLength(),
                        ip.pseudoHeaderSum(ip.protocol(), ip.payloadLength()));
            }
            ip.fillChecksum();
        } else if (protocol == LinkProtocol.IPV6) {
            Ipv6Packet ip = new Ipv6Packet().wrap(b);
            Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();
            if (ip.check() != WireCheck.VALID || headers.walk(ip) != WireCheck.VALID || headers.isFragment()) {
                return;
            }
            fixTransport(headers.upperProtocol(), b, headers.upperOffset(), headers.upperLength(),
                    ip.pseudoHeaderSum(headers.upperProtocol(), headers.upperLength()));
        }
    }

    private static void fixTransport(int protocol, ByteBuffer b, int offset, int length, long pseudo) {
        switch (protocol) {
            case IpProtocol.UDP -> {
                UdpPacket udp = new UdpPacket().wrap(b, offset, length);
                if (udp.check() == WireCheck.VALID) {
                    udp.fillChecksum(pseudo);
                }
            }
            case IpProtocol.ICMP -> {
                Icmpv4Packet icmp = new Icmpv4Packet().wrap(b, offset, length);
                if (icmp.check() == WireCheck.VALID) {
                    icmp.fillChecksum();
                }
            }
            case IpProtocol.ICMPV6 -> {
                Icmpv6Packet icmp = new Icmpv6Packet().wrap(b, offset, length);
                if (icmp.check() == WireCheck.VALID) {
                    icmp.fillChecksum(pseudo);
                }
            }
            default -> {
            }
        }
    }

    /**
     * Writes the seed inputs: each group of {@link ValidPackets} under a few configurations, with checksums to fix,
     * and lone first fragments left to time out.
     *
     * @param args the inputs directory, {@code src/test/resources/layer45/mnet/iface/InterfaceFuzzTestInputs/fuzz}
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        for (ValidPackets.Named named : ValidPackets.all()) {
            // No runtime with a forwarder; a rewriting runtime; a pass-through one without forwarder or foreign flows.
            for (int config : new int[] { 0x04, 0x06, 0x09 }) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(config);
                for (ValidPackets.Packet packet : named.packets()) {
                    record(out, packet, FIX_CHECKSUMS);
                }
                if (named.name().endsWith("first-fragment-only")) {
                    // Time passes, then a packet comes: the timers run first and the datagram times out.
                    record(out, named.packets().get(0), 3 << 5);
                }
                Files.write(dir.resolve("seed-" + named.name() + "-config" + config), out.toByteArray());
            }
        }
        ByteArrayOutputStream unknown = new ByteArrayOutputStream();
        unknown.write(0);
        record(unknown, new ValidPackets.Packet(LinkProtocol.EXPERIMENTAL_1, ValidPackets.text(20)), 0);
        Files.write(dir.resolve("seed-unknown-link-protocol"), unknown.toByteArray());
        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        mixed.write(0x06);
        for (ValidPackets.Named named : ValidPackets.all()) {
            if (List.of("udp4-echo", "udp6-fragments", "icmp6-echo", "udp4-foreign", "tcp4-syn")
                    .contains(named.name())) {
                for (ValidPackets.Packet packet : named.packets()) {
                    record(mixed, packet, FIX_CHECKSUMS | 1 << 5);
                }
            }
        }
        Files.write(dir.resolve("seed-mixed"), mixed.toByteArray());
    }

    private static void record(ByteArrayOutputStream out, ValidPackets.Packet packet, int flags) {
        int link = switch (packet.linkProtocol()) {
            case LinkProtocol.IPV4 -> 0;
            case LinkProtocol.IPV6 -> 1;
            default -> 2;
        };
        out.write(flags | link);
        out.write(packet.bytes().length >>> 8);
        out.write(packet.bytes().length);
        out.writeBytes(packet.bytes());
    }
}
