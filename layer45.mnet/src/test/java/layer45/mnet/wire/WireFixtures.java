package layer45.mnet.wire;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real packets for the wire tests, whole IP packets as hex.
 *
 * <p>Built with Scapy 2.5 (Debian python3-scapy) and its own checksum code, independent of {@link Checksum}; the
 * generator script is in {@code src/test/resources/layer45/mnet/wire/fixtures.py}. Each one is also a seed of the
 * fuzzing corpus ({@link SeedCorpusTest}).
 */
final class WireFixtures {

    /** IPv4 10.0.0.1 > 10.0.0.2, DF, ident 0x1234, TTL 64; UDP 40000 > 53 with 8 bytes "layer45!". */
    static final String IPV4_UDP =
            "4500002412344000401114930a0000010a0000029c4000350010c2396c61796572343521";

    /** As IPV4_UDP, ident 0x1235, UDP checksum omitted (0). */
    static final String IPV4_UDP_ZERO_CHECKSUM =
            "4500002412354000401114920a0000010a0000029c400035001000006c61796572343521";

    /** IPv4 with a Router Alert option (IHL 6), TTL 1; ICMP echo request ident 0x4242 seq 7, data "abcdefgh". */
    static final String IPV4_OPTIONS_ICMP_ECHO =
            "46000028abcd00000101f5a7c0a8010ac0a801019404000008002421424200076162636465666768";

    /** IPv4 TCP SYN 54321 > 80 as Linux sends it: MSS 1460, SACK permitted, timestamps, NOP, window scale 7. */
    static final String IPV4_TCP_SYN =
            "4500003c000040004006fae00a0000015db8d822d43100501234567800000000a002faf0cbff0000020405b40402080a"
            + "010203040000000001030307";

    /** IPv4 TCP PSH+ACK with NOP NOP timestamps and an 18-byte HTTP request. */
    static final String IPV4_TCP_DATA =
            "45000046010140004006f9d50a0000015db8d822d431005012345679a0b0c0d1801801f6e58b00000101080a01020404"
            + "55667788474554202f20485454502f312e300d0a0d0a";

    /** IPv4 TCP ACK with NOP NOP SACK of two blocks. */
    static final String IPV4_TCP_SACK =
            "4500003c02024000380600df5db8d8220a0000010050d431a0b0c0d11234568ba01001fd503e0000010105121234a000"
            + "1234b0001234c0001234d000";

    /** IPv4 TCP RST+ACK without options, window 0. */
    static final String IPV4_TCP_RST =
            "4500002800004000400626ce0a0000020a0000010050d4310000000012345679501400005e9f0000";

    /** First fragment (MF, offset 0) of a UDP datagram 5000 > 6000 with 24 payload bytes, ident 0x7777. */
    static final String IPV4_FRAG_FIRST =
            "45000024777720004011cf4f0a0000010a000002138817700020e7ce3031323334353637";

    /** Last fragment (offset 16) of the same datagram. */
    static final String IPV4_FRAG_LAST =
            "45000024777700024011ef4d0a0000010a00000238396162636465666768696a6b6c6d6e";

    /** ICMP port unreachable quoting IPV4_UDP's IP header and first 8 payload bytes. */
    static final String ICMPV4_PORT_UNREACHABLE =
            "45000038555500004001116e0a0000020a00000103039e3d000000004500002412344000401114930a0000010a000002"
            + "9c4000350010c239";

    /** ICMP fragmentation needed, next-hop MTU 1400, quoting the same bytes. */
    static final String ICMPV4_FRAG_NEEDED =
            "4500003855560000ff0151700a0000fe0a000001030498c4000005784500002412344000401114930a0000010a000002"
            + "9c4000350010c239";

    /** ICMP TTL exceeded in transit, quoting the same bytes. */
    static final String ICMPV4_TIME_EXCEEDED =
            "4500003855570000ff01516f0a0000fe0a0000010b009640000000004500002412344000401114930a0000010a000002"
            + "9c4000350010c239";

    /** ICMP echo reply to IPV4_OPTIONS_ICMP_ECHO. */
    static final String ICMPV4_ECHO_REPLY =
            "45000024000100004001f77cc0a80101c0a8010a00002c21424200076162636465666768";

    /** IPv6 2001:db8::1 > 2001:db8::2, flow label 0x12345; UDP 40000 > 53 with "layer45!". */
    static final String IPV6_UDP =
            "600123450010114020010db800000000000000000000000120010db80000000000000000000000029c40003500107ac7"
            + "6c61796572343521";

    /** IPv6 TCP SYN 54321 > 443: MSS 1440, SACK permitted, timestamps, NOP, window scale 9. */
    static final String IPV6_TCP_SYN =
            "600000000028064020010db800000000000000000000000120010db8000000000000000000000002d43101bbcafebabe"
            + "00000000a002ffff8d0b0000020405a00402080a000003e80000000001030309";

    /** ICMPv6 echo request fe80::1 > fe80::2, ident 0x1111 seq 3, data "ping6data". */
    static final String ICMPV6_ECHO_REQUEST =
            "6000000000113a40fe800000000000000000000000000001fe800000000000000000000000000002800099f111110003"
            + "70696e673664617461";

    /** ICMPv6 echo reply to ICMPV6_ECHO_REQUEST. */
    static final String ICMPV6_ECHO_REPLY =
            "6000000000113a40fe800000000000000000000000000002fe800000000000000000000000000001810098f111110003"
            + "70696e673664617461";

    /** First fragment (M, offset 0, id 0xdeadbeef) of a UDP datagram 5000 > 6000 with 24 payload bytes. */
    static final String IPV6_FRAG_FIRST =
            "6000000000182c4020010db800000000000000000000000120010db800000000000000000000000211000001deadbeef"
            + "138817700020a05c3031323334353637";

    /** Last fragment (offset 16) of the same datagram. */
    static final String IPV6_FRAG_LAST =
            "6000000000182c4020010db800000000000000000000000120010db800000000000000000000000211000010deadbeef"
            + "38396162636465666768696a6b6c6d6e";

    /** Atomic fragment (offset 0, M = 0, RFC 6946) carrying the UDP datagram of IPV6_UDP. */
    static final String IPV6_ATOMIC_FRAG_UDP =
            "6000000000182c4020010db800000000000000000000000120010db80000000000000000000000021100000001020304"
            + "9c40003500107ac76c61796572343521";

    /** IPv6 with Hop-by-Hop (Router Alert, PadN) and Destination Options (PadN), then a TCP SYN with MSS 1440. */
    static final String IPV6_HBH_DEST_TCP_SYN =
            "600000000028000120010db800000000000000000000000120010db80000000000000000000000023c00050200000100"
            + "0600010400000000d43101bbcafebabe000000006002ffffe11b0000020405a0";

    /** IPv6 with a Segment Routing header (type 4), segments left 0, then UDP. */
    static final String IPV6_ROUTING_SL0_UDP =
            "6000000000282b4020010db800000000000000000000000120010db80000000000000000000000021102040000000000"
            + "20010db80000000000000000000000029c40003500107ac76c61796572343521";

    /** IPv6 with a Segment Routing header (type 4), segments left 1, then UDP. */
    static final String IPV6_ROUTING_SL1_UDP =
            "6000000000382b4020010db800000000000000000000000120010db80000000000000000000000021104040101000000"
            + "20010db800000000000000000000000320010db80000000000000000000000029c40003500107ac66c61796572343521";

    /** IPv6 with an Authentication Header (24 bytes), then an ICMPv6 echo request. */
    static final String IPV6_AH_ICMPV6_ECHO =
            "600000000022334020010db800000000000000000000000120010db80000000000000000000000023a04000000000100"
            + "000000011111111111111111111111118000c2d5000700016168";

    /** IPv6 with No Next Header and two ignored bytes. */
    static final String IPV6_NO_NEXT_HEADER =
            "6000000000023b4020010db800000000000000000000000120010db80000000000000000000000029999";

    /** ICMPv6 packet too big, MTU 1280, quoting the first 56 bytes of IPV6_UDP. */
    static final String ICMPV6_PACKET_TOO_BIG =
            "6000000000403a4020010db80000000000000000000000fe20010db80000000000000000000000010200079f00000500"
            + "600123450010114020010db800000000000000000000000120010db80000000000000000000000029c40003500107ac7"
            + "6c61796572343521";

    /** ICMPv6 port unreachable quoting all of IPV6_UDP. */
    static final String ICMPV6_PORT_UNREACHABLE =
            "6000000000403a4020010db800000000000000000000000220010db800000000000000000000000101040e9700000000"
            + "600123450010114020010db800000000000000000000000120010db80000000000000000000000029c40003500107ac7"
            + "6c61796572343521";

    /** ICMPv6 parameter problem code 2, pointer 42, quoting the first 48 bytes of IPV6_UDP. */
    static final String ICMPV6_PARAM_PROBLEM =
            "6000000000383a4020010db800000000000000000000000220010db8000000000000000000000001040298930000002a"
            + "600123450010114020010db800000000000000000000000120010db80000000000000000000000029c40003500107ac7";

    /** Every fixture by its name in lower case, the corpus file name without {@code .bin}. */
    static final Map<String, String> ALL = new LinkedHashMap<>();

    static {
        ALL.put("ipv4_udp", IPV4_UDP);
        ALL.put("ipv4_udp_zero_checksum", IPV4_UDP_ZERO_CHECKSUM);
        ALL.put("ipv4_options_icmp_echo", IPV4_OPTIONS_ICMP_ECHO);
        ALL.put("ipv4_tcp_syn", IPV4_TCP_SYN);
        ALL.put("ipv4_tcp_data", IPV4_TCP_DATA);
        ALL.put("ipv4_tcp_sack", IPV4_TCP_SACK);
        ALL.put("ipv4_tcp_rst", IPV4_TCP_RST);
        ALL.put("ipv4_frag_first", IPV4_FRAG_FIRST);
        ALL.put("ipv4_frag_last", IPV4_FRAG_LAST);
        ALL.put("icmpv4_port_unreachable", ICMPV4_PORT_UNREACHABLE);
        ALL.put("icmpv4_frag_needed", ICMPV4_FRAG_NEEDED);
        ALL.put("icmpv4_time_exceeded", ICMPV4_TIME_EXCEEDED);
        ALL.put("icmpv4_echo_reply", ICMPV4_ECHO_REPLY);
        ALL.put("ipv6_udp", IPV6_UDP);
        ALL.put("ipv6_tcp_syn", IPV6_TCP_SYN);
        ALL.put("icmpv6_echo_request", ICMPV6_ECHO_REQUEST);
        ALL.put("icmpv6_echo_reply", ICMPV6_ECHO_REPLY);
        ALL.put("ipv6_frag_first", IPV6_FRAG_FIRST);
        ALL.put("ipv6_frag_last", IPV6_FRAG_LAST);
        ALL.put("ipv6_atomic_frag_udp", IPV6_ATOMIC_FRAG_UDP);
        ALL.put("ipv6_hbh_dest_tcp_syn", IPV6_HBH_DEST_TCP_SYN);
        ALL.put("ipv6_routing_sl0_udp", IPV6_ROUTING_SL0_UDP);
        ALL.put("ipv6_routing_sl1_udp", IPV6_ROUTING_SL1_UDP);
        ALL.put("ipv6_ah_icmpv6_echo", IPV6_AH_ICMPV6_ECHO);
        ALL.put("ipv6_no_next_header", IPV6_NO_NEXT_HEADER);
        ALL.put("icmpv6_packet_too_big", ICMPV6_PACKET_TOO_BIG);
        ALL.put("icmpv6_port_unreachable", ICMPV6_PORT_UNREACHABLE);
        ALL.put("icmpv6_param_problem", ICMPV6_PARAM_PROBLEM);
    }

    private WireFixtures() {
    }

    /** @return the bytes of a hex fixture */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    /** @return a big-endian heap buffer holding the fixture, position 0, limit its length */
    static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex));
    }

    /** @return a fresh zeroed buffer of {@code length} bytes */
    static ByteBuffer zeroed(int length) {
        return ByteBuffer.allocate(length);
    }

    /** @return the buffer's bytes from 0 to its limit, as lower-case hex */
    static String hex(ByteBuffer buf) {
        byte[] b = new byte[buf.limit()];
        buf.get(0, b);
        return HexFormat.of().formatHex(b);
    }
}
