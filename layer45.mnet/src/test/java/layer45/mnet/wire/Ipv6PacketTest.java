package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ipv6PacketTest {

    private static final Ipv6Address SRC = Ipv6Address.parse("2001:db8::1");
    private static final Ipv6Address DST = Ipv6Address.parse("2001:db8::2");
    private static final Ipv6Repr UDP_REPR = new Ipv6Repr(SRC, DST, IpProtocol.UDP, 16, 64, 0, 0x12345);

    private final Ipv6Packet ip = new Ipv6Packet();

    @Test
    void deconstruct() {
        ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV6_UDP);
        assertEquals(WireCheck.VALID, ip.wrap(b).check());
        assertEquals(6, ip.version());
        assertEquals(0, ip.trafficClass());
        assertEquals(0x12345, ip.flowLabel());
        assertEquals(16, ip.payloadLength());
        assertEquals(IpProtocol.UDP, ip.nextHeader());
        assertEquals(64, ip.hopLimit());
        assertEquals(SRC.high(), ip.srcHigh());
        assertEquals(SRC.low(), ip.srcLow());
        assertEquals(DST.high(), ip.dstHigh());
        assertEquals(DST.low(), ip.dstLow());
        assertEquals(40, ip.payloadOffset());
        assertEquals(0, b.position());
        assertEquals("IPv6 2001:db8::1 > 2001:db8::2 udp payload 16 hlim 64", ip.toString());
    }

    @Test
    void construct() {
        byte[] fixture = WireFixtures.bytes(WireFixtures.IPV6_UDP);
        ByteBuffer b = WireFixtures.zeroed(fixture.length);
        ip.wrap(b);
        ip.setVersion(6);
        ip.setTrafficClass(0);
        ip.setFlowLabel(0x12345);
        ip.setPayloadLength(16);
        ip.setNextHeader(IpProtocol.UDP);
        ip.setHopLimit(64);
        ip.setSrcAddr(SRC.high(), SRC.low());
        ip.setDstAddr(DST.high(), DST.low());
        b.put(40, fixture, 40, 16);
        assertEquals(WireFixtures.IPV6_UDP, WireFixtures.hex(b));
    }

    @Test
    void fieldsSharingAWordDoNotDisturbEachOther() {
        ip.wrap(ByteBuffer.allocate(40));
        ip.setFlowLabel(0xFFFFF);
        ip.setTrafficClass(0xB8);
        ip.setVersion(6);
        assertEquals(6, ip.version());
        assertEquals(0xB8, ip.trafficClass());
        assertEquals(0xFFFFF, ip.flowLabel());
        ip.setFlowLabel(1);
        assertEquals(0xB8, ip.trafficClass());
    }

    @Test
    void parse() {
        assertEquals(UDP_REPR, Ipv6Repr.parse(ip.wrap(WireFixtures.buffer(WireFixtures.IPV6_UDP))));
        assertEquals(40, UDP_REPR.headerLength());
        assertEquals(56, UDP_REPR.bufferLength());
    }

    @ParameterizedTest
    @CsvSource({"IPV6_UDP", "IPV6_TCP_SYN", "IPV6_HBH_DEST_TCP_SYN", "IPV6_FRAG_FIRST", "ICMPV6_ECHO_REQUEST"})
    void emitIntoAStaleBufferGivesTheFixture(String name) throws Exception {
        String hex = (String) WireFixtures.class.getDeclaredField(name).get(null);
        byte[] fixture = WireFixtures.bytes(hex);
        Ipv6Repr repr = Ipv6Repr.parse(ip.wrap(ByteBuffer.wrap(fixture)));
        ByteBuffer b = ByteBuffer.allocate(repr.bufferLength());
        Arrays.fill(b.array(), (byte) 0xA5);
        repr.emit(ip.wrap(b));
        b.put(40, fixture, 40, repr.payloadLength());
        assertEquals(hex, WireFixtures.hex(b));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "wrapped 39 bytes,           39, -1, -1, -1, TRUNCATED",
        "version 4,                  56, 0x40, -1, -1, BAD_VERSION",
        "payload length 17,          56, -1, 17, -1, TRUNCATED",
        "payload length 0,           56, -1, 0, -1, VALID",
        "jumbogram,                  56, -1, 0, 0, BAD_LENGTH",
        "trailing bytes ignored,     70, -1, -1, -1, VALID",
    })
    void impossibleLengths(String what, int wrapped, int firstByte, int payloadLength, int nextHeader,
            WireCheck expected) {
        ByteBuffer b = ByteBuffer.allocate(80).put(0, WireFixtures.bytes(WireFixtures.IPV6_UDP));
        if (firstByte >= 0) {
            b.put(0, (byte) firstByte);
        }
        if (payloadLength >= 0) {
            b.putShort(4, (short) payloadLength);
        }
        if (nextHeader >= 0) {
            b.put(6, (byte) nextHeader);
        }
        assertEquals(expected, ip.wrap(b, 0, wrapped).check(), what);
    }

    @Test
    void quotedPacketsMayBeCut() {
        ByteBuffer b = ByteBuffer.wrap(WireFixtures.bytes(WireFixtures.IPV6_UDP), 0, 48);
        assertEquals(WireCheck.TRUNCATED, ip.wrap(b).check());
        assertEquals(WireCheck.VALID, ip.checkQuoted());
        assertEquals(16, ip.payloadLength());
        assertEquals(8, ip.availablePayloadLength());
    }

    @Test
    void pseudoHeaderSumMatchesTheRepr() {
        ip.wrap(WireFixtures.buffer(WireFixtures.IPV6_UDP));
        assertEquals(Checksum.fold(UDP_REPR.pseudoHeaderSum(17, 16)), Checksum.fold(ip.pseudoHeaderSum(17, 16)));
    }

    @Test
    void programmerErrors() {
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Repr(SRC, DST, 17, 0, 64, 0, 0x100000));
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Repr(SRC, DST, 17, 65536, 64, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> UDP_REPR.emit(ip.wrap(ByteBuffer.allocate(39))));
        assertTrue(new Ipv6Packet().check() == WireCheck.TRUNCATED);
    }
}
