package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Icmpv6PacketTest {

    private final Ipv6Packet ip = new Ipv6Packet();
    private final Icmpv6Packet icmp = new Icmpv6Packet();

    private Icmpv6Packet icmpOf(ByteBuffer b) {
        assertEquals(WireCheck.VALID, ip.wrap(b).check());
        assertEquals(WireCheck.VALID, icmp.wrap(b, 40, ip.payloadLength()).check());
        return icmp;
    }

    private long pseudo() {
        return ip.pseudoHeaderSum(IpProtocol.ICMPV6, icmp.length());
    }

    @Test
    void deconstructEchoRequest() {
        icmpOf(WireFixtures.buffer(WireFixtures.ICMPV6_ECHO_REQUEST));
        assertEquals(Icmpv6Type.ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x99F1, icmp.checksum());
        assertEquals(0x1111, icmp.echoIdent());
        assertEquals(3, icmp.echoSeq());
        assertEquals(48, icmp.payloadOffset());
        assertEquals(9, icmp.payloadLength());
        assertTrue(icmp.verifyChecksum(pseudo()));
        assertFalse(icmp.verifyChecksum(ip.pseudoHeaderSum(IpProtocol.ICMPV6, icmp.length() + 1)));
    }

    @Test
    void construct() {
        byte[] fixture = WireFixtures.bytes(WireFixtures.ICMPV6_ECHO_REPLY);
        ByteBuffer b = ByteBuffer.allocate(fixture.length).put(0, fixture, 0, 40);
        icmp.wrap(b, 40, 17);
        icmp.setType(Icmpv6Type.ECHO_REPLY);
        icmp.setCode(0);
        icmp.setEchoIdent(0x1111);
        icmp.setEchoSeq(3);
        b.put(48, fixture, 48, 9);
        icmp.fillChecksum(ip.wrap(b).pseudoHeaderSum(IpProtocol.ICMPV6, 17));
        assertEquals(WireFixtures.ICMPV6_ECHO_REPLY, WireFixtures.hex(b));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ICMPV6_ECHO_REQUEST, 'EchoRequest[ident=4369, seq=3, dataLength=9]'",
        "ICMPV6_ECHO_REPLY, 'EchoReply[ident=4369, seq=3, dataLength=9]'",
        "ICMPV6_PACKET_TOO_BIG, 'PacketTooBig[mtu=1280, dataLength=56]'",
        "ICMPV6_PORT_UNREACHABLE, 'DestUnreachable[code=4, dataLength=56]'",
        "ICMPV6_PARAM_PROBLEM, 'ParameterProblem[code=2, pointer=42, dataLength=48]'",
    })
    void parseAndEmit(String name, String expected) throws Exception {
        String hex = (String) WireFixtures.class.getDeclaredField(name).get(null);
        byte[] fixture = WireFixtures.bytes(hex);
        Icmpv6Repr repr = Icmpv6Repr.parse(icmpOf(ByteBuffer.wrap(fixture)));
        assertTrue(icmp.verifyChecksum(pseudo()));
        assertEquals(expected, repr.toString());
        ByteBuffer b = ByteBuffer.allocate(fixture.length).put(0, fixture, 0, 40);
        Arrays.fill(b.array(), 40, fixture.length, (byte) 0x33);
        repr.emit(icmp.wrap(b, 40, repr.bufferLength()));
        b.put(icmp.dataOffset(), fixture, 48, repr.dataLength());
        icmp.fillChecksum(ip.wrap(b).pseudoHeaderSum(IpProtocol.ICMPV6, repr.bufferLength()));
        assertEquals(hex, WireFixtures.hex(b));
    }

    @Test
    void errorsQuoteTheInvokingPacket() {
        icmpOf(WireFixtures.buffer(WireFixtures.ICMPV6_PACKET_TOO_BIG));
        assertEquals(1280, icmp.mtu());
        Ipv6Packet quoted = new Ipv6Packet().wrap(icmp.buffer(), icmp.dataOffset(), icmp.dataLength());
        assertEquals(WireCheck.VALID, quoted.check());
        assertEquals(IpProtocol.UDP, quoted.nextHeader());

        icmpOf(WireFixtures.buffer(WireFixtures.ICMPV6_PARAM_PROBLEM));
        assertEquals(42, icmp.pointer());
        quoted.wrap(icmp.buffer(), icmp.dataOffset(), icmp.dataLength());
        assertEquals(WireCheck.TRUNCATED, quoted.check());
        assertEquals(WireCheck.VALID, quoted.checkQuoted());
        Ipv6ExtensionHeaders ext = new Ipv6ExtensionHeaders();
        assertEquals(WireCheck.VALID, ext.walk(quoted));
        assertEquals(IpProtocol.UDP, ext.upperProtocol());
        assertEquals(8, ext.upperLength());
    }

    @Test
    void echoBehindAnAuthenticationHeader() {
        ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV6_AH_ICMPV6_ECHO);
        assertEquals(WireCheck.VALID, ip.wrap(b).check());
        Ipv6ExtensionHeaders ext = new Ipv6ExtensionHeaders();
        assertEquals(WireCheck.VALID, ext.walk(ip));
        icmp.wrap(b, ext.upperOffset(), ext.upperLength());
        assertEquals(WireCheck.VALID, icmp.check());
        assertEquals(new Icmpv6Repr.EchoRequest(7, 1, 2), Icmpv6Repr.parse(icmp));
        assertTrue(icmp.verifyChecksum(ip.pseudoHeaderSum(IpProtocol.ICMPV6, icmp.length())));
    }

    @Test
    void otherTypesAreKeptRaw() {
        ByteBuffer b = ByteBuffer.allocate(24);
        Icmpv6Repr ns = new Icmpv6Repr.Other(Icmpv6Type.NEIGHBOR_SOLICIT, 0, 0, 16);
        ns.emit(icmp.wrap(b));
        assertEquals(ns, Icmpv6Repr.parse(icmp));
        icmp.setType(Icmpv6Type.PACKET_TOO_BIG);
        icmp.setCode(1);
        assertInstanceOf(Icmpv6Repr.Other.class, Icmpv6Repr.parse(icmp));
        assertTrue(Icmpv6Type.isError(Icmpv6Type.PARAMETER_PROBLEM));
        assertFalse(Icmpv6Type.isError(Icmpv6Type.ECHO_REQUEST));
        assertEquals(WireCheck.TRUNCATED, icmp.wrap(ByteBuffer.allocate(7)).check());
    }
}
