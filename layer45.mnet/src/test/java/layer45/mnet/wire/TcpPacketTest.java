package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TcpPacketTest {

    private static final TcpRepr SYN = new TcpRepr(54321, 80, 0x12345678, 0, TcpPacket.SYN, 64240, 0, 1460, 7, true,
            List.of(), new TcpRepr.Timestamps(0x01020304, 0), 0);

    private final Ipv4Packet ip = new Ipv4Packet();
    private final Ipv6Packet ip6 = new Ipv6Packet();
    private final TcpPacket tcp = new TcpPacket();
    private final TcpOptions options = new TcpOptions();

    private TcpPacket tcpOf(ByteBuffer b) {
        assertEquals(WireCheck.VALID, ip.wrap(b).check());
        tcp.wrap(b, ip.payloadOffset(), ip.payloadLength());
        assertEquals(WireCheck.VALID, tcp.check());
        return tcp;
    }

    @Test
    void deconstructSyn() {
        tcpOf(WireFixtures.buffer(WireFixtures.IPV4_TCP_SYN));
        assertEquals(54321, tcp.srcPort());
        assertEquals(80, tcp.dstPort());
        assertEquals(0x12345678, tcp.seqNumber());
        assertEquals(0, tcp.ackNumber());
        assertEquals(10, tcp.dataOffset());
        assertEquals(40, tcp.headerLength());
        assertEquals(TcpPacket.SYN, tcp.flags());
        assertTrue(tcp.syn());
        assertFalse(tcp.ack() || tcp.fin() || tcp.rst() || tcp.psh() || tcp.urg() || tcp.ece() || tcp.cwr());
        assertEquals(64240, tcp.window());
        assertEquals(0xCBFF, tcp.checksum());
        assertEquals(0, tcp.urgentPointer());
        assertEquals(20, tcp.optionsLength());
        assertEquals(0, tcp.payloadLength());
        assertTrue(tcp.verifyChecksum(ip.pseudoHeaderSum(IpProtocol.TCP, tcp.length())));
        options.parse(tcp);
        assertEquals(1460, options.mss());
        assertEquals(7, options.windowScale());
        assertTrue(options.sackPermitted());
        assertTrue(options.hasTimestamps());
        assertEquals(0x01020304, options.tsVal());
        assertEquals(0, options.tsEcr());
        assertEquals(0, options.sackBlockCount());
        assertEquals("TCP 54321 > 80 [S] seq 305419896 ack 0 win 64240 len 0", tcp.toString());
    }

    @Test
    void deconstructDataAndSack() {
        tcpOf(WireFixtures.buffer(WireFixtures.IPV4_TCP_DATA));
        assertTrue(tcp.psh() && tcp.ack());
        assertEquals(0xA0B0C0D1, tcp.ackNumber());
        assertEquals(32, tcp.headerLength());
        assertEquals(18, tcp.payloadLength());
        assertEquals(52, tcp.payloadOffset());
        assertTrue(tcp.verifyChecksum(ip.pseudoHeaderSum(IpProtocol.TCP, tcp.length())));
        options.parse(tcp);
        assertEquals(-1, options.mss());
        assertEquals(-1, options.windowScale());
        assertFalse(options.sackPermitted());
        assertEquals(0x01020404, options.tsVal());
        assertEquals(0x55667788, options.tsEcr());

        tcpOf(WireFixtures.buffer(WireFixtures.IPV4_TCP_SACK));
        options.parse(tcp);
        assertFalse(options.hasTimestamps());
        assertEquals(2, options.sackBlockCount());
        assertEquals(0x1234A000, options.sackLeft(0));
        assertEquals(0x1234B000, options.sackRight(0));
        assertEquals(0x1234C000, options.sackLeft(1));
        assertEquals(0x1234D000, options.sackRight(1));
        assertThrows(IndexOutOfBoundsException.class, () -> options.sackLeft(2));
        assertTrue(tcp.verifyChecksum(ip.pseudoHeaderSum(IpProtocol.TCP, tcp.length())));
    }

    @Test
    void deconstructOverIpv6() {
        ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV6_TCP_SYN);
        assertEquals(WireCheck.VALID, ip6.wrap(b).check());
        assertEquals(WireCheck.VALID, tcp.wrap(b, 40, ip6.payloadLength()).check());
        assertEquals(0xCAFEBABE, tcp.seqNumber());
        assertTrue(tcp.verifyChecksum(ip6.pseudoHeaderSum(IpProtocol.TCP, tcp.length())));
        assertEquals(1440, options.parse(tcp).mss());
        assertEquals(9, options.windowScale());
    }

    @Test
    void construct() {
        byte[] fixture = WireFixtures.bytes(WireFixtures.IPV4_TCP_SYN);
        ByteBuffer b = ByteBuffer.allocate(fixture.length).put(0, fixture, 0, 20);
        tcp.wrap(b, 20, 40);
        tcp.setSrcPort(54321);
        tcp.setDstPort(80);
        tcp.setSeqNumber(0x12345678);
        tcp.setAckNumber(0);
        tcp.setHeaderLength(40);
        tcp.setFlags(0);
        tcp.setSyn(true);
        tcp.setWindow(64240);
        tcp.setUrgentPointer(0);
        int written = TcpOptions.write(b, tcp.optionsOffset(), 1460, 7, true, new int[0], 0, true, 0x01020304, 0);
        assertEquals(20, written);
        tcp.fillChecksum(ip.wrap(b).pseudoHeaderSum(IpProtocol.TCP, 40));
        assertEquals(WireFixtures.IPV4_TCP_SYN, WireFixtures.hex(b));
    }

    @Test
    void parse() {
        assertEquals(SYN, TcpRepr.parse(tcpOf(WireFixtures.buffer(WireFixtures.IPV4_TCP_SYN))));
        assertEquals(new TcpRepr(80, 54321, 0xA0B0C0D1, 0x1234568B, TcpPacket.ACK, 509, 0, -1, -1, false,
                List.of(new TcpRepr.SackBlock(0x1234A000, 0x1234B000), new TcpRepr.SackBlock(0x1234C000, 0x1234D000)),
                null, 0), TcpRepr.parse(tcpOf(WireFixtures.buffer(WireFixtures.IPV4_TCP_SACK))));
        TcpRepr rst = TcpRepr.parse(tcpOf(WireFixtures.buffer(WireFixtures.IPV4_TCP_RST)));
        assertEquals(TcpRepr.of(80, 54321, 0, 0x12345679, TcpPacket.RST | TcpPacket.ACK, 0, 0), rst);
        assertEquals(1, SYN.segmentLength());
    }

    @ParameterizedTest
    @CsvSource({"IPV4_TCP_SYN", "IPV4_TCP_DATA", "IPV4_TCP_SACK", "IPV4_TCP_RST"})
    void emitIntoAStaleBufferGivesTheFixture(String name) throws Exception {
        String hex = (String) WireFixtures.class.getDeclaredField(name).get(null);
        byte[] fixture = WireFixtures.bytes(hex);
        TcpRepr repr = TcpRepr.parse(tcpOf(ByteBuffer.wrap(fixture)));
        ByteBuffer b = ByteBuffer.allocate(fixture.length).put(0, fixture, 0, 20);
        Arrays.fill(b.array(), 20, fixture.length, (byte) 0xEE);
        repr.emit(tcp.wrap(b, 20, repr.bufferLength()));
        b.put(tcp.payloadOffset(), fixture, 20 + repr.headerLength(), repr.payloadLength());
        tcp.fillChecksum(ip.wrap(b).pseudoHeaderSum(IpProtocol.TCP, repr.bufferLength()));
        assertEquals(hex, WireFixtures.hex(b));
    }

    @Test
    void emitIpv6SynGivesTheFixture() {
        byte[] fixture = WireFixtures.bytes(WireFixtures.IPV6_TCP_SYN);
        ip6.wrap(ByteBuffer.wrap(fixture));
        TcpRepr repr = TcpRepr.parse(tcp.wrap(ByteBuffer.wrap(fixture), 40, 40));
        ByteBuffer b = ByteBuffer.allocate(fixture.length).put(0, fixture, 0, 40);
        repr.emit(tcp.wrap(b, 40, 40));
        tcp.fillChecksum(ip6.wrap(b).pseudoHeaderSum(IpProtocol.TCP, 40));
        assertEquals(WireFixtures.IPV6_TCP_SYN, WireFixtures.hex(b));
    }

    @ParameterizedTest(name = "options {0} -> {1}")
    @CsvSource({
        "020405b4, VALID",
        "020305b4, BAD_OPTIONS", // MSS must be 4 bytes
        "020505b400000000, BAD_OPTIONS",
        "03030700, VALID",
        "03040700, BAD_OPTIONS", // window scale must be 3
        "04020000, VALID",
        "04030000, BAD_OPTIONS", // SACK permitted must be 2
        "0101050a1111111122222222, VALID", // SACK, one block
        "0101050b111111112222222200000000, BAD_OPTIONS",
        "0101050c111111112222222200000000, BAD_OPTIONS",
        "0101050200000000, BAD_OPTIONS", // SACK without blocks
        "01010522" + "0000000000000000000000000000000000000000000000000000000000000000, VALID", // four blocks
        "080a00000001000000020000, VALID",
        "080900000001000000020000, BAD_OPTIONS", // timestamps must be 10
        "fe04abcd, VALID", // unknown kind, skipped by its length
        "fe01abcd, BAD_OPTIONS", // length below 2
        "fe00abcd, BAD_OPTIONS",
        "fe08abcd, BAD_OPTIONS", // past the header
        "010101fe, BAD_OPTIONS", // no room for the length
        "00ffffff, VALID", // after End of Option List the rest is padding
        "01010101, VALID",
    })
    void optionsOfEachKind(String hex, WireCheck expected) {
        byte[] opts = HexFormat.of().parseHex(hex);
        ByteBuffer b = ByteBuffer.allocate(20 + opts.length);
        TcpRepr.of(1, 2, 3, 4, TcpPacket.ACK, 5, 0).emit(tcp.wrap(b));
        tcp.setHeaderLength(20 + opts.length);
        b.put(20, opts);
        assertEquals(expected, tcp.check());
        if (expected.valid()) {
            options.parse(tcp); // never throws after VALID
        }
    }

    @Test
    void duplicateOptionsTheLastCounts() {
        ByteBuffer b = ByteBuffer.allocate(32);
        TcpRepr.of(1, 2, 3, 4, TcpPacket.SYN, 5, 0).emit(tcp.wrap(b));
        tcp.setHeaderLength(32);
        b.put(20, HexFormat.of().parseHex("020405b4020401f403030200"));
        assertEquals(WireCheck.VALID, tcp.check());
        assertEquals(500, options.parse(tcp).mss());
        assertEquals(2, options.windowScale());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "19 bytes,                19, 0x50, TRUNCATED",
        "data offset 4,           20, 0x40, BAD_DATA_OFFSET",
        "data offset 0,           20, 0x00, BAD_DATA_OFFSET",
        "data offset 6 in 20,     20, 0x60, BAD_DATA_OFFSET",
        "data offset 15 in 60,    60, 0xf0, VALID",
        "reserved bits ignored,   20, 0x5f, VALID",
    })
    void impossibleLengths(String what, int wrapped, int dataOffsetByte, WireCheck expected) {
        ByteBuffer b = ByteBuffer.allocate(60).put(0, WireFixtures.bytes(WireFixtures.IPV4_TCP_RST), 20, 20);
        b.put(12, (byte) dataOffsetByte);
        assertEquals(expected, tcp.wrap(b, 0, wrapped).check(), what);
    }

    @Test
    void optionsTooLongForAlignedEncodingArePacked() {
        // MSS + timestamps + 3 SACK blocks: 40 bytes packed, 44 aligned.
        TcpRepr repr = new TcpRepr(1, 2, 3, 4, TcpPacket.ACK, 5, 0, 1400, -1, false,
                List.of(new TcpRepr.SackBlock(1, 2), new TcpRepr.SackBlock(3, 4), new TcpRepr.SackBlock(5, 6)),
                new TcpRepr.Timestamps(7, 8), 0);
        assertEquals(60, repr.headerLength());
        ByteBuffer b = ByteBuffer.allocate(60);
        repr.emit(tcp.wrap(b));
        assertEquals(WireCheck.VALID, tcp.check());
        assertEquals(repr, TcpRepr.parse(tcp));
        assertEquals(8, TcpOptions.encodedLength(-1, 7, true, 0, false));
        assertEquals(-1, TcpOptions.encodedLength(1460, 7, true, 4, true));
    }

    @Test
    void optionsThatCannotFitAreRefused() {
        List<TcpRepr.SackBlock> four = List.of(new TcpRepr.SackBlock(1, 2), new TcpRepr.SackBlock(3, 4),
                new TcpRepr.SackBlock(5, 6), new TcpRepr.SackBlock(7, 8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TcpRepr(1, 2, 3, 4, 0, 5, 0, -1, -1, false, four, new TcpRepr.Timestamps(1, 2), 0));
        assertTrue(e.getMessage().contains("send fewer SACK blocks"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TcpRepr(1, 2, 3, 4, 0, 5, 0, -1, -1, false,
                List.of(four.get(0), four.get(1), four.get(2), four.get(3), four.get(0)), null, 0));
        assertThrows(IllegalArgumentException.class, () -> TcpOptions.write(ByteBuffer.allocate(60), 0, -1, -1,
                false, new int[10], 5, false, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> tcp.wrap(ByteBuffer.allocate(60)).setHeaderLength(21));
        assertThrows(IllegalArgumentException.class, () -> SYN.emit(tcp.wrap(ByteBuffer.allocate(39))));
    }

    @Test
    void natRewritesKeepTheChecksumValid() {
        Random random = new Random(9293);
        for (int i = 0; i < 500; i++) {
            ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV4_TCP_DATA);
            tcpOf(b);
            int newDst = random.nextInt();
            int oldDst = ip.dstAddr();
            ip.setDstAddrWithChecksumUpdate(newDst);
            tcp.updateChecksumForAddressChange(oldDst, newDst);
            tcp.setDstPortWithChecksumUpdate(random.nextInt(65536));
            tcp.setSrcPortWithChecksumUpdate(random.nextInt(65536));
            assertTrue(tcp.verifyChecksum(ip.pseudoHeaderSum(IpProtocol.TCP, tcp.length())), "round " + i);
        }
        for (int i = 0; i < 200; i++) {
            ByteBuffer b = WireFixtures.buffer(WireFixtures.IPV6_TCP_SYN);
            ip6.wrap(b);
            tcp.wrap(b, 40, 40);
            long hi = random.nextLong();
            long lo = random.nextLong();
            tcp.updateChecksumForAddressChange(ip6.srcHigh(), ip6.srcLow(), hi, lo);
            ip6.setSrcAddr(hi, lo);
            assertTrue(tcp.verifyChecksum(ip6.pseudoHeaderSum(IpProtocol.TCP, 40)), "round " + i);
        }
    }

    @Test
    void flagSettersTouchOneBit() {
        tcp.wrap(ByteBuffer.allocate(20));
        tcp.setFlags(0);
        tcp.setFin(true);
        tcp.setRst(true);
        tcp.setPsh(true);
        tcp.setUrg(true);
        tcp.setEce(true);
        tcp.setCwr(true);
        tcp.setAck(true);
        tcp.setSyn(true);
        assertEquals(0xFF, tcp.flags());
        tcp.setSyn(false);
        assertEquals(0xFD, tcp.flags());
    }
}
