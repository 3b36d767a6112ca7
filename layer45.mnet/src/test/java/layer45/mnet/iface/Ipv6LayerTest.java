package layer45.mnet.iface;

import static layer45.mnet.testing.Packets.bytes;
import static layer45.mnet.testing.Packets.concat;
import static layer45.mnet.testing.Packets.fragmentHeader;
import static layer45.mnet.testing.Packets.icmpv6Echo;
import static layer45.mnet.testing.Packets.ipv6;
import static layer45.mnet.testing.Packets.ipv6Echo;
import static layer45.mnet.testing.Packets.ipv6Fragment;
import static layer45.mnet.testing.Packets.ipv6Fragments;
import static layer45.mnet.testing.Packets.ipv6Header;
import static layer45.mnet.testing.Packets.ipv6Udp;
import static layer45.mnet.testing.Packets.option;
import static layer45.mnet.testing.Packets.optionsHeader;
import static layer45.mnet.testing.Packets.slice;
import static layer45.mnet.testing.Packets.udp;
import static layer45.mnet.testing.Packets.udpNoChecksum;
import static layer45.mnet.testing.Packets.v6;
import static layer45.mnet.testing.SingleStack.counts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.socket.udp.UdpSocket;
import layer45.mnet.testing.Packets;
import layer45.mnet.testing.SentPacket;
import layer45.mnet.testing.SingleStack;
import layer45.mnet.testing.SingleStack.Exchange;
import layer45.mnet.wire.Icmpv6Repr;
import layer45.mnet.wire.Icmpv6Type;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv6Address;
import layer45.mnet.wire.Ipv6Repr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IPv6 layer of one stack, driven packet by packet from the far end of its link: what it answers, what it
 * drops, and which counters say so.
 */
class Ipv6LayerTest {

    private static final String OWN = "fd00::1";
    private static final String PEER = "fd00::2";
    private static final String FOREIGN = "2001:db8::7";
    /** The most of a packet an ICMPv6 error quotes: the minimum MTU less its own headers (RFC 4443, 2.4 (c)). */
    private static final int MAX_QUOTE = 1280 - 40 - 8;
    private static final int ROUTER_ALERT = 5;

    private final SingleStack stack = SingleStack.builder().build();
    private final SingleStack proxy = SingleStack.builder().terminateForeign().build();
    private final List<byte[]> received = new ArrayList<>();

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

    /** What the kernel on the other end of a TUN device sends when the link comes up, and other multicast. */
    static Stream<Arguments> multicastPackets() {
        Ipv6Address linkLocal = v6("fe80::2");
        Ipv6Address any = Ipv6Address.UNSPECIFIED;
        Ipv6Address routers = v6("ff02::2");
        Ipv6Address mldRouters = v6("ff02::16");
        Ipv6Address solicited = v6("ff02::1:ff00:2");
        // One MLDv2 record (RFC 3810, 5.2): CHANGE_TO_EXCLUDE ff02::fb, no sources.
        byte[] record = concat(new byte[] { 4, 0, 0, 0 }, v6("ff02::fb").toBytes());
        byte[] report = Packets.icmpv6(linkLocal, mldRouters, new Icmpv6Repr.Other(Icmpv6Type.MLDV2_REPORT, 0, 1,
                record.length), record);
        byte[] reportFromAny = Packets.icmpv6(any, mldRouters, new Icmpv6Repr.Other(Icmpv6Type.MLDV2_REPORT, 0, 1,
                record.length), record);
        byte[] hopByHop = optionsHeader(IpProtocol.ICMPV6, option(ROUTER_ALERT, new byte[2]));
        return Stream.of(
                Arguments.of("router solicitation to ff02::2",
                        ipv6(withHops(ipv6Header("fe80::2", "ff02::2", IpProtocol.ICMPV6, 8), 255),
                                Packets.icmpv6Other(linkLocal, routers, Icmpv6Type.ROUTER_SOLICIT, new byte[0]))),
                Arguments.of("MLDv2 report to ff02::16",
                        ipv6(withHops(ipv6Header("fe80::2", "ff02::16", IpProtocol.HOPOPT, 8 + report.length), 1),
                                concat(hopByHop, report))),
                Arguments.of("MLDv2 report from :: before the link-local address is ready",
                        ipv6(withHops(ipv6Header("::", "ff02::16", IpProtocol.HOPOPT, 8 + report.length), 1),
                                concat(hopByHop, reportFromAny))),
                Arguments.of("duplicate address detection from ::",
                        ipv6(withHops(ipv6Header("::", "ff02::1:ff00:2", IpProtocol.ICMPV6, 24), 255),
                                Packets.icmpv6(any, solicited, new Icmpv6Repr.Other(Icmpv6Type.NEIGHBOR_SOLICIT, 0, 0,
                                        16), v6("fd00::2").toBytes()))),
                Arguments.of("mDNS query to ff02::fb", ipv6Udp("fe80::2", "ff02::fb", 5353, 5353, bytes(20, 1))));
    }

    private static Ipv6Repr withHops(Ipv6Repr header, int hops) {
        return Packets.withHopLimit(header, hops);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("multicastPackets")
    void multicastIsIgnoredAndCountedNotMalformed(String what, byte[] packet) {
        Exchange out = proxy.send6(packet);

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/multicast-ignored"), out.moved());
    }

    @ParameterizedTest(name = "source {0}")
    @ValueSource(strings = { "ff02::1", "ff05::2", "::", "::1", "::ffff:10.0.0.2" })
    void packetFromMartianSourceIsDroppedWithoutAnswer(String source) {
        Exchange out = stack.send6(ipv6Udp(source, OWN, 40000, 9, bytes(8, 2)));

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/martian-source"), out.moved());
    }

    @ParameterizedTest(name = "destination {0}")
    @ValueSource(strings = { "::1", "::", "::ffff:127.0.0.1", "::ffff:10.0.0.9" })
    void packetToLoopbackUnspecifiedOrMappedAddressIsDroppedAndNeverTerminated(String destination) {
        proxy.udp().forwarder(flow -> {
            throw new AssertionError("a relay was asked to carry a flow to " + flow.stackEndpoint());
        });

        Exchange out = proxy.send6(ipv6Udp(PEER, destination, 40000, 22, bytes(8, 3)));

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/martian-destination"), out.moved());
    }

    @Test
    void packetToForeignAddressIsNotForUsWhenForeignDestinationsAreNotTerminated() {
        Exchange out = stack.send6(ipv6Udp(PEER, FOREIGN, 40000, 53, bytes(8, 4)));

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/not-for-us"), out.moved());
    }

    @Test
    void packetToForeignLinkLocalAddressIsNotForUsEvenForATransparentProxy() {
        Exchange out = proxy.send6(ipv6Udp("fe80::2", "fe80::99", 40000, 53, bytes(8, 4)));

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/not-for-us"), out.moved());
    }

    @ParameterizedTest(name = "hop limit {0}, {1} payload bytes")
    @CsvSource({ "1, 8", "0, 8", "1, 1400" })
    void foreignPacketWhoseHopLimitRunsOutIsAnsweredWithTimeExceededFromOwnAddress(int hops, int payloadLength) {
        byte[] datagram = udp(v6(PEER), v6(FOREIGN), 40000, 53, bytes(payloadLength, 5));
        byte[] packet = ipv6(withHops(ipv6Header(PEER, FOREIGN, IpProtocol.UDP, datagram.length), hops), datagram);

        Exchange out = proxy.send6(packet);

        SentPacket error = out.only();
        assertEquals(v6(OWN), error.ipv6().src());
        assertEquals(v6(PEER), error.ipv6().dst());
        SentPacket.Icmp icmp = error.icmpv6();
        assertEquals(Icmpv6Type.TIME_EXCEEDED, icmp.type());
        assertEquals(Icmpv6Type.HOP_LIMIT_EXCEEDED, icmp.code());
        assertArrayEquals(slice(packet, 0, Math.min(packet.length, MAX_QUOTE)), icmp.data());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/hop-limit-expired", "icmpv6/error-sent",
                "ipv6/sent"), out.moved());
    }

    @Test
    void noIcmpv6ErrorIsSentAboutAnIcmpv6Error() {
        byte[] quoted = slice(ipv6Udp(OWN, PEER, 9, 40000, bytes(8, 6)), 0, 56);
        byte[] unreachable = Packets.icmpv6Unreachable(v6(PEER), v6(FOREIGN), Icmpv6Type.PORT_UNREACHABLE, quoted);
        byte[] expiring = ipv6(withHops(ipv6Header(PEER, FOREIGN, IpProtocol.ICMPV6, unreachable.length), 1),
                unreachable);

        Exchange out = proxy.send6(expiring);

        assertEquals(List.of(), out.sent(), "RFC 4443, 2.4 (e.1)");
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/hop-limit-expired",
                "icmpv6/error-suppressed"), out.moved());
    }

    @Test
    void anEchoRequestWhoseHopLimitRunsOutIsStillAnswered() {
        byte[] echo = icmpv6Echo(v6(PEER), v6(FOREIGN), 1, 2, bytes(8, 7));
        Exchange out = proxy.send6(ipv6(withHops(ipv6Header(PEER, FOREIGN, IpProtocol.ICMPV6, echo.length), 1),
                echo));

        assertEquals(Icmpv6Type.TIME_EXCEEDED, out.only().icmpv6().type());
    }

    @Test
    void noIcmpv6ErrorIsSentAboutANonFirstFragment() {
        byte[] later = ipv6(withHops(ipv6Header(PEER, FOREIGN, IpProtocol.IPV6_FRAG, 24), 1),
                concat(fragmentHeader(IpProtocol.UDP, 1448, true, 99), bytes(16, 8)));

        Exchange out = proxy.send6(later);

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/hop-limit-expired"), out.moved());
    }

    @Test
    void udpAfterHopByHopAndDestinationOptionsIsDelivered() {
        bindRecorder(stack, 7);
        byte[] datagram = udp(v6(PEER), v6(OWN), 40000, 7, bytes(10, 9));
        // A Router Alert, then an unknown option whose type says "skip it" (high bits 00).
        byte[] hopByHop = optionsHeader(IpProtocol.IPV6_OPTS, option(ROUTER_ALERT, new byte[2]));
        byte[] destination = optionsHeader(IpProtocol.UDP, option(0x1E, new byte[] { 1, 2, 3 }));
        byte[] packet = ipv6(PEER, OWN, IpProtocol.HOPOPT, concat(hopByHop, destination, datagram));

        Exchange out = stack.send6(packet);

        assertEquals(List.of(), out.sent());
        assertEquals(1, received.size());
        assertArrayEquals(bytes(10, 9), received.getFirst());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/delivered", "udp/flows-opened",
                "udp/datagrams-received", "udp/bytes-received=10"), out.moved());
    }

    @ParameterizedTest(name = "option type {0} in the {1} header: answered {2}")
    @CsvSource({
        "0x9E, hop-by-hop, true",
        "0x9E, destination, true",
        "0xDE, destination, true",
        "0x5E, hop-by-hop, false",
        "0x5E, destination, false",
    })
    void unrecognizedOptionIsDroppedAndAnsweredAsItsTypeSays(String type, String where, boolean answered) {
        bindRecorder(stack, 7);
        byte[] datagram = udp(v6(PEER), v6(OWN), 40000, 7, bytes(10, 10));
        byte[] unknown = option(Integer.decode(type), new byte[] { 1, 2 });
        byte[] packet;
        int pointer;
        if (where.equals("hop-by-hop")) {
            packet = ipv6(PEER, OWN, IpProtocol.HOPOPT, concat(optionsHeader(IpProtocol.UDP, unknown), datagram));
            pointer = 40 + 2;
        } else {
            byte[] hopByHop = optionsHeader(IpProtocol.IPV6_OPTS, option(ROUTER_ALERT, new byte[2]));
            byte[] destination = optionsHeader(IpProtocol.UDP, option(1, new byte[0]), unknown);
            packet = ipv6(PEER, OWN, IpProtocol.HOPOPT, concat(hopByHop, destination, datagram));
            pointer = 40 + 8 + 2 + 2;
        }

        Exchange out = stack.send6(packet);

        assertEquals(List.of(), received);
        if (answered) {
            SentPacket.Icmp icmp = out.only().icmpv6();
            assertEquals(Icmpv6Type.PARAMETER_PROBLEM, icmp.type());
            assertEquals(Icmpv6Type.UNRECOGNIZED_OPTION, icmp.code());
            assertEquals(pointer, icmp.restOfHeader(), "the pointer names the option's type byte");
            assertArrayEquals(packet, icmp.data());
            assertEquals(counts("interface/received", "ipv6/received", "ipv6/malformed-unrecognized-option",
                    "ipv6/extension-header-problem", "icmpv6/error-sent", "ipv6/sent"), out.moved());
        } else {
            assertEquals(List.of(), out.sent(), "action 01: discard silently");
            assertEquals(counts("interface/received", "ipv6/received", "ipv6/malformed-unrecognized-option",
                    "ipv6/extension-header-problem"), out.moved());
        }
    }

    @ParameterizedTest(name = "after {0} extension headers")
    @ValueSource(ints = { 0, 1, 2 })
    void unknownNextHeaderToOwnAddressIsAnsweredWithParameterProblemAtTheNextHeaderField(int extensions) {
        byte[] upper = bytes(24, 11);
        byte[] packet;
        int pointer;
        switch (extensions) {
            case 0 -> {
                packet = ipv6(PEER, OWN, 253, upper);
                pointer = 6;
            }
            case 1 -> {
                packet = ipv6(PEER, OWN, IpProtocol.HOPOPT, concat(optionsHeader(253), upper));
                pointer = 40;
            }
            default -> {
                packet = ipv6(PEER, OWN, IpProtocol.HOPOPT, concat(optionsHeader(IpProtocol.IPV6_OPTS),
                        optionsHeader(253), upper));
                pointer = 48;
            }
        }

        Exchange out = stack.send6(packet);

        SentPacket error = out.only();
        assertEquals(v6(OWN), error.ipv6().src());
        SentPacket.Icmp icmp = error.icmpv6();
        assertEquals(Icmpv6Type.PARAMETER_PROBLEM, icmp.type());
        assertEquals(Icmpv6Type.UNRECOGNIZED_NEXT_HEADER, icmp.code());
        assertEquals(pointer, icmp.restOfHeader());
        assertArrayEquals(packet, icmp.data());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/delivered", "ipv6/unknown-next-header",
                "icmpv6/error-sent", "ipv6/sent"), out.moved());
    }

    @Test
    void unknownNextHeaderToForeignAddressIsDroppedSilently() {
        Exchange out = proxy.send6(ipv6(PEER, FOREIGN, 253, bytes(24, 11)));

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/delivered", "ipv6/unknown-next-header"),
                out.moved());
    }

    @Test
    void udpWithoutChecksumIsDropped() {
        bindRecorder(stack, 7);

        Exchange out = stack.send6(ipv6(PEER, OWN, IpProtocol.UDP, udpNoChecksum(40000, 7, bytes(8, 12))));

        assertEquals(List.of(), out.sent());
        assertEquals(List.of(), received);
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/delivered", "udp/zero-checksum-ipv6"),
                out.moved());
    }

    @Test
    void udpToClosedOwnPortIsAnsweredWithPortUnreachable() {
        byte[] packet = ipv6Udp(PEER, OWN, 40000, 9, bytes(1300, 13));

        Exchange out = stack.send6(packet);

        SentPacket error = out.only();
        assertEquals(v6(OWN), error.ipv6().src());
        assertEquals(v6(PEER), error.ipv6().dst());
        SentPacket.Icmp icmp = error.icmpv6();
        assertEquals(Icmpv6Type.DEST_UNREACHABLE, icmp.type());
        assertEquals(Icmpv6Type.PORT_UNREACHABLE, icmp.code());
        assertArrayEquals(slice(packet, 0, MAX_QUOTE), icmp.data(), "as much as fits in 1280 bytes");
        assertEquals(1280, error.bytes().length);
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/delivered", "udp/no-listener",
                "ipv6/port-unreachable", "icmpv6/error-sent", "ipv6/sent"), out.moved());
    }

    @Test
    void udpToForeignAddressWithoutRelayIsAnsweredWithAddressUnreachable() {
        byte[] packet = ipv6Udp(PEER, FOREIGN, 40000, 53, bytes(20, 14));

        Exchange out = proxy.send6(packet);

        SentPacket error = out.only();
        assertEquals(v6(FOREIGN), error.ipv6().src());
        SentPacket.Icmp icmp = error.icmpv6();
        assertEquals(Icmpv6Type.DEST_UNREACHABLE, icmp.type());
        assertEquals(Icmpv6Type.ADDRESS_UNREACHABLE, icmp.code());
        assertArrayEquals(packet, icmp.data());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/delivered", "udp/no-relay",
                "ipv6/address-unreachable", "icmpv6/error-sent", "ipv6/sent"), out.moved());
    }

    @Test
    void icmpv6ErrorsAreRateLimited() {
        SingleStack limited = SingleStack.builder().icmpErrors(10, 2).build();
        List<byte[]> burst = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            burst.add(ipv6Udp(PEER, OWN, 40000 + i, 9, bytes(8, i)));
        }

        Exchange out = limited.exchange(LinkProtocol.IPV6, burst);

        assertEquals(2, out.sent().size());
        assertEquals(2L, out.moved().get("icmpv6/error-rate-limited"));
        limited.clock().advance(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        assertEquals(2, limited.exchange(LinkProtocol.IPV6, burst).sent().size());
    }

    @ParameterizedTest(name = "{0} data bytes")
    @ValueSource(ints = { 0, 56, 1452 })
    void echoRequestToOwnAddressIsAnsweredByteForByte(int dataLength) {
        byte[] data = bytes(dataLength, 15);

        Exchange out = stack.send6(ipv6Echo(PEER, OWN, 0xCAFE, 0x0304, data));

        SentPacket reply = out.only();
        assertEquals(v6(OWN), reply.ipv6().src());
        assertEquals(v6(PEER), reply.ipv6().dst());
        assertEquals(64, reply.ipv6().hopLimit());
        byte[] expected = Packets.icmpv6(v6(OWN), v6(PEER), new Icmpv6Repr.EchoReply(0xCAFE, 0x0304, dataLength),
                data);
        assertArrayEquals(expected, reply.ipPayload());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/delivered", "icmpv6/echo-answered",
                "ipv6/sent"), out.moved());
    }

    @Test
    void echoRequestToForeignAddressIsNotAnswered() {
        Exchange out = proxy.send6(ipv6Echo(PEER, FOREIGN, 1, 1, bytes(8, 16)));

        assertEquals(List.of(), out.sent());
        assertEquals(counts("interface/received", "ipv6/received", "ipv6/delivered", "icmpv6/echo-not-for-us"),
                out.moved());
    }

    @ParameterizedTest(name = "MTU {0}, {1} data bytes")
    @CsvSource({ "1500, 3000", "1280, 5000" })
    void fragmentedEchoRequestIsReassembledAndTheReplyFragmentedWithFragmentHeaders(int mtu, int dataLength) {
        SingleStack small = SingleStack.builder().mtu(mtu).build();
        byte[] data = bytes(dataLength, 17);
        byte[] request = icmpv6Echo(v6(PEER), v6(OWN), 3, 4, data);

        Exchange out = small.exchange(LinkProtocol.IPV6, ipv6Fragments(PEER, OWN, IpProtocol.ICMPV6, 0x5151, request,
                1232));

        byte[] reply = reassemble(out.sent(), mtu, IpProtocol.ICMPV6);
        assertArrayEquals(Packets.icmpv6(v6(OWN), v6(PEER), new Icmpv6Repr.EchoReply(3, 4, dataLength), data),
                reply);
        assertEquals(1L, out.moved().get("icmpv6/echo-answered"));
        assertEquals(1L, out.moved().get("ipv6/fragmented"));
    }

    @Test
    void fragmentedUdpWithDestinationOptionsAfterTheFragmentHeaderIsReassembledAndEchoed() {
        bindEcho(stack, 7);
        byte[] payload = bytes(4000, 18);
        byte[] fragmentable = concat(optionsHeader(IpProtocol.UDP, option(0x1E, new byte[4])),
                udp(v6(PEER), v6(OWN), 40000, 7, payload));

        Exchange out = stack.exchange(LinkProtocol.IPV6, ipv6Fragments(PEER, OWN, IpProtocol.IPV6_OPTS, 0x6161,
                fragmentable, 1448));

        byte[] reply = reassemble(out.sent(), 1500, IpProtocol.UDP);
        assertArrayEquals(udp(v6(OWN), v6(PEER), 7, 40000, payload), reply);
        assertEquals(1L, out.moved().get("reassembly-ipv6/datagram-reassembled"));
        assertEquals(1L, out.moved().get("udp/datagrams-sent"));
    }

    @Test
    void theLargestUdpDatagramIsReassembledAndDelivered() {
        bindRecorder(stack, 7);
        byte[] payload = bytes(65535 - 8, 19);
        byte[] datagram = udp(v6(PEER), v6(OWN), 40000, 7, payload);

        Exchange out = stack.exchange(LinkProtocol.IPV6, ipv6Fragments(PEER, OWN, IpProtocol.UDP, 0x7171, datagram,
                1448));

        assertEquals(1, received.size(), "counters: " + out.moved());
        assertArrayEquals(payload, received.getFirst());
    }

    @ParameterizedTest(name = "{0} payload bytes")
    @CsvSource({ "65527, true", "65528, false" })
    void aSocketSendsTheLargestUdpDatagramInFragmentsAndCountsALargerOne(int payloadLength, boolean fits) {
        UdpSocket socket = stack.udp().bind(null, 0, 0, true, 5000, (s, flow, payload) -> { });
        byte[] payload = bytes(payloadLength, 20);
        Ipv6Address peer = v6(PEER);

        Exchange out = stack.observe(() -> assertEquals(fits, socket.sendTo(stack.iface().ipv6(), peer.high(),
                peer.low(), 7, ByteBuffer.wrap(payload))));

        if (fits) {
            assertArrayEquals(udp(v6(OWN), peer, 5000, 7, payload), reassemble(out.sent(), 1500, IpProtocol.UDP));
        } else {
            assertEquals(List.of(), out.sent());
            assertEquals(counts("udp/flows-opened", "udp/send-failed", "ipv6/too-large-to-send"), out.moved());
        }
    }

    @Test
    void reassemblyTimeoutIsAnsweredWithTimeExceededOnlyWhenTheFirstFragmentCame() {
        byte[] datagram = udp(v6(PEER), v6(OWN), 40000, 7, bytes(3000, 21));
        List<byte[]> fragments = ipv6Fragments(PEER, OWN, IpProtocol.UDP, 0x8181, datagram, 1448);
        List<byte[]> withoutFirst = ipv6Fragments(PEER, OWN, IpProtocol.UDP, 0x8182, datagram, 1448).subList(1, 3);

        assertEquals(List.of(), stack.exchange(LinkProtocol.IPV6, fragments.getFirst()).sent());
        assertEquals(List.of(), stack.exchange(LinkProtocol.IPV6, withoutFirst).sent());
        assertEquals(List.of(), stack.advance(Duration.ofMillis(59_999)).sent(), "not before 60 s");
        Exchange expired = stack.advance(Duration.ofMillis(1));

        SentPacket error = expired.only();
        assertEquals(v6(OWN), error.ipv6().src());
        assertEquals(v6(PEER), error.ipv6().dst());
        SentPacket.Icmp icmp = error.icmpv6();
        assertEquals(Icmpv6Type.TIME_EXCEEDED, icmp.type());
        assertEquals(Icmpv6Type.REASSEMBLY_TIME_EXCEEDED, icmp.code());
        assertArrayEquals(slice(fragments.getFirst(), 0, MAX_QUOTE), icmp.data(),
                "the first fragment as received, Fragment header included (RFC 4443, 3.3)");
        assertEquals(counts("reassembly-ipv6/timed-out=2", "icmpv6/error-sent", "ipv6/sent"), expired.moved());
    }

    @Test
    void portUnreachableAboutAFragmentedDatagramQuotesHeadersThatLeadToTheUdpHeader() {
        byte[] fragmentable = concat(optionsHeader(IpProtocol.UDP, option(0x1E, new byte[4])),
                udp(v6(PEER), v6(OWN), 40000, 9, bytes(2000, 22)));

        Exchange out = stack.exchange(LinkProtocol.IPV6, ipv6Fragments(PEER, OWN, IpProtocol.IPV6_OPTS, 0x9191,
                fragmentable, 1448));

        SentPacket.Icmp icmp = out.only().icmpv6();
        assertEquals(Icmpv6Type.PORT_UNREACHABLE, icmp.code());
        // A receiver finds the socket the error is for by walking the quoted headers to the UDP ports.
        byte[] quoted = icmp.data();
        ByteBuffer q = ByteBuffer.wrap(quoted);
        assertEquals(IpProtocol.IPV6_OPTS, q.get(6), "the quoted IPv6 header names what follows it");
        assertEquals(IpProtocol.UDP, q.get(40), "the quoted Destination Options header names UDP");
        assertEquals(40000, q.getShort(48) & 0xFFFF);
        assertEquals(9, q.getShort(50) & 0xFFFF);
        assertEquals(fragmentable.length, q.getShort(4) & 0xFFFF, "the payload length of the datagram, not a fragment");
        assertArrayEquals(slice(fragmentable, 0, MAX_QUOTE - 40), slice(quoted, 40, MAX_QUOTE - 40));
    }

    /** Fragments whose unfragmentable part is a Hop-by-Hop header (Router Alert) before the Fragment header. */
    private static List<byte[]> fragmentsAfterHopByHop(int firstHeader, int ident, byte[] fragmentable, int piece) {
        List<byte[]> fragments = new ArrayList<>();
        byte[] hopByHop = optionsHeader(IpProtocol.IPV6_FRAG, option(ROUTER_ALERT, new byte[2]));
        for (int offset = 0; offset < fragmentable.length; offset += piece) {
            int length = Math.min(piece, fragmentable.length - offset);
            boolean more = offset + length < fragmentable.length;
            fragments.add(ipv6(PEER, OWN, IpProtocol.HOPOPT, concat(hopByHop,
                    fragmentHeader(firstHeader, offset, more, ident), slice(fragmentable, offset, length))));
        }
        return fragments;
    }

    @Test
    void fragmentsWithAHopByHopHeaderBeforeTheFragmentHeaderAreReassembledAndQuotedAsOnePacket() {
        bindRecorder(stack, 7);
        byte[] open = udp(v6(PEER), v6(OWN), 40000, 7, bytes(2000, 24));
        byte[] closed = udp(v6(PEER), v6(OWN), 40000, 9, bytes(2000, 24));

        stack.exchange(LinkProtocol.IPV6, fragmentsAfterHopByHop(IpProtocol.UDP, 0xB1B1, open, 1440));
        Exchange refused = stack.exchange(LinkProtocol.IPV6, fragmentsAfterHopByHop(IpProtocol.UDP, 0xB1B2, closed,
                1440));

        assertEquals(1, received.size());
        assertArrayEquals(bytes(2000, 24), received.getFirst());
        byte[] quoted = refused.only().icmpv6().data();
        byte[] original = ipv6(PEER, OWN, IpProtocol.HOPOPT, concat(optionsHeader(IpProtocol.UDP,
                option(ROUTER_ALERT, new byte[2])), closed));
        assertArrayEquals(slice(original, 0, MAX_QUOTE), quoted,
                "the packet as it was before fragmentation: the Hop-by-Hop header names UDP");
    }

    @Test
    void reassemblyTimeoutQuotesAFirstFragmentWithAHopByHopHeaderAsReceived() {
        byte[] datagram = udp(v6(PEER), v6(OWN), 40000, 7, bytes(3000, 25));
        byte[] first = fragmentsAfterHopByHop(IpProtocol.UDP, 0xC1C1, datagram, 1440).getFirst();

        stack.exchange(LinkProtocol.IPV6, first);
        Exchange expired = stack.advance(Duration.ofSeconds(60));

        SentPacket.Icmp icmp = expired.only().icmpv6();
        assertEquals(Icmpv6Type.REASSEMBLY_TIME_EXCEEDED, icmp.code());
        assertArrayEquals(slice(first, 0, MAX_QUOTE), icmp.data());
    }

    @Test
    void overlappingFragmentsDiscardTheDatagram() {
        bindRecorder(stack, 7);
        byte[] datagram = udp(v6(PEER), v6(OWN), 40000, 7, bytes(24, 23));

        Exchange out = stack.exchange(LinkProtocol.IPV6,
                ipv6Fragment(PEER, OWN, IpProtocol.UDP, 0xA1A1, 0, true, slice(datagram, 0, 16)),
                ipv6Fragment(PEER, OWN, IpProtocol.UDP, 0xA1A1, 8, true, slice(datagram, 8, 16)),
                ipv6Fragment(PEER, OWN, IpProtocol.UDP, 0xA1A1, 24, false, slice(datagram, 24, 8)));

        assertEquals(List.of(), out.sent());
        assertEquals(List.of(), received);
        assertEquals(1L, out.moved().get("reassembly-ipv6/overlap"));
        assertEquals(null, out.moved().get("reassembly-ipv6/datagram-reassembled"));
    }

    /**
     * Checks each fragment as a receiving kernel would (within the MTU, a Fragment header right after the fixed
     * header naming {@code protocol}, offsets multiples of 8, one identification, M on all but the last) and puts
     * the fragmentable part back together.
     */
    static byte[] reassemble(List<SentPacket> fragments, int mtu, int protocol) {
        assertTrue(fragments.size() > 1, "expected fragments, got " + fragments);
        ByteBuffer whole = ByteBuffer.allocate(65535);
        int ident = fragments.getFirst().ipv6Fragment().ident();
        int expectedOffset = 0;
        for (int i = 0; i < fragments.size(); i++) {
            SentPacket fragment = fragments.get(i);
            assertTrue(fragment.bytes().length <= mtu, "fragment " + i + " within the MTU");
            SentPacket.Ipv6Fragment header = fragment.ipv6Fragment();
            assertEquals(protocol, header.nextHeader());
            assertEquals(ident, header.ident(), "one identification for all fragments");
            assertEquals(expectedOffset, header.offset(), "fragment " + i + " in order, no gap");
            assertEquals(i < fragments.size() - 1, header.more(), "M on all but the last");
            if (i < fragments.size() - 1) {
                assertEquals(0, header.data().length % 8);
            }
            whole.put(header.offset(), header.data());
            expectedOffset += header.data().length;
        }
        return slice(whole.array(), 0, expectedOffset);
    }
}
