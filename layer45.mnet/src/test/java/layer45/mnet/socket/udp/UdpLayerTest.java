package layer45.mnet.socket.udp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static layer45.mnet.testing.Packets.bytes;
import static layer45.mnet.testing.Packets.ipv4;
import static layer45.mnet.testing.Packets.ipv4Udp;
import static layer45.mnet.testing.Packets.ipv6Udp;
import static layer45.mnet.testing.Packets.udpNoChecksum;
import static layer45.mnet.testing.SingleStack.counts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.NetworkProtocol;
import layer45.api.ProcessOwner;
import layer45.api.Transport;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.mnet.UdpFlowStatus;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.testing.Packets;
import layer45.mnet.testing.RecordingTap;
import layer45.mnet.testing.SentPacket;
import layer45.mnet.testing.SingleStack;
import layer45.mnet.testing.SingleStack.Exchange;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The UDP layer of one stack with a recording customization runtime: every datagram passes through the runtime in
 * its direction, customizations shape what is delivered, and flows open, close and are counted as they should.
 */
class UdpLayerTest {

    private static final String OWN4 = "10.0.0.1";
    private static final String PEER4 = "10.0.0.2";
    private static final String FOREIGN4 = "198.51.100.7";
    private static final String OWN6 = "fd00::1";
    private static final String PEER6 = "fd00::2";

    private final RecordingTap tap = new RecordingTap();
    private final SingleStack stack = SingleStack.builder().tap(tap).terminateForeign().build();
    private final List<String> delivered = new ArrayList<>();

    /** The far end's application, which sends to the stack: one family's addresses. */
    private record Family(String name, String own, String peer) {

        byte[] datagram(int srcPort, int dstPort, byte[] payload) {
            return name.equals("ipv4") ? ipv4Udp(peer, own, srcPort, dstPort, payload)
                    : ipv6Udp(peer, own, srcPort, dstPort, payload);
        }

        int linkProtocol() {
            return name.equals("ipv4") ? LinkProtocol.IPV4 : LinkProtocol.IPV6;
        }

        InetSocketAddress endpoint(String address, int port) {
            return new InetSocketAddress(name.equals("ipv4") ? Ipv4Address.parse(address).toInetAddress()
                    : Ipv6Address.parse(address).toInetAddress(), port);
        }
    }

    private static final Family V4 = new Family("ipv4", OWN4, PEER4);
    private static final Family V6 = new Family("ipv6", OWN6, PEER6);

    static Stream<Family> families() {
        return Stream.of(V4, V6);
    }

    private UdpSocket bindEcho(int port) {
        return stack.udp().bind(null, 0, 0, true, port, (socket, flow, payload) -> flow.send(payload));
    }

    private UdpSocket bindRecorder(int port) {
        return stack.udp().bind(null, 0, 0, true, port, (socket, flow, payload) -> delivered.add(text(payload)));
    }

    private static String text(ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(payload.position(), bytes);
        return new String(bytes, UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(UTF_8);
    }

    private Exchange send(Family family, int srcPort, int dstPort, String payload) {
        return stack.exchange(family.linkProtocol(), family.datagram(srcPort, dstPort, utf8(payload)));
    }

    private static String payloadOf(SentPacket packet) {
        return new String(packet.udp().payload(), UTF_8);
    }

    private static long v4(String address) {
        return Ipv4Address.parse(address).bits() & 0xFFFF_FFFFL;
    }

    // ------------------------------------------------------------------------------------ directions and facts

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void aFlowOpenedFromTheDeviceSeesItsDatagramsAsSendAndTheRepliesAsRecv(Family family) {
        bindEcho(7);

        Exchange out = send(family, 40000, 7, "hello");

        assertEquals("hello", payloadOf(out.only()));
        assertEquals(List.of("SEND:hello", "RECV:hello"), tap.chunkLog());
        assertEquals(1, tap.flows().size());
        FlowInfo info = tap.flows().getFirst().info();
        assertEquals(new FlowInfo(Transport.UDP, new NetworkProtocol(family.name()),
                family.endpoint(family.peer(), 40000), family.endpoint(family.own(), 7), Initiator.LOCAL,
                ProcessOwner.UNKNOWN), info, "the application is beyond the device, and it sent first");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void aFlowOpenedBySocketSendToSeesItsDatagramsAsSendAndTheRepliesAsRecv(Family family) {
        UdpSocket socket = bindRecorder(5000);
        NetworkLayer layer = family == V4 ? stack.iface().ipv4() : stack.iface().ipv6();
        Ipv6Address peer6 = Ipv6Address.parse(PEER6);
        long high = family == V4 ? 0 : peer6.high();
        long low = family == V4 ? v4(PEER4) : peer6.low();

        Exchange sent = stack.observe(() -> assertTrue(socket.sendTo(layer, high, low, 7,
                ByteBuffer.wrap(utf8("ping")))));
        Exchange reply = send(family, 7, 5000, "pong");

        SentPacket.Udp datagram = sent.only().udp();
        assertEquals(5000, datagram.srcPort());
        assertEquals(7, datagram.dstPort());
        assertEquals("ping", new String(datagram.payload(), UTF_8));
        assertEquals(List.of(), reply.sent());
        assertEquals(List.of("pong"), delivered);
        assertEquals(List.of("SEND:ping", "RECV:pong"), tap.chunkLog());
        assertEquals(1, tap.flows().size(), "the reply belongs to the flow the socket opened");
        assertEquals(new FlowInfo(Transport.UDP, new NetworkProtocol(family.name()), family.endpoint(family.own(),
                5000), family.endpoint(family.peer(), 7), Initiator.LOCAL, ProcessOwner.UNKNOWN),
                tap.flows().getFirst().info(), "the application is the socket in the stack, and it sent first");
    }

    @Test
    void aRelayedFlowToAForeignAddressSeesTheSameDirectionsAndFacts() {
        List<String> closed = new ArrayList<>();
        stack.udp().forwarder(flow -> new UdpPeer() {
            @Override
            public void datagram(UdpFlow f, ByteBuffer payload) {
                f.send(ByteBuffer.wrap(utf8("answer to " + text(payload))));
            }

            @Override
            public void closed(UdpFlow f, String reason) {
                closed.add(reason);
            }
        });

        Exchange out = stack.send4(ipv4Udp(PEER4, FOREIGN4, 40000, 53, utf8("query")));

        SentPacket answer = out.only();
        assertEquals(Ipv4Address.parse(FOREIGN4), answer.ipv4().src(), "the relay answers as the destination");
        assertEquals("answer to query", payloadOf(answer));
        assertEquals(List.of("SEND:query", "RECV:answer to query"), tap.chunkLog());
        FlowInfo info = tap.flows().getFirst().info();
        assertEquals(V4.endpoint(PEER4, 40000), info.local());
        assertEquals(V4.endpoint(FOREIGN4, 53), info.remote());
        assertEquals(List.of(), closed);
    }

    @Test
    void everyDatagramOfAFlowPassesThroughTheRuntimeAndOneFlowIsOpened() {
        bindEcho(7);

        for (int i = 0; i < 5; i++) {
            send(V4, 40000, 7, "n" + i);
        }

        assertEquals(1, tap.flows().size());
        assertEquals(10, tap.chunks().size());
        assertTrue(tap.chunks().stream().allMatch(chunk -> chunk.flowId() == tap.flows().getFirst().id()));
        assertEquals(5L, stack.counters().get("udp/datagrams-received"));
        assertEquals(5L, stack.counters().get("udp/datagrams-sent"));
    }

    // ------------------------------------------------------------------------------------ customized output

    /** Rewrites of one datagram: the pieces a customization delivers to the sink. */
    static Stream<Arguments> rewrites() {
        return Stream.of(
                Arguments.of("longer", (Function<String, List<String>>) in -> List.of(in + "-and-a-much-longer-tail")),
                Arguments.of("shorter", (Function<String, List<String>>) in -> List.of(in.substring(0, 2))),
                Arguments.of("empty", (Function<String, List<String>>) in -> List.of()),
                Arguments.of("an empty piece", (Function<String, List<String>>) in -> List.of("")),
                Arguments.of("in several pieces", (Function<String, List<String>>) in -> List.of("[", in, "|", in,
                        "]")));
    }

    private static RecordingTap.Customization rewriting(Function<String, List<String>> rewrite) {
        return (direction, input, sink) -> {
            for (String piece : rewrite.apply(new String(input, UTF_8))) {
                sink.accept(ByteBuffer.wrap(utf8(piece)).asReadOnlyBuffer());
            }
            return Outcome.CUSTOMIZED;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rewrites")
    void aRewrittenDatagramFromTheDeviceIsDeliveredOnceWithTheNewPayload(String name,
            Function<String, List<String>> rewrite) {
        bindRecorder(7);
        tap.customize(Direction.SEND, rewriting(rewrite));

        Exchange out = send(V4, 40000, 7, "hello");

        assertEquals(List.of(String.join("", rewrite.apply("hello"))), delivered);
        assertEquals(List.of(), out.sent());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rewrites")
    void aRewrittenReplyIsSentAsExactlyOneDatagramWithTheNewPayload(String name,
            Function<String, List<String>> rewrite) {
        bindEcho(7);
        tap.customize(Direction.RECV, rewriting(rewrite));

        Exchange out = send(V6, 40000, 7, "hello");

        assertEquals(String.join("", rewrite.apply("hello")), payloadOf(out.only()));
        assertEquals(1L, out.moved().get("udp/datagrams-sent"));
    }

    @ParameterizedTest(name = "{0} in direction {1}")
    @MethodSource("heldOrDropped")
    void aDroppedOrHeldDatagramIsNotDeliveredAndCounted(Outcome outcome, Direction direction) {
        bindEcho(7);
        tap.customize(direction, (d, input, sink) -> outcome);

        Exchange out = send(V4, 40000, 7, "hello");

        assertEquals(List.of(), out.sent());
        assertEquals(1L, out.moved().get("udp/customization-dropped"));
        assertEquals(null, out.moved().get("udp/datagrams-sent"));
        assertEquals(1, tap.flows().size());
        assertEquals(0, tap.flows().getFirst().closeCount(), "the flow goes on");
    }

    static Stream<Arguments> heldOrDropped() {
        return Stream.of(Outcome.DROPPED, Outcome.HELD).flatMap(outcome -> Stream.of(Direction.values())
                .map(direction -> Arguments.of(outcome, direction)));
    }

    @Test
    void aDatagramDroppedOnTheWayInIsNotDelivered() {
        bindRecorder(7);
        tap.customize(Direction.SEND, (d, input, sink) -> Outcome.DROPPED);

        Exchange out = send(V4, 40000, 7, "hello");

        assertEquals(List.of(), delivered);
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/delivered", "udp/flows-opened",
                "udp/datagrams-received", "udp/bytes-received=5", "udp/customization-dropped"), out.moved());
    }

    @Test
    void aBypassedFlowDeliversTheOriginal() {
        bindEcho(7);
        tap.customize((d, input, sink) -> {
            sink.accept(ByteBuffer.wrap(input));
            return Outcome.BYPASSED;
        });

        assertEquals("hello", payloadOf(send(V4, 40000, 7, "hello").only()));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = { 65527, 65528 })
    void outputLargerThanUdpCanCarryIsDroppedAndCounted(int length) {
        bindRecorder(7);
        tap.customize(Direction.SEND, (d, input, sink) -> {
            sink.accept(ByteBuffer.allocate(40_000));
            sink.accept(ByteBuffer.allocate(length - 40_000));
            return Outcome.CUSTOMIZED;
        });

        Exchange out = send(V4, 40000, 7, "hello");

        boolean fits = length <= 65535 - 8;
        assertEquals(fits ? 1 : 0, delivered.size());
        assertEquals(fits ? null : 1L, out.moved().get("udp/customized-too-large"));
    }

    @Test
    void aReplyCustomizedBeyondWhatUdpCanCarryIsNotSent() {
        bindEcho(7);
        tap.customize(Direction.RECV, (d, input, sink) -> {
            sink.accept(ByteBuffer.allocate(65528));
            return Outcome.CUSTOMIZED;
        });

        Exchange out = send(V6, 40000, 7, "hello");

        assertEquals(List.of(), out.sent());
        assertEquals(1L, out.moved().get("udp/customized-too-large"));
    }

    // ------------------------------------------------------------------------------------ aborts and failures

    /** A relay peer that records what it got and when its flows closed. */
    private final class RecordingPeer implements UdpPeer {
        final List<String> datagrams = new ArrayList<>();
        final List<String> closed = new ArrayList<>();

        @Override
        public void datagram(UdpFlow flow, ByteBuffer payload) {
            datagrams.add(text(payload));
        }

        @Override
        public void closed(UdpFlow flow, String reason) {
            closed.add(reason);
        }
    }

    @Test
    void anAbortedChunkClosesTheFlowOnceAndTheNextDatagramOpensANewOne() {
        RecordingPeer peer = new RecordingPeer();
        stack.udp().forwarder(flow -> peer);
        tap.abortReason("module faulted");
        tap.customize(Direction.SEND, (d, input, sink) -> Outcome.ABORTED);

        Exchange aborted = stack.send4(ipv4Udp(PEER4, FOREIGN4, 40000, 53, utf8("first")));

        assertEquals(List.of(), aborted.sent());
        assertEquals(List.of(), peer.datagrams);
        assertEquals(1, peer.closed.size());
        assertTrue(peer.closed.getFirst().contains("module faulted"), peer.closed.toString());
        assertEquals(1, tap.flows().getFirst().closeCount());
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/delivered", "udp/flows-opened",
                "udp/datagrams-received", "udp/bytes-received=5", "udp/flows-aborted"), aborted.moved());
        assertEquals(0, stack.udp().flowCount());

        tap.customize(RecordingTap.ORIGINAL);
        Exchange next = stack.send4(ipv4Udp(PEER4, FOREIGN4, 40000, 53, utf8("second")));

        assertEquals(List.of("second"), peer.datagrams);
        assertEquals(2, tap.flows().size(), "a new flow");
        assertEquals(1L, next.moved().get("udp/flows-opened"));
        assertEquals(1, tap.flows().getFirst().closeCount(), "the aborted flow was closed once");
        assertEquals(0, tap.flows().getFirst().callsAfterClose());
    }

    @Test
    void anAbortedReplyClosesTheFlow() {
        bindEcho(7);
        tap.customize(Direction.RECV, (d, input, sink) -> Outcome.ABORTED);

        Exchange out = send(V4, 40000, 7, "hello");

        assertEquals(List.of(), out.sent());
        assertEquals(1L, out.moved().get("udp/flows-aborted"));
        assertEquals(1, tap.flows().getFirst().closeCount());
        assertEquals(0, stack.udp().flowCount());
    }

    @Test
    void anAbortFromAnotherThreadClosesTheFlowAtTheNextPoll() throws InterruptedException {
        RecordingPeer peer = new RecordingPeer();
        stack.udp().forwarder(flow -> peer);
        stack.send4(ipv4Udp(PEER4, FOREIGN4, 40000, 53, utf8("first")));
        RecordingTap.Flow flow = tap.flows().getFirst();

        Thread watchdog = Thread.ofPlatform().start(() -> flow.control().abort("stuck past its time budget"));
        watchdog.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(watchdog.isAlive());
        assertEquals(0, flow.closeCount(), "nothing happens off the loop thread");
        assertEquals(1, stack.udp().flowCount());

        Exchange out = stack.observe(() -> { });

        assertEquals(1, flow.closeCount());
        assertEquals(1, peer.closed.size());
        assertTrue(peer.closed.getFirst().contains("stuck past its time budget"), peer.closed.toString());
        assertEquals(counts("udp/flows-aborted"), out.moved());
        assertEquals(0, stack.udp().flowCount());

        flow.control().abort("again, too late");
        assertEquals(counts(), stack.observe(() -> { }).moved(), "a closed flow is not aborted twice");
        assertEquals(1, flow.closeCount());
    }

    @Test
    void aRuntimeThatCannotOpenTheFlowRefusesIt() {
        bindRecorder(7);
        tap.failOpenWith(new IllegalStateException("runtime is shutting down"));

        Exchange refused = send(V4, 40000, 7, "hello");

        assertEquals(List.of(), delivered, "fail closed: an encrypting customization must not be skipped");
        assertEquals(List.of(), refused.sent(), "no ICMP error either");
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/delivered", "udp/tap-failed"),
                refused.moved());
        assertEquals(0, stack.udp().flowCount());

        tap.failOpenWith(null);
        send(V4, 40000, 7, "again");
        assertEquals(List.of("again"), delivered, "the next datagram tries again");
    }

    @Test
    void aPeerThatThrowsClosesItsFlowAndTheStackGoesOn() {
        int[] calls = { 0 };
        stack.udp().bind(null, 0, 0, true, 7, (socket, flow, payload) -> {
            if (calls[0]++ == 0) {
                throw new IllegalStateException("receiver bug");
            }
            flow.send(payload);
        });

        Exchange failed = send(V4, 40000, 7, "first");

        assertEquals(List.of(), failed.sent());
        assertEquals(1L, failed.moved().get("udp/peer-failed"));
        assertEquals(null, failed.moved().get("interface/internal-error"));
        assertEquals(1, tap.flows().getFirst().closeCount());
        assertEquals(0, stack.udp().flowCount());

        Exchange next = send(V4, 40000, 7, "second");

        assertEquals("second", payloadOf(next.only()));
        assertEquals(2, tap.flows().size());
    }

    @Test
    void aFlowTheRelayRefusesNeverReachesTheRuntimeAndIsAnsweredWithHostUnreachable() {
        stack.udp().forwarder(flow -> null);

        Exchange out = stack.send4(ipv4Udp(PEER4, FOREIGN4, 40000, 53, utf8("query")));

        assertEquals(List.of(), tap.flows(), "the relay decides before the runtime is asked");
        assertEquals(3, out.only().icmpv4().type());
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/delivered", "udp/no-relay",
                "ipv4/host-unreachable", "icmpv4/error-sent", "ipv4/sent"), out.moved());
        assertEquals(0, stack.udp().flowCount());
    }

    // ------------------------------------------------------------------------------------ flow lifetime

    @Test
    void idleFlowsCloseAfterTheIdleTimeoutAndNotBefore() {
        RecordingTap idleTap = new RecordingTap();
        SingleStack idle = SingleStack.builder().tap(idleTap).udp(16, Duration.ofSeconds(10)).build();
        idle.udp().bind(null, 0, 0, true, 7, (socket, flow, payload) -> { });
        idle.send4(ipv4Udp(PEER4, OWN4, 40000, 7, utf8("a")));
        idle.send4(ipv4Udp(PEER4, OWN4, 40001, 7, utf8("b")));

        idle.advance(Duration.ofSeconds(5));
        idle.send4(ipv4Udp(PEER4, OWN4, 40001, 7, utf8("b again")));
        assertEquals(2, idle.udp().flowCount());

        assertEquals(counts(), idle.advance(Duration.ofMillis(4_999)).moved(), "at 9.999 s nothing closes");
        assertEquals(2, idle.udp().flowCount());

        Exchange first = idle.advance(Duration.ofMillis(1_001));
        assertEquals(counts("udp/flows-idle"), first.moved(), "the flow idle for 10 s closes, within a sweep");
        assertEquals(1, idleTap.flows().get(0).closeCount());
        assertEquals(0, idleTap.flows().get(1).closeCount(), "the other one was active 5 s ago");

        assertEquals(counts(), idle.advance(Duration.ofMillis(3_998)).moved());
        assertEquals(counts("udp/flows-idle"), idle.advance(Duration.ofMillis(1_002)).moved());
        assertEquals(1, idleTap.flows().get(1).closeCount());
        assertEquals(0, idle.udp().flowCount());
    }

    @Test
    void closeAllClosesEveryFlowAndTellsItsPeer() {
        RecordingPeer peer = new RecordingPeer();
        stack.udp().forwarder(flow -> peer);
        bindEcho(7);
        stack.send4(ipv4Udp(PEER4, FOREIGN4, 40000, 53, utf8("relayed")));
        send(V4, 40000, 7, "echoed");

        Exchange out = stack.observe(stack.udp()::closeAll);

        assertEquals(counts("udp/flows-closed=2"), out.moved());
        assertEquals(List.of("the network stack stopped"), peer.closed);
        assertTrue(tap.flows().stream().allMatch(flow -> flow.closeCount() == 1));
        assertEquals(0, stack.udp().flowCount());
    }

    @Test
    void theFlowTableLimitDropsNewFlowsAndCountsThem() {
        SingleStack small = SingleStack.builder().udp(2, Duration.ofSeconds(60)).build();
        List<String> got = new ArrayList<>();
        UdpSocket socket = small.udp().bind(null, 0, 0, true, 7, (s, flow, payload) -> got.add(text(payload)));

        small.send4(ipv4Udp(PEER4, OWN4, 40000, 7, utf8("a")));
        small.send4(ipv4Udp(PEER4, OWN4, 40001, 7, utf8("b")));
        Exchange third = small.send4(ipv4Udp(PEER4, OWN4, 40002, 7, utf8("c")));
        Exchange known = small.send4(ipv4Udp(PEER4, OWN4, 40000, 7, utf8("a again")));

        assertEquals(List.of("a", "b", "a again"), got);
        assertEquals(List.of(), third.sent(), "no ICMP error: the port is open");
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/delivered", "udp/flow-table-full"),
                third.moved());
        assertEquals(null, known.moved().get("udp/flow-table-full"), "existing flows go on");

        Exchange sendTo = small.observe(() -> assertFalse(socket.sendTo(small.iface().ipv4(), 0, v4("10.0.0.3"), 9,
                ByteBuffer.wrap(utf8("x")))));
        assertEquals(counts("udp/flow-table-full"), sendTo.moved());
    }

    @Test
    void statusListsTheOpenFlows() {
        bindEcho(7);
        UdpSocket client = bindRecorder(5000);
        send(V4, 40000, 7, "one");
        send(V4, 40000, 7, "two");
        stack.observe(() -> client.sendTo(stack.iface().ipv4(), 0, v4(PEER4), 53, ByteBuffer.wrap(utf8("q"))));
        stack.advance(Duration.ofMillis(2_500));

        List<UdpFlowStatus> status = new ArrayList<>(stack.udp().status());
        status.sort((a, b) -> a.local().compareTo(b.local()));

        long echoId = tap.flows().get(0).id();
        long clientId = tap.flows().get(1).id();
        assertEquals(List.of(
                new UdpFlowStatus("ipv4", "10.0.0.1:5000", "10.0.0.2:53", clientId, 1, 0, 2_500),
                new UdpFlowStatus("ipv4", "10.0.0.2:40000", "10.0.0.1:7", echoId, 2, 2, 2_500)), status);
    }

    // ------------------------------------------------------------------------------------ sockets

    @Test
    void bindingAPortTwiceThrowsAndSaysHowToFixIt() {
        bindEcho(7);

        IllegalStateException conflict = assertThrows(IllegalStateException.class,
                () -> stack.udp().bind(null, 0, 0, true, 7, (s, f, p) -> { }));

        assertTrue(conflict.getMessage().contains("UDP port 7 is already bound"), conflict.getMessage());
        assertTrue(conflict.getMessage().contains("close it first or pick another port"), conflict.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bindings")
    void bindingsConflictOnlyWhenTheyOverlap(String what, Binding first, Binding second, boolean conflicts) {
        first.bind(stack);
        if (conflicts) {
            assertThrows(IllegalStateException.class, () -> second.bind(stack));
        } else {
            second.bind(stack);
        }
    }

    /** A bind call: on which network (null for all), which address (null for every own one), which port. */
    record Binding(String network, String address, int port) {
        void bind(SingleStack on) {
            NetworkLayer layer = network == null ? null
                    : network.equals("ipv4") ? on.iface().ipv4() : on.iface().ipv6();
            long low = address == null ? 0 : v4(address);
            on.udp().bind(layer, 0, low, address == null, port, (s, f, p) -> { });
        }

        @Override
        public String toString() {
            return (network == null ? "any network" : network) + " " + (address == null ? "*" : address) + ":" + port;
        }
    }

    static Stream<Arguments> bindings() {
        return Stream.of(
                Arguments.of("same address and port", new Binding(null, OWN4, 7), new Binding(null, OWN4, 7), true),
                Arguments.of("every address, then one", new Binding(null, null, 7), new Binding(null, OWN4, 7), true),
                Arguments.of("one address, then every", new Binding(null, OWN4, 7), new Binding(null, null, 7), true),
                Arguments.of("two addresses", new Binding(null, OWN4, 7), new Binding(null, "10.0.0.5", 7), false),
                Arguments.of("two ports", new Binding(null, null, 7), new Binding(null, null, 8), false),
                Arguments.of("two networks", new Binding("ipv4", null, 7), new Binding("ipv6", null, 7), false),
                Arguments.of("one network, then all", new Binding("ipv4", null, 7), new Binding(null, null, 7), true));
    }

    @ParameterizedTest(name = "port {0}")
    @ValueSource(ints = { 0, -1, 65536 })
    void bindingAnImpossiblePortThrows(int port) {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> stack.udp().bind(null, 0, 0, true, port, (s, f, p) -> { }));
        assertTrue(bad.getMessage().contains("outside 1..65535"), bad.getMessage());
    }

    @Test
    void aSocketCannotSendOnANetworkItIsNotBoundTo() {
        UdpSocket v4Only = stack.udp().bind(stack.iface().ipv4(), 0, 0, true, 5000, (s, f, p) -> { });
        UdpSocket onAddress = stack.udp().bind(null, 0, v4(OWN4), false, 5001, (s, f, p) -> { });
        Ipv6Address peer = Ipv6Address.parse(PEER6);

        Exchange out = stack.observe(() -> {
            IllegalArgumentException network = assertThrows(IllegalArgumentException.class,
                    () -> v4Only.sendTo(stack.iface().ipv6(), peer.high(), peer.low(), 7, ByteBuffer.allocate(1)));
            assertTrue(network.getMessage().contains("bound to ipv4"), network.getMessage());
            IllegalArgumentException address = assertThrows(IllegalArgumentException.class,
                    () -> onAddress.sendTo(stack.iface().ipv6(), peer.high(), peer.low(), 7, ByteBuffer.allocate(1)));
            assertTrue(address.getMessage().contains("not an own ipv6 address"), address.getMessage());
        });

        assertEquals(List.of(), out.sent());
        assertEquals(counts(), out.moved());
    }

    @Test
    void closingASocketClosesItsFlowsAndFreesItsPort() {
        UdpSocket socket = bindEcho(7);
        send(V4, 40000, 7, "a");
        send(V4, 40001, 7, "b");

        Exchange closed = stack.observe(socket::close);

        assertEquals(counts("udp/flows-closed=2"), closed.moved());
        assertTrue(tap.flows().stream().allMatch(flow -> flow.closeCount() == 1));
        assertEquals(0, stack.udp().flowCount());
        Exchange after = send(V4, 40000, 7, "c");
        assertEquals(1L, after.moved().get("udp/no-listener"), "the port is closed: port unreachable");
        IllegalStateException reuse = assertThrows(IllegalStateException.class, () -> socket.sendTo(
                stack.iface().ipv4(), 0, v4(PEER4), 7, ByteBuffer.allocate(1)));
        assertTrue(reuse.getMessage().contains("closed; bind a new one"), reuse.getMessage());
        bindEcho(7);
        socket.close();
        assertEquals("c", payloadOf(send(V4, 40000, 7, "c").only()), "closing twice leaves the new socket alone");
    }

    // ------------------------------------------------------------------------------------ checks

    @Test
    void anIpv4DatagramWithoutChecksumIsAccepted() {
        bindRecorder(7);

        Exchange out = stack.send4(ipv4(PEER4, OWN4, 17, udpNoChecksum(40000, 7, utf8("no sum"))));

        assertEquals(List.of("no sum"), delivered);
        assertEquals(null, out.moved().get("udp/bad-checksum"));
    }

    @Test
    void bytesTrailingTheDatagramInTheIpPayloadAreIgnoredAndTheChecksumStillHolds() {
        bindRecorder(7);
        byte[] datagram = Packets.udp(Ipv4Address.parse(PEER4), Ipv4Address.parse(OWN4), 40000, 7, utf8("padded"));

        Exchange out = stack.send4(ipv4(PEER4, OWN4, 17, Packets.concat(datagram, bytes(5, 9))));

        assertEquals(List.of("padded"), delivered, "the checksum covers the datagram's own length (RFC 768)");
        assertEquals(null, out.moved().get("udp/bad-checksum"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Check.class)
    void aBrokenDatagramIsDroppedAndCountedByItsReason(Check check) {
        bindRecorder(7);

        Exchange out = stack.send4(check.packet());

        assertEquals(List.of(), delivered);
        assertEquals(List.of(), out.sent(), "no answer to a broken datagram");
        assertEquals(counts("interface/received", "ipv4/received", "ipv4/delivered", check.counter), out.moved());
    }

    /** Ways to break a datagram to port 7, and the counter each moves. */
    enum Check {
        BAD_CHECKSUM("udp/bad-checksum"),
        DESTINATION_PORT_ZERO("udp/bad-port"),
        LENGTH_BEYOND_PACKET("udp/malformed-bad-length"),
        LENGTH_BELOW_HEADER("udp/malformed-bad-length"),
        SHORTER_THAN_HEADER("udp/malformed-truncated");

        final String counter;

        Check(String counter) {
            this.counter = counter;
        }

        byte[] packet() {
            byte[] datagram = Packets.udp(Ipv4Address.parse(PEER4), Ipv4Address.parse(OWN4), 40000, 7, bytes(12, 1));
            switch (this) {
                case BAD_CHECKSUM -> datagram[8] ^= 0x55;
                case DESTINATION_PORT_ZERO -> datagram = Packets.udp(Ipv4Address.parse(PEER4),
                        Ipv4Address.parse(OWN4), 40000, 0, bytes(12, 1));
                case LENGTH_BEYOND_PACKET -> ByteBuffer.wrap(datagram).putShort(4, (short) 30);
                case LENGTH_BELOW_HEADER -> ByteBuffer.wrap(datagram).putShort(4, (short) 7);
                case SHORTER_THAN_HEADER -> datagram = Arrays.copyOf(datagram, 6);
                default -> throw new AssertionError(this);
            }
            return ipv4(PEER4, OWN4, 17, datagram);
        }
    }
}
