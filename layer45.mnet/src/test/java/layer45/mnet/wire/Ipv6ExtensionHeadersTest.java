package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv6ExtensionHeadersTest {

    private static final String UDP = "9c40003500080000";

    private final Ipv6Packet ip = new Ipv6Packet();
    private final Ipv6ExtensionHeaders ext = new Ipv6ExtensionHeaders();

    /** An IPv6 packet whose fixed header names {@code firstNextHeader} and whose payload is {@code payloadHex}. */
    static ByteBuffer ipv6(int firstNextHeader, String payloadHex) {
        byte[] payload = HexFormat.of().parseHex(payloadHex.replace(" ", ""));
        ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
        new Ipv6Repr(Ipv6Address.parse("2001:db8::1"), Ipv6Address.parse("2001:db8::2"), firstNextHeader,
                payload.length, 64, 0, 0).emit(new Ipv6Packet().wrap(b));
        return b.put(40, payload);
    }

    private WireCheck walk(ByteBuffer b) {
        assertEquals(WireCheck.VALID, ip.wrap(b).check());
        return ext.walk(ip);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // fixture,              upper, offset, length, headers
        "IPV6_UDP,                17, 40, 16, 0",
        "IPV6_TCP_SYN,            6,  40, 40, 0",
        "IPV6_HBH_DEST_TCP_SYN,   6,  56, 24, 2",
        "IPV6_ROUTING_SL0_UDP,    17, 64, 16, 1",
        "IPV6_ATOMIC_FRAG_UDP,    17, 48, 16, 1",
        "IPV6_AH_ICMPV6_ECHO,     58, 64, 10, 1",
        "IPV6_NO_NEXT_HEADER,     59, 40, 0,  0",
        "ICMPV6_ECHO_REQUEST,     58, 40, 17, 0",
        "ICMPV6_PACKET_TOO_BIG,   58, 40, 64, 0",
    })
    void fixturesWalkToTheirUpperLayer(String name, int upper, int offset, int length, int headers)
            throws Exception {
        ByteBuffer b = WireFixtures.buffer((String) WireFixtures.class.getDeclaredField(name).get(null));
        assertEquals(WireCheck.VALID, walk(b));
        assertEquals(upper, ext.upperProtocol());
        assertEquals(offset, ext.upperOffset());
        assertEquals(length, ext.upperLength());
        assertEquals(headers, ext.headerCount());
        assertFalse(ext.isFragment());
        assertEquals(-1, ext.problemPointer());
    }

    @Test
    void upperLayerChecksumsVerifyAtTheWalkedOffset() {
        for (String hex : new String[] {WireFixtures.IPV6_HBH_DEST_TCP_SYN, WireFixtures.IPV6_ROUTING_SL0_UDP,
            WireFixtures.IPV6_ATOMIC_FRAG_UDP, WireFixtures.IPV6_AH_ICMPV6_ECHO}) {
            assertEquals(WireCheck.VALID, walk(WireFixtures.buffer(hex)));
            long pseudo = ip.pseudoHeaderSum(ext.upperProtocol(), ext.upperLength());
            long sum = Checksum.add(ip.buffer(), ext.upperOffset(), ext.upperLength(), pseudo);
            assertEquals(0, Checksum.finish(sum), hex);
        }
    }

    @Test
    void firstFragmentEndsTheWalk() {
        assertEquals(WireCheck.VALID, walk(WireFixtures.buffer(WireFixtures.IPV6_FRAG_FIRST)));
        assertTrue(ext.hasFragmentHeader());
        assertTrue(ext.isFragment());
        assertTrue(ext.moreFragments());
        assertEquals(0, ext.fragmentOffset());
        assertEquals(0xDEADBEEF, ext.fragmentId());
        assertEquals(40, ext.fragmentHeaderOffset());
        assertEquals(48, ext.fragmentablePartOffset());
        assertEquals(6, ext.fragmentNextHeaderFieldOffset());
        assertEquals(IpProtocol.UDP, ext.upperProtocol());
        assertEquals(48, ext.upperOffset());
        assertEquals(16, ext.upperLength());
    }

    @Test
    void lastFragment() {
        assertEquals(WireCheck.VALID, walk(WireFixtures.buffer(WireFixtures.IPV6_FRAG_LAST)));
        assertTrue(ext.isFragment());
        assertFalse(ext.moreFragments());
        assertEquals(16, ext.fragmentOffset());
        assertEquals(16, ext.upperLength());
    }

    @Test
    void atomicFragmentIsWalkedThrough() {
        assertEquals(WireCheck.VALID, walk(WireFixtures.buffer(WireFixtures.IPV6_ATOMIC_FRAG_UDP)));
        assertTrue(ext.hasFragmentHeader());
        assertFalse(ext.isFragment());
        assertEquals(0x01020304, ext.fragmentId());
    }

    @Test
    void routingHeaderWithSegmentsLeftIsAParameterProblem() {
        assertEquals(WireCheck.BAD_EXTENSION_HEADER, walk(WireFixtures.buffer(WireFixtures.IPV6_ROUTING_SL1_UDP)));
        assertEquals(42, ext.problemPointer(), "points at the Routing Type");
        assertEquals(Icmpv6Type.ERRONEOUS_HEADER_FIELD, ext.problemCode());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // what, first next header, payload after the fixed header, result, problem pointer, problem code
        "destination options then UDP,       60, 11000104000000009c40003500080000, VALID, -1, -1",
        "Pad1 only,                          60, 11000000000000009c40003500080000, VALID, -1, -1",
        "hop-by-hop after destination opts,  60, 00000104000000001100010400000000, HOP_BY_HOP_NOT_FIRST, 40, 1",
        "hop-by-hop after atomic fragment,   44, 00000000000000011100010400000000, HOP_BY_HOP_NOT_FIRST, 40, 1",
        "option runs past its header,        60, 1100010a00000000, BAD_OPTIONS, -1, -1",
        "option without its length byte,     60, 1100000000000005, BAD_OPTIONS, -1, -1",
        "header runs past the payload,       60, 1105010400000000, BAD_EXTENSION_HEADER, -1, -1",
        "one byte of header,                 60, 11, BAD_EXTENSION_HEADER, -1, -1",
        "no payload at all,                  60, '', BAD_EXTENSION_HEADER, -1, -1",
        "jumbo option with a payload length, 0,  1100c20400010000, BAD_LENGTH, 42, 0",
        "routing type 0 segments left 0,     43, 11000000000000009c40003500080000, VALID, -1, -1",
        "routing type 0 segments left 1,     43, 1100000100000000, BAD_EXTENSION_HEADER, 42, 0",
        "routing header cut,                 43, 110000, BAD_EXTENSION_HEADER, -1, -1",
        "non-last fragment not 8-aligned,    44, 1100000100000001000000000000000000000000, BAD_FRAGMENT, 4, 0",
        "fragment ending past 65535,         44, 1100fff80000000100000000000000000000000000000000, BAD_FRAGMENT, 42, 0",
        "fragment ending at 65535,           44, 1100fff000000001000000000000000000000000000000, VALID, -1, -1",
        "fragment header cut,                44, 11000001000000, BAD_EXTENSION_HEADER, -1, -1",
        "ESP is an upper layer,              50, 00000100000000010000, VALID, -1, -1",
        "AH cut,                             51, 1104000000000000, BAD_EXTENSION_HEADER, -1, -1",
        "unknown upper protocol,             253, 0000, VALID, -1, -1",
        "no next header after options,       60, 3b00010400000000ffff, VALID, -1, -1",
    })
    void chains(String what, int first, String payload, WireCheck expected, int pointer, int code) {
        assertEquals(expected, walk(ipv6(first, payload)), what);
        assertEquals(pointer, ext.problemPointer(), what);
        assertEquals(code, ext.problemCode(), what);
    }

    @Test
    void noNextHeaderHasNoUpperBytes() {
        assertEquals(WireCheck.VALID, walk(ipv6(60, "3b00010400000000ffff")));
        assertEquals(IpProtocol.IPV6_NONXT, ext.upperProtocol());
        assertEquals(48, ext.upperOffset());
        assertEquals(0, ext.upperLength());
        assertEquals(40, ext.upperProtocolFieldOffset());
    }

    @ParameterizedTest(name = "option type {0} in {1}")
    @CsvSource({
        "1e, 60, VALID, -1", // action 00: skip
        "5e, 60, UNRECOGNIZED_OPTION, 1",
        "9e, 60, UNRECOGNIZED_OPTION, 2",
        "de, 60, UNRECOGNIZED_OPTION, 3",
        "1e, 0, VALID, -1",
        "5e, 0, UNRECOGNIZED_OPTION, 1",
        "9e, 0, UNRECOGNIZED_OPTION, 2",
        "de, 0, UNRECOGNIZED_OPTION, 3",
        "c2, 60, UNRECOGNIZED_OPTION, 3", // Jumbo Payload belongs in Hop-by-Hop only
        "05, 0, VALID, -1", // Router Alert
    })
    void unknownOptionsByTheirActionBits(String type, int header, WireCheck expected, int action) {
        // Pad1, then the option with 4 bytes of data, then PadN(0) to fill 16 bytes: the option sits at byte 43.
        String options = "110100" + type + "04aabbccdd" + "01050000000000";
        assertEquals(expected, walk(ipv6(header, options + "9c40003500080000")));
        assertEquals(action, ext.unrecognizedOptionAction());
        if (expected == WireCheck.UNRECOGNIZED_OPTION) {
            assertEquals(43, ext.problemPointer());
            assertEquals(Icmpv6Type.UNRECOGNIZED_OPTION, ext.problemCode());
        }
    }

    @Test
    void atMostEightExtensionHeaders() {
        String destOpts = "3c00010400000000";
        String eight = destOpts.repeat(7) + "11000104000000009c40003500080000";
        assertEquals(WireCheck.VALID, walk(ipv6(60, eight)));
        assertEquals(8, ext.headerCount());
        assertEquals(IpProtocol.UDP, ext.upperProtocol());
        String nine = destOpts.repeat(8) + "11000104000000009c40003500080000";
        assertEquals(WireCheck.TOO_MANY_EXTENSION_HEADERS, walk(ipv6(60, nine)));
    }

    @Test
    void theWalkerIsReusable() {
        assertEquals(WireCheck.VALID, walk(WireFixtures.buffer(WireFixtures.IPV6_FRAG_FIRST)));
        assertEquals(WireCheck.VALID, walk(WireFixtures.buffer(WireFixtures.IPV6_UDP)));
        assertFalse(ext.hasFragmentHeader(), "state of the previous walk is cleared");
        assertEquals(-1, ext.fragmentablePartOffset());
        assertEquals(0, ext.fragmentId());
    }

    @Test
    void quotedPacketsAreWalkedAsFarAsTheyGo() {
        ByteBuffer cut = ByteBuffer.wrap(WireFixtures.bytes(WireFixtures.IPV6_HBH_DEST_TCP_SYN), 0, 60);
        assertEquals(WireCheck.VALID, ip.wrap(cut).checkQuoted());
        assertEquals(WireCheck.VALID, ext.walk(ip));
        assertEquals(IpProtocol.TCP, ext.upperProtocol());
        assertEquals(4, ext.upperLength(), "only the ports remain");
        ByteBuffer tooShort = ByteBuffer.wrap(WireFixtures.bytes(WireFixtures.IPV6_HBH_DEST_TCP_SYN), 0, 50);
        assertEquals(WireCheck.VALID, ip.wrap(tooShort).checkQuoted());
        assertEquals(WireCheck.BAD_EXTENSION_HEADER, ext.walk(ip));
    }
}
