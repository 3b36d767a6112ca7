package layer45.mnet.iface;

import static layer45.mnet.testing.Packets.bytes;
import static layer45.mnet.testing.Packets.ipv4;
import static layer45.mnet.testing.Packets.ipv4Echo;
import static layer45.mnet.testing.Packets.ipv4Fragment;
import static layer45.mnet.testing.Packets.ipv4Fragments;
import static layer45.mnet.testing.Packets.ipv4Header;
import static layer45.mnet.testing.Packets.ipv4Udp;
import static layer45.mnet.testing.Packets.slice;
import static layer45.mnet.testing.Packets.udp;
import static layer45.mnet.testing.Packets.v4;
import static layer45.mnet.testing.SingleStack.counts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.socket.udp.UdpSocket;
import layer45.mnet.testing.Packets;
import layer45.mnet.testing.SentPacket;
import layer45.mnet.testing.SingleStack;
import layer45.mnet.testing.SingleStack.Exchange;
import layer45.mnet.wire.Icmpv4Repr;
import layer45.mnet.wire.Icmpv4Type;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv4Repr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IPv4 layer of one stack, driven packet by packet from the far end of its link: what it answers, what it
 * drops, and which counters say so.
 */
class Ipv4LayerTest {

    private static final String OWN = "10.0.0.1";
    private static final String PEER = "10.0.0.2";
    private static final String FOREIGN = "198.51.100.7";
    /** The most of a datagram an ICMP error quotes: 576 bytes less its own IP and ICMP headers (RFC 1812). */
    private static final int MAX_QUOTE = 576 - 20 - 8;

    private static final String[] UDP_DELIVERED = { "interface/received", "ipv4/received", "ipv4/delivered",
        "udp/flows-opened", "udp/datagrams-received" };

    private final SingleStack stack = SingleStack.builder().build();
    private final SingleStack proxy = SingleStack.builder().terminateForeign().build();
    private final List<byte[]> received = new ArrayList<>();

    private static String[] plus(String[] base, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more))
                .toArray(String[]::new);
    }

    private void bindRecorder(SingleStack on, int port) {
        on.udp().bind(null, 0, 0, true, port, (socket, flow, payload) -> {
            byte[] copy = new byte[payload.remaining()];
            payload.get(payload.position(), copy);
            received.add(copy);
        });
    }

    private static void bindEcho(SingleStack on, int port) {
        on.udp().bind(null, 0, 0, true, port, (socket, flow, payload) -> flow.send(payload));
    }

    @Test
    void packetWithBadHeaderChecksumIsDroppedAndCounted() {
        bindRecorder(stack, 7);
        byte[] packet = ipv4Udp(PEER, OWN, 40000, 7, bytes(16, 1));
        packet[10] ^= 0x01;

        Exchange out = stack.send4(packet);

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/bad-checksum"), out.moved());
        assertEquals(List.of(), received);
    }

    @ParameterizedTest(name = "source {0}")
    @ValueSource(strings = { "0.0.0.0", "0.1.2.3", "127.0.0.1", "127.255.0.9", "224.0.0.1", "239.1.2.3",
        "255.255.255.255", "240.0.0.1", "250.1.2.3" })
    void packetFromMartianSourceIsDroppedWithoutAnswer(String source) {
        // To a closed port: were the source taken for a host, the stack would answer port unreachable.
        Exchange out = stack.send4(ipv4Udp(source, OWN, 40000, 9, bytes(8, 2)));

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/martian-source"), out.moved());
    }

    @ParameterizedTest(name = "destination {0}")
    @ValueSource(strings = { "255.255.255.255", "224.0.0.1", "224.0.0.251", "239.255.255.250", "10.0.0.255" })
    void packetToBroadcastOrMulticastIsIgnoredEvenByATransparentProxy(String destination) {
        Exchange out = proxy.send4(ipv4Udp(PEER, destination, 40000, 5353, bytes(8, 3)));

        assertEquals(List.of(), out.sent(), "no relay, no ICMP error about a broadcast (RFC 1122, 3.2.2)");
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/broadcast-ignored"), out.moved());
    }

    @ParameterizedTest(name = "destination {0}")
    @ValueSource(strings = { "127.0.0.1", "127.1.2.3", "0.0.0.0", "0.1.2.3" })
    void packetToLoopbackOrThisNetworkIsDroppedAsMartianAndNeverTerminated(String destination) {
        proxy.udp().forwarder(flow -> {
            throw new AssertionError("a relay was asked to carry a flow to " + flow.stackEndpoint());
        });

        Exchange out = proxy.send4(ipv4Udp(PEER, destination, 40000, 22, bytes(8, 3)));

        assertEquals(List.of(), out.sent(), "such addresses never appear on a link (RFC 1122, 3.2.1.3)");
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/martian-destination"), out.moved());
    }

    @Test
    void packetToForeignAddressIsNotForUsWhenForeignDestinationsAreNotTerminated() {
        Exchange udp = stack.send4(ipv4Udp(PEER, FOREIGN, 40000, 53, bytes(8, 4)));
        Exchange echo = stack.send4(ipv4Echo(PEER, FOREIGN, 1, 1, bytes(8, 5)));

        assertEquals(List.of(), udp.sent());
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/not-for-us"), udp.moved());
        assertEquals(List.of(), echo.sent());
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/not-for-us"), echo.moved());
    }

    @ParameterizedTest(name = "TTL {0}, {1} payload bytes")
    @CsvSource({ "1, 8", "0, 8", "1, 1000" })
    void foreignPacketWhoseTtlRunsOutIsAnsweredWithTimeExceededFromOwnAddress(int ttl, int payloadLength) {
        byte[] datagram = udp(v4(PEER), v4(FOREIGN), 40000, 53, bytes(payloadLength, 6));
        byte[] packet = ipv4(Packets.withTtl(ipv4Header(PEER, FOREIGN, IpProtocol.UDP, datagram.length), ttl),
                datagram);

        Exchange out = proxy.send4(packet);

        SentPacket error = out.only();
        Ipv4Repr ip = error.ipv4();
        assertEquals(v4(OWN), ip.src(), "a router's error comes from the router");
        assertEquals(v4(PEER), ip.dst());
        SentPacket.Icmp icmp = error.icmpv4();
        assertEquals(Icmpv4Type.TIME_EXCEEDED, icmp.type());
        assertEquals(Icmpv4Type.TTL_EXCEEDED, icmp.code());
        assertEquals(0, icmp.restOfHeader());
        assertArrayEquals(slice(packet, 0, Math.min(packet.length, MAX_QUOTE)), icmp.data(),
                "the header and as much of the datagram as fits in 576 bytes");
        assertTrue(icmp.data().length >= 20 + 8, "at least the header and 8 bytes");
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/ttl-expired", "icmpv4/error-sent",
                "ipv4/sent"), out.moved());
    }

    @Test
    void packetWithOptionsIsDeliveredAndQuotedWithItsOptions() {
        bindRecorder(stack, 7);
        // Router Alert (RFC 2113), then NOP padding and End of Options.
        byte[] options = { (byte) 0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00 };
        byte[] open = udp(v4(PEER), v4(OWN), 40000, 7, bytes(12, 7));
        byte[] closed = udp(v4(PEER), v4(OWN), 40000, 8, bytes(12, 7));
        byte[] toOpen = ipv4(Packets.withOptions(ipv4Header(PEER, OWN, IpProtocol.UDP, open.length), options), open);
        byte[] toClosed = ipv4(Packets.withOptions(ipv4Header(PEER, OWN, IpProtocol.UDP, closed.length), options),
                closed);

        Exchange delivered = stack.send4(toOpen);
        Exchange refused = stack.send4(toClosed);

        assertEquals(List.of(), delivered.sent());
        assertEquals(1, received.size());
        assertArrayEquals(bytes(12, 7), received.getFirst());
        assertEquals(counts(plus(UDP_DELIVERED, "udp/bytes-received=12")), delivered.moved());
        SentPacket.Icmp icmp = refused.only().icmpv4();
        assertEquals(Icmpv4Type.PORT_UNREACHABLE, icmp.code());
        assertArrayEquals(toClosed, icmp.data(), "the 28-byte header with its options, then the datagram");
    }

    @Test
    void unknownProtocolToOwnAddressIsAnsweredWithProtocolUnreachable() {
        byte[] packet = ipv4(PEER, OWN, 253, bytes(30, 8));

        Exchange out = stack.send4(packet);

        SentPacket error = out.only();
        assertEquals(v4(OWN), error.ipv4().src());
        assertEquals(v4(PEER), error.ipv4().dst());
        SentPacket.Icmp icmp = error.icmpv4();
        assertEquals(Icmpv4Type.DEST_UNREACHABLE, icmp.type());
        assertEquals(Icmpv4Type.PROTOCOL_UNREACHABLE, icmp.code());
        assertArrayEquals(packet, icmp.data());
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/delivered", "ipv4/unknown-protocol",
                "icmpv4/error-sent", "ipv4/sent"), out.moved());
    }

    @Test
    void unknownProtocolToForeignAddressIsDroppedSilently() {
        Exchange out = proxy.send4(ipv4(PEER, FOREIGN, 253, bytes(30, 8)));

        assertEquals(List.of(), out.sent(), "only the destination itself may say protocol unreachable");
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/delivered", "ipv4/unknown-protocol"),
                out.moved());
    }

    @ParameterizedTest(name = "{0} payload bytes")
    @ValueSource(ints = { 0, 8, 100, 1400 })
    void udpToClosedOwnPortIsAnsweredWithPortUnreachableQuotingTheDatagram(int payloadLength) {
        byte[] packet = ipv4Udp(PEER, OWN, 40000, 9, bytes(payloadLength, 9));

        Exchange out = stack.send4(packet);

        SentPacket error = out.only();
        Ipv4Repr ip = error.ipv4();
        assertEquals(v4(OWN), ip.src());
        assertEquals(v4(PEER), ip.dst());
        assertEquals(IpProtocol.ICMP, ip.protocol());
        assertEquals(64, ip.ttl());
        SentPacket.Icmp icmp = error.icmpv4();
        assertEquals(Icmpv4Type.DEST_UNREACHABLE, icmp.type());
        assertEquals(Icmpv4Type.PORT_UNREACHABLE, icmp.code());
        assertEquals(0, icmp.restOfHeader());
        assertArrayEquals(slice(packet, 0, Math.min(packet.length, MAX_QUOTE)), icmp.data());
        assertTrue(error.bytes().length <= 576);
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/delivered", "udp/no-listener",
                "ipv4/port-unreachable", "icmpv4/error-sent", "ipv4/sent"), out.moved());
    }

    @Test
    void udpToForeignAddressWithoutRelayIsAnsweredWithHostUnreachable() {
        byte[] packet = ipv4Udp(PEER, FOREIGN, 40000, 53, bytes(20, 10));

        Exchange out = proxy.send4(packet);

        SentPacket error = out.only();
        // As Linux's REJECT answers for a transparently proxied destination: from the address the packet was for.
        assertEquals(v4(FOREIGN), error.ipv4().src());
        assertEquals(v4(PEER), error.ipv4().dst());
        SentPacket.Icmp icmp = error.icmpv4();
        assertEquals(Icmpv4Type.DEST_UNREACHABLE, icmp.type());
        assertEquals(Icmpv4Type.HOST_UNREACHABLE, icmp.code());
        assertArrayEquals(packet, icmp.data());
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/delivered", "udp/no-relay",
                "ipv4/host-unreachable", "icmpv4/error-sent", "ipv4/sent"), out.moved());
    }

    @Test
    void noIcmpErrorIsSentAboutAnIcmpError() {
        byte[] quoted = slice(ipv4Udp(OWN, PEER, 9, 40000, bytes(8, 11)), 0, 28);
        byte[] unreachable = Packets.icmpv4Unreachable(Icmpv4Type.PORT_UNREACHABLE, quoted);
        byte[] expiring = ipv4(Packets.withTtl(ipv4Header(PEER, FOREIGN, IpProtocol.ICMP, unreachable.length), 1),
                unreachable);

        Exchange out = proxy.send4(expiring);

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/ttl-expired", "icmpv4/error-suppressed"),
                out.moved());
    }

    @Test
    void anIcmpQueryWhoseTtlRunsOutIsStillAnswered() {
        byte[] echo = Packets.icmpv4Echo(1, 2, bytes(8, 12));
        Exchange out = proxy.send4(ipv4(Packets.withTtl(ipv4Header(PEER, FOREIGN, IpProtocol.ICMP, echo.length), 1),
                echo));

        assertEquals(Icmpv4Type.TIME_EXCEEDED, out.only().icmpv4().type());
    }

    @Test
    void noIcmpErrorIsSentAboutANonFirstFragment() {
        byte[] later = ipv4(new Ipv4Repr(v4(PEER), v4(FOREIGN), IpProtocol.UDP, 16, 1, 0, 77, false, true, 1480,
                null), bytes(16, 13));

        Exchange out = proxy.send4(later);

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/ttl-expired"), out.moved());
    }

    @Test
    void icmpErrorsAreRateLimitedAndTheBucketRefillsWithTime() {
        SingleStack limited = SingleStack.builder().icmpErrors(10, 3).build();
        List<byte[]> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            burst.add(ipv4Udp(PEER, OWN, 40000 + i, 9, bytes(8, i)));
        }

        Exchange first = limited.exchange(LinkProtocol.IPV4, burst);
        assertEquals(3, first.sent().size(), "the burst");
        assertEquals(2L, first.moved().get("icmpv4/error-rate-limited"));

        limited.clock().advance(99, java.util.concurrent.TimeUnit.MILLISECONDS);
        assertEquals(0, limited.exchange(LinkProtocol.IPV4, burst.subList(0, 1)).sent().size(),
                "a token takes 100 ms at 10 per second");
        limited.clock().advance(1, java.util.concurrent.TimeUnit.MILLISECONDS);
        assertEquals(1, limited.exchange(LinkProtocol.IPV4, burst).sent().size(), "one token after 100 ms");

        limited.clock().advance(10, java.util.concurrent.TimeUnit.SECONDS);
        Exchange refilled = limited.exchange(LinkProtocol.IPV4, burst);
        assertEquals(3, refilled.sent().size(), "a long pause refills the burst, no more");
        assertEquals(counts("interface/received=5", "ipv4/received=5", "ipv4/delivered=5", "udp/no-listener=5",
                "ipv4/port-unreachable=5", "icmpv4/error-sent=3", "icmpv4/error-rate-limited=2", "ipv4/sent=3"),
                refilled.moved());
    }

    @ParameterizedTest(name = "{0} data bytes")
    @ValueSource(ints = { 0, 1, 56, 1472 })
    void echoRequestToOwnAddressIsAnsweredByteForByte(int dataLength) {
        byte[] data = bytes(dataLength, 14);

        Exchange out = stack.send4(ipv4Echo(PEER, OWN, 0xBEEF, 0x0102, data));

        SentPacket reply = out.only();
        Ipv4Repr ip = reply.ipv4();
        assertEquals(v4(OWN), ip.src());
        assertEquals(v4(PEER), ip.dst());
        assertEquals(IpProtocol.ICMP, ip.protocol());
        assertFalse(ip.moreFragments());
        byte[] expected = Packets.icmpv4(new Icmpv4Repr.EchoReply(0xBEEF, 0x0102, dataLength), data);
        assertArrayEquals(expected, reply.ipPayload(), "type 0, same identifier, sequence and data");
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/delivered", "icmpv4/echo-answered",
                "ipv4/sent"), out.moved());
    }

    @Test
    void echoRequestToForeignAddressIsNotAnswered() {
        Exchange out = proxy.send4(ipv4Echo(PEER, FOREIGN, 1, 1, bytes(8, 15)));

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/delivered", "icmpv4/echo-not-for-us"),
                out.moved());
    }

    @ParameterizedTest(name = "MTU {0}, {1} data bytes in fragments of {2}")
    @CsvSource({ "1500, 3000, 1024", "1280, 4000, 504", "1500, 65507, 1480" })
    void fragmentedEchoRequestIsReassembledAndTheReplyFragmentedToTheMtu(int mtu, int dataLength, int piece) {
        SingleStack small = SingleStack.builder().mtu(mtu).build();
        byte[] data = bytes(dataLength, 16);
        byte[] request = Packets.icmpv4Echo(7, 9, data);

        Exchange out = small.exchange(LinkProtocol.IPV4, ipv4Fragments(PEER, OWN, IpProtocol.ICMP, 0x1111, request,
                piece));

        byte[] reply = reassemble(out.sent(), mtu);
        assertArrayEquals(Packets.icmpv4(new Icmpv4Repr.EchoReply(7, 9, dataLength), data), reply);
        assertEquals(1L, out.moved().get("icmpv4/echo-answered"));
        assertEquals(1L, out.moved().get("reassembly-ipv4/datagram-reassembled"));
        assertEquals(1L, out.moved().get("ipv4/fragmented"));
        assertEquals((long) out.sent().size(), out.moved().get("ipv4/sent"));
    }

    @Test
    void fragmentedUdpIsReassembledAndTheLargeReplyFragmented() {
        bindEcho(stack, 7);
        byte[] payload = bytes(5000, 17);
        byte[] datagram = udp(v4(PEER), v4(OWN), 40000, 7, payload);

        Exchange out = stack.exchange(LinkProtocol.IPV4, ipv4Fragments(PEER, OWN, IpProtocol.UDP, 0x2222, datagram,
                1480));

        byte[] reply = reassemble(out.sent(), 1500);
        assertArrayEquals(udp(v4(OWN), v4(PEER), 7, 40000, payload), reply, "the echo, checksum included");
        assertEquals(4, out.sent().size(), "5008 bytes in pieces of 1480");
    }

    @Test
    void fragmentsArrivingInReverseOrderAreReassembled() {
        bindRecorder(stack, 7);
        byte[] datagram = udp(v4(PEER), v4(OWN), 40000, 7, bytes(3000, 18));
        List<byte[]> fragments = new ArrayList<>(ipv4Fragments(PEER, OWN, IpProtocol.UDP, 0x2323, datagram, 1000));
        java.util.Collections.reverse(fragments);

        stack.exchange(LinkProtocol.IPV4, fragments);

        assertEquals(1, received.size());
        assertArrayEquals(bytes(3000, 18), received.getFirst());
    }

    @Test
    void reassemblyTimeoutIsAnsweredWithTimeExceededOnlyWhenTheFirstFragmentCame() {
        bindRecorder(stack, 7);
        byte[] datagram = udp(v4(PEER), v4(OWN), 40000, 7, bytes(3000, 19));
        List<byte[]> fragments = ipv4Fragments(PEER, OWN, IpProtocol.UDP, 0x3333, datagram, 1480);
        List<byte[]> withoutFirst = ipv4Fragments(PEER, OWN, IpProtocol.UDP, 0x3334, datagram, 1480).subList(1, 3);

        assertEquals(List.of(), stack.exchange(LinkProtocol.IPV4, fragments.getFirst()).sent());
        assertEquals(List.of(), stack.exchange(LinkProtocol.IPV4, withoutFirst).sent());
        assertEquals(List.of(), stack.advance(Duration.ofMillis(29_999)).sent(), "not before 30 s");
        Exchange expired = stack.advance(Duration.ofMillis(1));

        SentPacket error = expired.only();
        assertEquals(v4(OWN), error.ipv4().src());
        assertEquals(v4(PEER), error.ipv4().dst());
        SentPacket.Icmp icmp = error.icmpv4();
        assertEquals(Icmpv4Type.TIME_EXCEEDED, icmp.type());
        assertEquals(Icmpv4Type.REASSEMBLY_TIME_EXCEEDED, icmp.code());
        assertArrayEquals(slice(fragments.getFirst(), 0, MAX_QUOTE), icmp.data(), "the first fragment, as received");
        assertEquals(counts("reassembly-ipv4/timed-out=2", "icmpv4/error-sent", "ipv4/sent"), expired.moved());
        assertEquals(List.of(), received);
    }

    @Test
    void overlappingFragmentsDiscardTheDatagram() {
        bindRecorder(stack, 7);
        byte[] datagram = udp(v4(PEER), v4(OWN), 40000, 7, bytes(24, 20));

        Exchange out = stack.exchange(LinkProtocol.IPV4,
                ipv4Fragment(PEER, OWN, IpProtocol.UDP, 0x4444, 0, true, slice(datagram, 0, 16)),
                ipv4Fragment(PEER, OWN, IpProtocol.UDP, 0x4444, 8, true, slice(datagram, 8, 16)),
                ipv4Fragment(PEER, OWN, IpProtocol.UDP, 0x4444, 24, false, slice(datagram, 24, 8)));

        assertEquals(List.of(), out.sent());
        assertEquals(List.of(), received);
        assertEquals(1L, out.moved().get("reassembly-ipv4/overlap"));
        assertEquals(null, out.moved().get("reassembly-ipv4/datagram-reassembled"));
        assertEquals(null, out.moved().get("ipv4/delivered"));
    }

    @ParameterizedTest(name = "{0} data bytes")
    @CsvSource({ "65507, true", "65508, false" })
    void aDatagramLargerThanIpv4CanCarryIsCountedAndNotSent(int dataLength, boolean fits) {
        boolean[] sent = new boolean[1];
        Exchange out = stack.observe(() -> sent[0] = stack.iface().ipv4().ping(v4(PEER), 1, 1,
                ByteBuffer.wrap(bytes(dataLength, 21))));

        assertEquals(fits, sent[0]);
        if (fits) {
            assertEquals(45, out.sent().size(), "65535 bytes in pieces of 1480");
            assertEquals(45L, out.moved().get("ipv4/sent"));
        } else {
            assertEquals(List.of(), out.sent());
            assertEquals(counts("ipv4/too-large-to-send"), out.moved());
        }
    }

    @Test
    void aUdpDatagramLargerThanIpv4CanCarryIsCountedAsSendFailed() {
        UdpSocket socket = stack.udp().bind(null, 0, 0, true, 5000, (s, flow, payload) -> { });

        Exchange out = stack.observe(() -> assertFalse(socket.sendTo(stack.iface().ipv4(), 0,
                v4(PEER).bits() & 0xFFFF_FFFFL, 7, ByteBuffer.allocate(65508))));

        assertEquals(List.of(), out.sent());
        assertEquals(counts("udp/flows-opened", "udp/send-failed", "ipv4/too-large-to-send"), out.moved());
    }

    /**
     * Checks each fragment as a receiving kernel would (valid header, within the MTU, DF clear, offsets multiples
     * of 8, one identification, More Fragments on all but the last) and puts the datagram back together.
     */
    static byte[] reassemble(List<SentPacket> fragments, int mtu) {
        assertTrue(fragments.size() > 1, "expected fragments, got " + fragments);
        ByteBuffer whole = ByteBuffer.allocate(65535);
        int ident = fragments.getFirst().ipv4().ident();
        int expectedOffset = 0;
        for (int i = 0; i < fragments.size(); i++) {
            SentPacket fragment = fragments.get(i);
            Ipv4Repr ip = fragment.ipv4();
            assertTrue(fragment.bytes().length <= mtu, "fragment " + i + " within the MTU");
            assertFalse(ip.dontFragment(), "DF clear on a fragmented datagram");
            assertEquals(ident, ip.ident(), "one identification for all fragments");
            assertEquals(0, ip.fragmentOffset() % 8);
            assertEquals(expectedOffset, ip.fragmentOffset(), "fragment " + i + " in order, no gap");
            assertEquals(i < fragments.size() - 1, ip.moreFragments(), "More Fragments on all but the last");
            if (i < fragments.size() - 1) {
                assertEquals(0, ip.payloadLength() % 8);
            }
            whole.put(ip.fragmentOffset(), fragment.ipPayload());
            expectedOffset += ip.payloadLength();
        }
        return slice(whole.array(), 0, expectedOffset);
    }
}
