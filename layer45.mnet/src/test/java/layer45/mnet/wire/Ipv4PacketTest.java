package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv4PacketTest {

    private static final Ipv4Address SRC = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address DST = Ipv4Address.parse("10.0.0.2");
    private static final Ipv4Repr UDP_REPR = new Ipv4Repr(SRC, DST, IpProtocol.UDP, 16, 64, 0, 0x1234, true, false, 0,
            null);

    private final Ipv4Packet ip = new Ipv4Packet();

    @Test
    void deconstruct() {
        ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV4_UDP);
        assertEquals(WireCheck.VALID, ip.wrap(b).check());
        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(0, ip.dscp());
        assertEquals(0, ip.ecn());
        assertEquals(36, ip.totalLength());
        assertEquals(0x1234, ip.ident());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertEquals(0, ip.fragmentOffset());
        assertFalse(ip.isFragment());
        assertEquals(64, ip.ttl());
        assertEquals(IpProtocol.UDP, ip.protocol());
        assertEquals(0x1493, ip.checksum());
        assertEquals(0x0A00_0001, ip.srcAddr());
        assertEquals(0x0A00_0002, ip.dstAddr());
        assertEquals(0, ip.optionsLength());
        assertEquals(20, ip.payloadOffset());
        assertEquals(16, ip.payloadLength());
        assertTrue(ip.verifyChecksum());
        assertEquals(0, b.position(), "views never move the position");
        assertEquals("IPv4 10.0.0.1 > 10.0.0.2 udp len 36 ttl 64", ip.toString());
    }

    @Test
    void construct() {
        byte[] fixture = WireFixtures.bytes(WireFixtures.IPV4_UDP);
        ByteBuffer b = WireFixtures.zeroed(fixture.length);
        ip.wrap(b);
        ip.setVersion(4);
        ip.setHeaderLength(20);
        ip.setDscp(0);
        ip.setEcn(0);
        ip.setTotalLength(36);
        ip.setIdent(0x1234);
        ip.setDontFragment(true);
        ip.setMoreFragments(false);
        ip.setFragmentOffset(0);
        ip.setTtl(64);
        ip.setProtocol(IpProtocol.UDP);
        ip.setSrcAddr(SRC.bits());
        ip.setDstAddr(DST.bits());
        b.put(ip.payloadOffset(), fixture, 20, 16);
        ip.fillChecksum();
        assertEquals(WireFixtures.IPV4_UDP, WireFixtures.hex(b));
    }

    @Test
    void parse() {
        assertEquals(UDP_REPR, Ipv4Repr.parse(ip.wrap(WireFixtures.buffer(WireFixtures.IPV4_UDP))));
        Ipv4Repr withOptions = Ipv4Repr.parse(ip.wrap(WireFixtures.buffer(WireFixtures.IPV4_OPTIONS_ICMP_ECHO)));
        assertEquals(new Ipv4Repr(Ipv4Address.parse("192.168.1.10"), Ipv4Address.parse("192.168.1.1"),
                IpProtocol.ICMP, 16, 1, 0, 0xABCD, false, false, 0, HexFormat.of().parseHex("94040000")),
                withOptions);
        assertEquals(24, withOptions.headerLength());
        assertEquals(40, withOptions.bufferLength());
    }

    @ParameterizedTest
    @CsvSource({"IPV4_UDP", "IPV4_OPTIONS_ICMP_ECHO", "IPV4_TCP_SYN", "IPV4_FRAG_FIRST", "IPV4_FRAG_LAST",
        "ICMPV4_PORT_UNREACHABLE"})
    void emitIntoAStaleBufferGivesTheFixture(String name) throws Exception {
        String hex = (String) WireFixtures.class.getDeclaredField(name).get(null);
        byte[] fixture = WireFixtures.bytes(hex);
        Ipv4Repr repr = Ipv4Repr.parse(ip.wrap(ByteBuffer.wrap(fixture)));
        ByteBuffer b = ByteBuffer.allocate(repr.bufferLength());
        Arrays.fill(b.array(), (byte) 0xA5); // stale bytes: emit must write every field
        repr.emit(ip.wrap(b, 0, repr.bufferLength()));
        b.put(ip.payloadOffset(), fixture, repr.headerLength(), repr.payloadLength());
        ip.fillChecksum();
        assertEquals(hex, WireFixtures.hex(b));
    }

    @Test
    void bothVersionsServeOneCodePath() {
        ip.wrap(WireFixtures.buffer(WireFixtures.IPV4_UDP));
        Ipv6Packet ip6 = new Ipv6Packet().wrap(WireFixtures.buffer(WireFixtures.IPV6_UDP));
        for (IpRepr r : new IpRepr[] {Ipv4Repr.parse(ip), Ipv6Repr.parse(ip6)}) {
            long expected = r.version() == 4 ? ip.pseudoHeaderSum(17, 16) : ip6.pseudoHeaderSum(17, 16);
            assertEquals(Checksum.fold(expected), Checksum.fold(r.pseudoHeaderSum(17, 16)));
            assertEquals(16, r.payloadLength());
            assertEquals(r.headerLength() + 16, r.bufferLength());
            assertEquals(r.version(), r.src().version());
        }
    }

    @Test
    void optionsAreReadAndCopied() {
        ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV4_OPTIONS_ICMP_ECHO);
        assertEquals(WireCheck.VALID, ip.wrap(b).check());
        assertEquals(24, ip.headerLength());
        assertEquals(4, ip.optionsLength());
        assertEquals(20, ip.optionsOffset());
        assertEquals(0x94, b.get(ip.optionsOffset()) & 0xFF, "router alert");
        assertTrue(ip.verifyChecksum());
        byte[] options = {(byte) 0x94, 4, 0, 0};
        Ipv4Repr repr = new Ipv4Repr(SRC, DST, 1, 0, 64, 0, 0, false, false, 0, options);
        options[0] = 1;
        assertEquals((byte) 0x94, repr.options()[0], "the constructor copies");
        repr.options()[0] = 1;
        assertEquals((byte) 0x94, repr.options()[0], "the accessor copies");
    }

    @ParameterizedTest(name = "options {0} -> {1}")
    @CsvSource({
        "94040000, VALID",
        "01010101, VALID",
        "00aaaaaa, VALID", // after End of Option List the rest is padding, whatever it holds
        "01009999, VALID",
        "01019402, VALID",
        "94050000, BAD_OPTIONS", // runs past the header
        "94010000, BAD_OPTIONS", // length below 2
        "94000000, BAD_OPTIONS",
        "01010194, BAD_OPTIONS", // no room for the length byte
        "0101010101010182, BAD_OPTIONS",
        "830700000000000000000000, VALID", // loose source route, 7 bytes, then EOL
        "830c00000000000000000000, VALID", // exactly fills the options region
        "830d00000000000000000000, BAD_OPTIONS",
    })
    void malformedOptionsAreRejected(String options, WireCheck expected) {
        byte[] opt = HexFormat.of().parseHex(options);
        ByteBuffer b = ByteBuffer.allocate(20 + opt.length + 8);
        Ipv4Repr repr = new Ipv4Repr(SRC, DST, IpProtocol.UDP, 8, 64, 0, 1, false, false, 0, opt);
        repr.emit(ip.wrap(b));
        ip.fillChecksum();
        assertEquals(expected, ip.check());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "wrapped 19 bytes,               19, -1, -1, -1, TRUNCATED",
        "version 6,                      36, 0x65, -1, -1, BAD_VERSION",
        "IHL 4,                          36, 0x44, -1, -1, BAD_HEADER_LENGTH",
        "IHL 0,                          36, 0x40, -1, -1, BAD_HEADER_LENGTH",
        "IHL 15 beyond the bytes,        36, 0x4f, -1, -1, TRUNCATED",
        "total length 19,                36, -1, 19, -1, BAD_TOTAL_LENGTH",
        "total length 0,                 36, -1, 0, -1, BAD_TOTAL_LENGTH",
        "total length 37,                36, -1, 37, -1, TRUNCATED",
        "total length 20,                36, -1, 20, -1, VALID",
        "trailing bytes ignored,         46, -1, -1, -1, VALID",
        "fragment ending at 65535,       36, -1, -1, 0x1ffd, VALID",
        "fragment ending past 65535,     36, -1, -1, 0x1fff, BAD_FRAGMENT",
    })
    void impossibleLengths(String what, int wrapped, int verIhl, int totalLength, int fragWord, WireCheck expected) {
        ByteBuffer b = ByteBuffer.allocate(64).put(0, WireFixtures.bytes(WireFixtures.IPV4_UDP));
        if (verIhl >= 0) {
            b.put(0, (byte) verIhl);
        }
        if (totalLength >= 0) {
            b.putShort(2, (short) totalLength);
        }
        if (fragWord >= 0) {
            b.putShort(6, (short) fragWord);
        }
        assertEquals(expected, ip.wrap(b, 0, wrapped).check(), what);
        if (expected.valid()) {
            assertTrue(ip.payloadOffset() + ip.payloadLength() <= wrapped);
        }
    }

    @Test
    void regionsOutsideTheBufferAreTruncated() {
        ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV4_UDP);
        assertEquals(WireCheck.TRUNCATED, ip.wrap(b, 1, 36).check());
        assertEquals(WireCheck.TRUNCATED, ip.wrap(b, -1, 36).check());
        assertEquals(WireCheck.TRUNCATED, ip.wrap(b, Integer.MAX_VALUE, 36).check());
        assertEquals(WireCheck.TRUNCATED, new Ipv4Packet().check(), "never wrapped");
    }

    @Test
    void fragments() {
        assertEquals(WireCheck.VALID, ip.wrap(WireFixtures.buffer(WireFixtures.IPV4_FRAG_FIRST)).check());
        assertTrue(ip.isFragment());
        assertTrue(ip.moreFragments());
        assertEquals(0, ip.fragmentOffset());
        assertEquals(16, ip.payloadLength());
        assertTrue(ip.verifyChecksum());
        assertEquals(WireCheck.VALID, ip.wrap(WireFixtures.buffer(WireFixtures.IPV4_FRAG_LAST)).check());
        assertTrue(ip.isFragment());
        assertFalse(ip.moreFragments());
        assertEquals(16, ip.fragmentOffset());
        assertEquals(0x7777, ip.ident());
        assertTrue(ip.verifyChecksum());
    }

    @Test
    void badChecksumIsDetected() {
        ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV4_UDP);
        b.put(8, (byte) 63);
        assertEquals(WireCheck.VALID, ip.wrap(b).check(), "checksums are not structural");
        assertFalse(ip.verifyChecksum());
    }

    @Test
    void natRewritesUpdateTheChecksumLikeRecomputation() {
        Random random = new Random(42);
        for (int i = 0; i < 1_000; i++) {
            ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV4_TCP_SYN);
            ip.wrap(b);
            ip.setSrcAddrWithChecksumUpdate(random.nextInt());
            ip.setDstAddrWithChecksumUpdate(random.nextInt());
            assertTrue(ip.verifyChecksum());
            int updated = ip.checksum();
            ip.fillChecksum();
            assertEquals(ip.checksum(), updated);
        }
        ip.wrap(WireFixtures.buffer(WireFixtures.IPV4_UDP));
        ip.decrementTtlWithChecksumUpdate();
        assertEquals(63, ip.ttl());
        assertTrue(ip.verifyChecksum());
    }

    @Test
    void settersKeepNeighbouringBits() {
        ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV4_FRAG_FIRST);
        ip.wrap(b);
        ip.setFragmentOffset(1480);
        assertTrue(ip.moreFragments());
        assertEquals(1480, ip.fragmentOffset());
        ip.setDscp(46);
        ip.setEcn(3);
        assertEquals(46, ip.dscp());
        assertEquals(3, ip.ecn());
        ip.setHeaderLength(24);
        assertEquals(4, ip.version());
    }

    @Test
    void programmerErrorsSayWhatIsWrong() {
        ip.wrap(ByteBuffer.allocate(60));
        assertThrows(IllegalArgumentException.class, () -> ip.setHeaderLength(22));
        assertThrows(IllegalArgumentException.class, () -> ip.setHeaderLength(64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ip.setFragmentOffset(3));
        assertTrue(e.getMessage().contains("multiple of 8"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Repr(SRC, DST, 6, 0, 256, 0, 0, false, false, 0, null));
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Repr(SRC, DST, 6, 0, 64, 0, 0, false, false, 0, new byte[3]));
        assertThrows(IllegalArgumentException.class,
                () -> new Ipv4Repr(SRC, DST, 6, 0, 64, 0, 0, false, false, 12, null));
        e = assertThrows(IllegalArgumentException.class, () -> UDP_REPR.emit(ip.wrap(ByteBuffer.allocate(19))));
        assertTrue(e.getMessage().contains("needs 20 bytes but the view wraps 19"), e.getMessage());
    }

    @Test
    void reprEqualityComparesOptionBytes() {
        Ipv4Repr a = new Ipv4Repr(SRC, DST, 6, 0, 64, 0, 0, false, false, 0, new byte[] {1, 1, 1, 0});
        Ipv4Repr b = new Ipv4Repr(SRC, DST, 6, 0, 64, 0, 0, false, false, 0, new byte[] {1, 1, 1, 0});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new Ipv4Repr(SRC, DST, 6, 0, 64, 0, 0, false, false, 0, new byte[] {1, 1, 0, 0}));
        assertArrayEquals(new byte[0], Ipv4Repr.of(SRC, DST, 6, 0, 64).options());
        assertTrue(a.toString().contains("options=01010100"), a.toString());
    }
}
