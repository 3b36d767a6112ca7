package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Icmpv4PacketTest {

    private final Ipv4Packet ip = new Ipv4Packet();
    private final Icmpv4Packet icmp = new Icmpv4Packet();

    private Icmpv4Packet icmpOf(ByteBuffer b) {
        assertEquals(WireCheck.VALID, ip.wrap(b).check());
        assertEquals(WireCheck.VALID, icmp.wrap(b, ip.payloadOffset(), ip.payloadLength()).check());
        return icmp;
    }

    @Test
    void deconstructEchoRequest() {
        icmpOf(WireFixtures.buffer(WireFixtures.IPV4_OPTIONS_ICMP_ECHO));
        assertEquals(Icmpv4Type.ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x2421, icmp.checksum());
        assertEquals(0x4242, icmp.echoIdent());
        assertEquals(7, icmp.echoSeq());
        assertEquals(0x4242_0007, icmp.restOfHeader());
        assertEquals(32, icmp.dataOffset());
        assertEquals(8, icmp.dataLength());
        assertTrue(icmp.verifyChecksum());
        assertEquals("ICMPv4 echo-request code 0 len 16", icmp.toString());
    }

    @Test
    void construct() {
        byte[] fixture = WireFixtures.bytes(WireFixtures.ICMPV4_ECHO_REPLY);
        ByteBuffer b = ByteBuffer.allocate(fixture.length).put(0, fixture, 0, 20);
        icmp.wrap(b, 20, 16);
        icmp.setType(Icmpv4Type.ECHO_REPLY);
        icmp.setCode(0);
        icmp.setEchoIdent(0x4242);
        icmp.setEchoSeq(7);
        b.put(icmp.payloadOffset(), fixture, 28, 8);
        icmp.fillChecksum();
        assertEquals(WireFixtures.ICMPV4_ECHO_REPLY, WireFixtures.hex(b));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "IPV4_OPTIONS_ICMP_ECHO, 'EchoRequest[ident=16962, seq=7, dataLength=8]'",
        "ICMPV4_ECHO_REPLY, 'EchoReply[ident=16962, seq=7, dataLength=8]'",
        "ICMPV4_PORT_UNREACHABLE, 'DestUnreachable[code=3, nextHopMtu=0, dataLength=28]'",
        "ICMPV4_FRAG_NEEDED, 'DestUnreachable[code=4, nextHopMtu=1400, dataLength=28]'",
        "ICMPV4_TIME_EXCEEDED, 'TimeExceeded[code=0, dataLength=28]'",
    })
    void parseAndEmit(String name, String expected) throws Exception {
        String hex = (String) WireFixtures.class.getDeclaredField(name).get(null);
        byte[] fixture = WireFixtures.bytes(hex);
        Icmpv4Repr repr = Icmpv4Repr.parse(icmpOf(ByteBuffer.wrap(fixture)));
        assertEquals(expected, repr.toString());
        int icmpAt = ip.payloadOffset();
        ByteBuffer b = ByteBuffer.allocate(fixture.length).put(0, fixture, 0, icmpAt);
        Arrays.fill(b.array(), icmpAt, fixture.length, (byte) 0x77);
        repr.emit(icmp.wrap(b, icmpAt, repr.bufferLength()));
        b.put(icmp.dataOffset(), fixture, icmpAt + 8, repr.dataLength());
        icmp.fillChecksum();
        assertEquals(hex, WireFixtures.hex(b));
    }

    @Test
    void portUnreachableQuotesTheDatagram() {
        icmpOf(WireFixtures.buffer(WireFixtures.ICMPV4_PORT_UNREACHABLE));
        assertEquals(Icmpv4Type.DEST_UNREACHABLE, icmp.type());
        assertEquals(Icmpv4Type.PORT_UNREACHABLE, icmp.code());
        assertTrue(icmp.verifyChecksum());
        Ipv4Packet quoted = new Ipv4Packet().wrap(icmp.buffer(), icmp.dataOffset(), icmp.dataLength());
        assertEquals(WireCheck.TRUNCATED, quoted.check(), "only the header and 8 bytes are quoted");
        assertEquals(WireCheck.VALID, quoted.checkQuoted());
        assertEquals(Ipv4Address.parse("10.0.0.1").bits(), quoted.srcAddr());
        assertEquals(IpProtocol.UDP, quoted.protocol());
        assertEquals(16, quoted.payloadLength());
        assertEquals(8, quoted.availablePayloadLength());
        assertTrue(quoted.verifyChecksum());
        // Ports are the first 4 bytes of the quoted transport header, present as the RFC requires.
        UdpPacket udp = new UdpPacket().wrap(icmp.buffer(), quoted.payloadOffset(), quoted.availablePayloadLength());
        assertEquals(WireCheck.BAD_LENGTH, udp.check(), "the quoted length field exceeds the quoted bytes");
        assertEquals(40000, udp.srcPort());
        assertEquals(53, udp.dstPort());
    }

    @Test
    void fragNeededCarriesTheNextHopMtu() {
        icmpOf(WireFixtures.buffer(WireFixtures.ICMPV4_FRAG_NEEDED));
        assertEquals(Icmpv4Type.FRAG_NEEDED, icmp.code());
        assertEquals(1400, icmp.nextHopMtu());
        assertTrue(icmp.verifyChecksum());
    }

    @Test
    void parameterProblemAndOtherTypes() {
        ByteBuffer b = ByteBuffer.allocate(36);
        Icmpv4Repr problem = new Icmpv4Repr.ParameterProblem(Icmpv4Type.POINTER_INDICATES_ERROR, 9, 28);
        problem.emit(icmp.wrap(b));
        icmp.fillChecksum();
        assertEquals(9, icmp.pointer());
        assertEquals(problem, Icmpv4Repr.parse(icmp));
        assertTrue(icmp.verifyChecksum());

        Icmpv4Repr timestamp = new Icmpv4Repr.Other(Icmpv4Type.TIMESTAMP, 0, 0x12345678, 12);
        timestamp.emit(icmp.wrap(ByteBuffer.allocate(20)));
        assertEquals(timestamp, Icmpv4Repr.parse(icmp));
        // An echo with a non-zero code is not an echo we answer: kept raw.
        icmp.setType(Icmpv4Type.ECHO_REQUEST);
        icmp.setCode(1);
        assertInstanceOf(Icmpv4Repr.Other.class, Icmpv4Repr.parse(icmp));
        assertTrue(Icmpv4Type.isError(Icmpv4Type.TIME_EXCEEDED));
        assertFalse(Icmpv4Type.isError(Icmpv4Type.ECHO_REPLY));
    }

    @Test
    void truncated() {
        assertEquals(WireCheck.TRUNCATED, icmp.wrap(ByteBuffer.allocate(7)).check());
        assertEquals(WireCheck.VALID, icmp.wrap(ByteBuffer.allocate(8)).check());
        assertEquals(0, icmp.dataLength());
    }

    @Test
    void programmerErrors() {
        assertThrows(IllegalArgumentException.class, () -> new Icmpv4Repr.EchoRequest(65536, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Icmpv4Repr.ParameterProblem(0, 256, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Icmpv4Repr.EchoReply(1, 1, 0).emit(icmp.wrap(ByteBuffer.allocate(7))));
    }
}
