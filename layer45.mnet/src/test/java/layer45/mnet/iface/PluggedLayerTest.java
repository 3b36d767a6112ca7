package layer45.mnet.iface;

import static java.nio.charset.StandardCharsets.UTF_8;
import static layer45.mnet.testing.SingleStack.counts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import layer45.api.NetworkProtocol;
import layer45.mnet.NetworkHeader;
import layer45.mnet.NetworkProtocolHandler;
import layer45.mnet.phy.Device;
import layer45.mnet.phy.ForwardingDevice;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.phy.TxWriter;
import layer45.mnet.socket.udp.UdpSocket;
import layer45.mnet.testing.Netsim;
import layer45.mnet.testing.Packets;
import layer45.mnet.testing.RecordingTap;
import layer45.mnet.testing.SingleStack;
import layer45.mnet.testing.SingleStack.Exchange;
import layer45.mnet.testing.TestStack;
import layer45.mnet.testing.ToyProtocol;
import layer45.mnet.time.ManualClock;
import layer45.mnet.wire.Checksum;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv6Address;
import layer45.mnet.wire.UdpPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A network protocol plugged in through {@link NetworkProtocolHandler}: two stacks speak UDP over it, routes pick
 * it, its handler's failures are contained, and it can be unplugged.
 */
class PluggedLayerTest {

    private static final Ipv6Address A = Ipv6Address.parse("fd4d::1");
    private static final Ipv6Address B = Ipv6Address.parse("fd4d::2");
    private static final IpCidr PREFIX = IpCidr.parse("fd4d::/16");

    /** Remembers the link protocol of every packet a device transmits. */
    private static final class WatchedDevice extends ForwardingDevice {
        final List<Integer> transmitted = new ArrayList<>();
        final List<byte[]> packets = new ArrayList<>();

        WatchedDevice(Device inner) {
            super(inner);
        }

        @Override
        public boolean transmit(int protocol, int length, TxWriter writer) {
            return inner.transmit(protocol, length, buffer -> {
                writer.write(buffer);
                byte[] copy = new byte[length];
                buffer.get(0, copy);
                packets.add(copy);
                transmitted.add(protocol);
            });
        }
    }

    private static byte[] toyUdp(Ipv6Address src, Ipv6Address dst, int srcPort, int dstPort, String payload) {
        return ToyProtocol.frame(src, dst, IpProtocol.UDP, Packets.udp(src, dst, srcPort, dstPort,
                payload.getBytes(UTF_8)));
    }

    @Test
    void twoStacksExchangeUdpOverAPluggedInProtocol() {
        ManualClock clock = new ManualClock();
        MemoryLink link = MemoryLink.create(MemoryLinkOptions.defaults("toy"), clock);
        WatchedDevice wireA = new WatchedDevice(link.a());
        RecordingTap tapB = new RecordingTap();
        TestStack a = new TestStack(wireA, clock, () -> null, false, "10.0.0.1/24", "fd00::1/64");
        TestStack b = new TestStack(link.b(), clock, () -> tapB, false, "10.0.0.2/24", "fd00::2/64");
        ToyProtocol toyA = new ToyProtocol();
        ToyProtocol toyB = new ToyProtocol();
        PluggedLayer layerA = a.iface().plug(toyA, List.of(A), List.of(PREFIX));
        b.iface().plug(toyB, List.of(B), List.of(PREFIX));
        b.udp().bind(null, 0, 0, true, 7, (socket, flow, payload) -> flow.send(payload));
        List<String> answers = new ArrayList<>();
        UdpSocket client = a.udp().bind(null, 0, 0, true, 5000, (socket, flow, payload) -> {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(payload.position(), bytes);
            answers.add(new String(bytes, UTF_8));
        });

        NetworkLayer route = a.iface().routes().lookup(B);
        assertSame(layerA, route, "the longest prefix, fd4d::/16, picks the plugged-in protocol");
        assertSame(a.iface().ipv6(), a.iface().routes().lookup(Ipv6Address.parse("fd00::2")));
        assertSame(a.iface().ipv4(), a.iface().routes().lookup(Ipv4Address.parse("10.0.0.2")));
        assertTrue(client.sendTo(route, B.high(), B.low(), 7, ByteBuffer.wrap("over toy".getBytes(UTF_8))));
        new Netsim(clock, a.iface(), b.iface()).runUntil(() -> !answers.isEmpty(), TimeUnit.SECONDS.toNanos(1));

        assertEquals(List.of("over toy"), answers);
        assertEquals(List.of(LinkProtocol.EXPERIMENTAL_1), wireA.transmitted);
        byte[] sent = wireA.packets.getFirst();
        ByteBuffer udp = ByteBuffer.wrap(sent, ToyProtocol.HEADER, sent.length - ToyProtocol.HEADER).slice();
        assertTrue(new UdpPacket().wrap(udp).verifyChecksum(Checksum.pseudoHeaderV6(A.high(), A.low(), B.high(),
                B.low(), IpProtocol.UDP, udp.remaining())), "UDP checksum over the IPv6-style pseudo-header");
        NetworkProtocol toy = new NetworkProtocol("toy");
        assertEquals(toy, tapB.flows().getFirst().info().network());
        assertEquals(new InetSocketAddress(A.toInetAddress(), 5000), tapB.flows().getFirst().info().local());
        assertEquals(new InetSocketAddress(B.toInetAddress(), 7), tapB.flows().getFirst().info().remote());
        assertEquals(List.of("SEND:over toy", "RECV:over toy"), tapB.chunkLog());
        assertEquals(1L, a.iface().counters().get("toy").get("sent"));
        assertEquals(1L, a.iface().counters().get("toy").get("delivered"));
        assertEquals(1L, b.iface().counters().get("toy").get("received"));
        assertEquals(1L, b.iface().counters().get("toy").get("sent"));
        assertEquals("toy", b.udp().status().getFirst().network());
        assertEquals(List.of("ipv4", "ipv6", "toy"), a.iface().layers().stream().map(l -> l.protocol().name())
                .toList());
    }

    private final SingleStack stack = SingleStack.builder().build();
    private final ToyProtocol toy = new ToyProtocol();
    private final List<String> received = new ArrayList<>();

    private PluggedLayer plugWithEcho() {
        PluggedLayer layer = stack.iface().plug(toy, List.of(A), List.of(PREFIX));
        stack.udp().bind(null, 0, 0, true, 7, (socket, flow, payload) -> {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(payload.position(), bytes);
            received.add(new String(bytes, UTF_8));
            flow.send(payload);
        });
        return layer;
    }

    private Exchange sendToy(byte[] frame) {
        return stack.exchange(LinkProtocol.EXPERIMENTAL_1, frame);
    }

    @Test
    void aHandlerThatThrowsFromParseIsCountedAndTheStackGoesOn() {
        plugWithEcho();
        toy.failParse = true;

        Exchange failed = sendToy(toyUdp(B, A, 40000, 7, "first"));

        assertEquals(List.of(), failed.sent());
        assertEquals(counts("interface/received", "interface/handler-failed", "toy/handler-failed"),
                failed.moved());
        Exchange ping = stack.send4(Packets.ipv4Echo("10.0.0.2", "10.0.0.1", 1, 1, new byte[8]));
        assertEquals(1, ping.sent().size(), "the other protocols are unaffected");

        toy.failParse = false;
        Exchange next = sendToy(toyUdp(B, A, 40000, 7, "second"));
        assertEquals(List.of("second"), received);
        assertEquals(1, next.sent().size());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "emit", "headerLength" })
    void aHandlerThatThrowsWhileSendingIsCountedAndTheStackGoesOn(String call) {
        plugWithEcho();
        if (call.equals("emit")) {
            toy.failEmit = true;
        } else {
            toy.failHeaderLength = true;
        }

        Exchange failed = sendToy(toyUdp(B, A, 40000, 7, "first"));

        assertEquals(List.of(), failed.sent(), "no half-written packet");
        assertEquals(List.of("first"), received);
        assertEquals(1L, failed.moved().get("toy/handler-failed"));
        assertEquals(1L, failed.moved().get("interface/handler-failed"));
        assertEquals(1L, failed.moved().get("udp/send-failed"));
        assertEquals(null, failed.moved().get("interface/internal-error"));

        toy.failEmit = false;
        toy.failHeaderLength = false;
        assertEquals(1, sendToy(toyUdp(B, A, 40000, 7, "second")).sent().size());
    }

    @Test
    void aReasonTheHandlerGivesIsCountedUnderItsName() {
        plugWithEcho();
        byte[] frame = toyUdp(B, A, 40000, 7, "x");
        frame[0] = 0;

        Exchange out = sendToy(frame);

        assertEquals(counts("interface/received", "toy/bad-magic"), out.moved());
    }

    @Test
    void packetsNotForTheStackOrWithoutTransportAreCounted() {
        plugWithEcho();
        Ipv6Address elsewhere = Ipv6Address.parse("fd4d::99");

        assertEquals(counts("interface/received", "toy/received", "toy/not-for-us"),
                sendToy(toyUdp(B, elsewhere, 40000, 7, "x")).moved());
        assertEquals(counts("interface/received", "toy/received", "toy/unknown-transport"),
                sendToy(ToyProtocol.frame(B, A, 253, new byte[8])).moved());
        Exchange closed = sendToy(toyUdp(B, A, 40000, 9, "x"));
        assertEquals(List.of(), closed.sent(), "no ICMP over a plugged-in protocol");
        assertEquals(counts("interface/received", "toy/received", "toy/delivered", "udp/no-listener",
                "toy/port-unreachable"), closed.moved());
    }

    @Test
    void aTransportPacketLargerThanTheMtuIsCountedAndNotSent() {
        PluggedLayer layer = plugWithEcho();
        UdpSocket socket = stack.udp().bind(null, 0, 0, true, 5000, (s, f, p) -> { });
        int fits = 1500 - ToyProtocol.HEADER - 8;
        assertEquals(1500 - ToyProtocol.HEADER, layer.maxTransportLength());

        assertEquals(1, stack.observe(() -> assertTrue(socket.sendTo(layer, B.high(), B.low(), 7,
                ByteBuffer.allocate(fits)))).sent().size());
        Exchange tooLarge = stack.observe(() -> assertFalse(socket.sendTo(layer, B.high(), B.low(), 7,
                ByteBuffer.allocate(fits + 1))));

        assertEquals(List.of(), tooLarge.sent());
        assertEquals(counts("toy/too-large-to-send", "udp/send-failed"), tooLarge.moved());
    }

    @Test
    void unpluggingRemovesTheProtocolAndItsRoutes() {
        PluggedLayer layer = plugWithEcho();
        assertSame(layer, stack.iface().routes().lookup(B));

        assertTrue(stack.iface().unplug(toy));

        assertSame(stack.iface().ipv6(), stack.iface().routes().lookup(B), "back to the IPv6 default route");
        assertTrue(stack.iface().routes().all().stream().noneMatch(route -> route.layer() == layer));
        assertNull(stack.iface().layerFor(LinkProtocol.EXPERIMENTAL_1));
        assertFalse(stack.iface().counters().containsKey("toy"));
        assertEquals(counts("interface/received", "interface/unknown-protocol"),
                sendToy(toyUdp(B, A, 40000, 7, "x")).moved());
        assertFalse(stack.iface().unplug(toy), "unplugging twice is harmless");
        stack.iface().plug(toy, List.of(A), List.of(PREFIX));
        assertInstanceOf(PluggedLayer.class, stack.iface().routes().lookup(B), "and it can come back");
    }

    @Test
    void pluggingASecondHandlerWithTheSameLinkProtocolThrows() {
        plugWithEcho();

        IllegalStateException taken = assertThrows(IllegalStateException.class,
                () -> stack.iface().plug(new ToyProtocol(), List.of(B), List.of()));

        assertTrue(taken.getMessage().contains("0x88b5"), taken.getMessage());
        assertTrue(taken.getMessage().contains("toy already uses"), taken.getMessage());
        assertEquals(1, stack.iface().layers().size() - 2, "the first one stays");
    }

    @ParameterizedTest(name = "link protocol {0}")
    @ValueSource(ints = { LinkProtocol.IPV4, LinkProtocol.IPV6 })
    void pluggingAHandlerOverABuiltInProtocolThrows(int linkProtocol) {
        assertThrows(IllegalStateException.class,
                () -> stack.iface().plug(new ToyProtocol(linkProtocol), List.of(A), List.of(PREFIX)));
        assertSame(stack.iface().ipv6(), stack.iface().routes().lookup(B));
    }

    @Test
    void flowsOverAPluggedProtocolIdleOutLikeAnyOther() {
        SingleStack idle = SingleStack.builder().udp(8, Duration.ofSeconds(2)).build();
        idle.iface().plug(toy, List.of(A), List.of(PREFIX));
        idle.udp().bind(null, 0, 0, true, 7, (s, f, p) -> { });
        idle.exchange(LinkProtocol.EXPERIMENTAL_1, toyUdp(B, A, 40000, 7, "x"));
        assertEquals(1, idle.udp().flowCount());

        assertEquals(counts("udp/flows-idle"), idle.advance(Duration.ofSeconds(3)).moved());
    }
}
