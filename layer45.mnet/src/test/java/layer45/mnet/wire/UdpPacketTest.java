package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UdpPacketTest {

    private final Ipv4Packet ip = new Ipv4Packet();
    private final Ipv6Packet ip6 = new Ipv6Packet();
    private final UdpPacket udp = new UdpPacket();

    private UdpPacket udpOf(ByteBuffer b) {
        assertEquals(WireCheck.VALID, ip.wrap(b).check());
        return udp.wrap(b, ip.payloadOffset(), ip.payloadLength());
    }

    @Test
    void deconstruct() {
        ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV4_UDP);
        udpOf(b);
        assertEquals(WireCheck.VALID, udp.check());
        assertEquals(40000, udp.srcPort());
        assertEquals(53, udp.dstPort());
        assertEquals(16, udp.udpLength());
        assertEquals(0xC239, udp.checksum());
        assertEquals(28, udp.payloadOffset());
        assertEquals(8, udp.payloadLength());
        assertEquals("layer45!", new String(WireFixtures.bytes(WireFixtures.IPV4_UDP), udp.payloadOffset(), 8,
                java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(udp.verifyChecksum(ip.pseudoHeaderSum(IpProtocol.UDP, udp.udpLength())));
        assertFalse(udp.checksumOmitted());
        assertEquals("UDP 40000 > 53 len 16", udp.toString());
    }

    @Test
    void deconstructOverIpv6() {
        ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV6_UDP);
        assertEquals(WireCheck.VALID, ip6.wrap(b).check());
        udp.wrap(b, ip6.payloadOffset(), ip6.payloadLength());
        assertEquals(WireCheck.VALID, udp.check());
        assertEquals(0x7AC7, udp.checksum());
        assertTrue(udp.verifyChecksum(ip6.pseudoHeaderSum(IpProtocol.UDP, udp.udpLength())));
        b.put(b.limit() - 1, (byte) 0);
        assertFalse(udp.verifyChecksum(ip6.pseudoHeaderSum(IpProtocol.UDP, udp.udpLength())));
    }

    @Test
    void construct() {
        byte[] fixture = WireFixtures.bytes(WireFixtures.IPV4_UDP);
        ByteBuffer b = ByteBuffer.allocate(fixture.length).put(0, fixture, 0, 20);
        udp.wrap(b, 20, 16);
        udp.setSrcPort(40000);
        udp.setDstPort(53);
        udp.setUdpLength(16);
        b.put(udp.payloadOffset(), fixture, 28, 8);
        udp.fillChecksum(ip.wrap(b).pseudoHeaderSum(IpProtocol.UDP, 16));
        assertEquals(WireFixtures.IPV4_UDP, WireFixtures.hex(b));
    }

    @Test
    void parse() {
        assertEquals(new UdpRepr(40000, 53), UdpRepr.parse(udpOf(WireFixtures.buffer(WireFixtures.IPV4_UDP))));
    }

    @Test
    void emit() {
        byte[] fixture = WireFixtures.bytes(WireFixtures.IPV6_UDP);
        ByteBuffer b = ByteBuffer.allocate(fixture.length);
        Arrays.fill(b.array(), (byte) 0x5A);
        Ipv6Repr ipRepr = Ipv6Repr.parse(ip6.wrap(ByteBuffer.wrap(fixture)));
        UdpRepr repr = new UdpRepr(40000, 53);
        ipRepr.emit(ip6.wrap(b));
        repr.emit(udp.wrap(b, 40, repr.bufferLength(8)), 8);
        b.put(udp.payloadOffset(), fixture, 48, 8);
        udp.fillChecksum(ip6.pseudoHeaderSum(IpProtocol.UDP, udp.udpLength()));
        assertEquals(WireFixtures.IPV6_UDP, WireFixtures.hex(b));
        // The one-argument emit takes the length from the view.
        repr.emit(udp.wrap(b, 40, 16));
        assertEquals(16, udp.udpLength());
    }

    @Test
    void zeroChecksumMeansNone() {
        udpOf(WireFixtures.buffer(WireFixtures.IPV4_UDP_ZERO_CHECKSUM));
        assertTrue(udp.checksumOmitted());
        assertTrue(udp.verifyChecksum(ip.pseudoHeaderSum(IpProtocol.UDP, udp.udpLength())));
        // NAT keeps an omitted checksum omitted.
        udp.setSrcPortWithChecksumUpdate(1234);
        udp.updateChecksumForAddressChange(1, 2);
        assertEquals(0, udp.checksum());
    }

    @Test
    void aComputedZeroIsSentAsAllOnes() {
        ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV4_UDP);
        udpOf(b);
        long pseudo = ip.pseudoHeaderSum(IpProtocol.UDP, 16);
        // Put the checksum of the rest into the last payload word: the whole then sums to 0xFFFF, checksum 0.
        b.putShort(34, (short) 0);
        udp.fillChecksum(pseudo);
        b.putShort(34, (short) udp.checksum());
        udp.fillChecksum(pseudo);
        assertEquals(0xFFFF, udp.checksum(), "RFC 768: a computed zero is transmitted as all ones");
        assertTrue(udp.verifyChecksum(pseudo));
        assertFalse(udp.checksumOmitted());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "7 bytes,                     7, 16, TRUNCATED",
        "length field 7,              16, 7, BAD_LENGTH",
        "length field 0,              16, 0, BAD_LENGTH",
        "length field beyond payload, 16, 17, BAD_LENGTH",
        "length field 8,              16, 8, VALID",
        "shorter length field,        16, 12, VALID",
    })
    void impossibleLengths(String what, int wrapped, int lengthField, WireCheck expected) {
        ByteBuffer b = ByteBuffer.allocate(16).put(0, WireFixtures.bytes(WireFixtures.IPV4_UDP), 20, 16);
        b.putShort(4, (short) lengthField);
        assertEquals(expected, udp.wrap(b, 0, wrapped).check(), what);
        if (expected.valid()) {
            assertEquals(lengthField - 8, udp.payloadLength());
        }
    }

    @Test
    void natRewritesKeepTheChecksumValid() {
        Random random = new Random(768);
        for (int i = 0; i < 500; i++) {
            ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV4_UDP);
            udpOf(b);
            int newSrc = random.nextInt();
            int oldSrc = ip.srcAddr();
            ip.setSrcAddrWithChecksumUpdate(newSrc);
            udp.updateChecksumForAddressChange(oldSrc, newSrc);
            udp.setSrcPortWithChecksumUpdate(random.nextInt(65536));
            udp.setDstPortWithChecksumUpdate(random.nextInt(65536));
            assertTrue(ip.verifyChecksum());
            assertTrue(udp.verifyChecksum(ip.pseudoHeaderSum(IpProtocol.UDP, udp.udpLength())), "round " + i);
            assertTrue(udp.checksum() != 0);
        }
        for (int i = 0; i < 500; i++) {
            ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV6_UDP);
            ip6.wrap(b);
            udp.wrap(b, 40, 16);
            long hi = random.nextLong();
            long lo = random.nextLong();
            udp.updateChecksumForAddressChange(ip6.dstHigh(), ip6.dstLow(), hi, lo);
            ip6.setDstAddr(hi, lo);
            assertTrue(udp.verifyChecksum(ip6.pseudoHeaderSum(IpProtocol.UDP, 16)), "round " + i);
        }
    }

    @Test
    void programmerErrors() {
        UdpRepr repr = new UdpRepr(1, 2);
        assertThrows(IllegalArgumentException.class, () -> repr.emit(udp.wrap(ByteBuffer.allocate(7))));
        assertThrows(IllegalArgumentException.class, () -> repr.emit(udp.wrap(ByteBuffer.allocate(8)), 65528));
        assertThrows(IllegalArgumentException.class, () -> new UdpRepr(65536, 1));
    }
}
