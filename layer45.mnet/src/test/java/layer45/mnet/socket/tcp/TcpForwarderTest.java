package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import layer45.mnet.iface.Unreachable;
import layer45.mnet.wire.TcpPacket;
import layer45.mnet.wire.TcpRepr;
import layer45.mnet.socket.tcp.TcpTestbed.Segment;
import org.junit.jupiter.api.Test;

/**
 * A SYN no listener takes is held for the forwarder (a relay) until it knows how the real destination answered,
 * and the application then sees that answer: a handshake, a RST, or an ICMP error.
 */
class TcpForwarderTest {

    private static final int PORT = 8080;

    private final TcpFakePeer net = new TcpFakePeer(TcpSettings.DEFAULTS);
    private final List<TcpConnectRequest> held = new ArrayList<>();

    TcpForwarderTest() {
        net.tcp.forwarder(request -> held.add(request));
    }

    private static TcpRepr syn(int port, int seq) {
        return TcpRepr.of(port, PORT, seq, 0, TcpPacket.SYN, 65535, 0);
    }

    @Test
    void theSynWaitsUnansweredAndAnAcceptCompletesTheHandshake() {
        assertEquals(List.of(), net.exchange(syn(4001, 100)), "nothing until the relay knows");
        assertEquals(1, held.size());
        assertEquals(PORT, held.getFirst().destination().getPort());
        assertEquals(4001, held.getFirst().application().getPort());
        assertEquals(List.of(), net.exchange(syn(4001, 100)), "a repeated SYN is not answered either");
        assertEquals(1, held.size(), "nor offered again");
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.RELAY_SYN_REPEATED));

        RecordingHandler handler = new RecordingHandler();
        held.getFirst().accept(handler);
        List<Segment> synAck = net.poll();
        assertEquals(1, synAck.size(), synAck.toString());
        assertTrue(synAck.getFirst().syn() && synAck.getFirst().ack());
        assertEquals(101, synAck.getFirst().ackNumber());

        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        net.exchange(TcpRepr.of(4001, PORT, 101, synAck.getFirst().seq() + 1, TcpPacket.ACK, 65535, 0));
        net.exchange(TcpRepr.of(4001, PORT, 101, synAck.getFirst().seq() + 1, TcpPacket.ACK | TcpPacket.PSH, 65535,
                hello.length), hello);
        assertTrue(handler.events.contains("opened"), handler.events.toString());
        assertEquals("hello", new String(handler.bytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void aRefusalResetsTheApplicationsAttempt() {
        net.exchange(syn(4002, 500));
        held.getFirst().refuse();
        List<Segment> rst = net.poll();
        assertEquals(1, rst.size(), rst.toString());
        assertTrue(rst.getFirst().rst() && rst.getFirst().ack());
        assertEquals(501, rst.getFirst().ackNumber(), "the RST acknowledges the SYN, so connect() says refused");
        assertEquals(0, net.tcp.connectionCount());
    }

    @Test
    void anUnreachableDestinationIsReportedWithIcmpQuotingTheSyn() {
        net.exchange(syn(4003, 700));
        held.getFirst().unreachable(Unreachable.HOST);
        net.iface.poll(64);
        net.tcp.maintain();
        List<byte[]> packets = net.far.drain().stream().map(p -> p.bytes()).toList();
        assertEquals(1, packets.size());
        byte[] icmp = packets.getFirst();
        assertEquals(1, icmp[9], "ICMP");
        assertEquals(3, icmp[20], "destination unreachable");
        assertEquals(1, icmp[21], "host unreachable");
        int quotedPorts = 28 + 20; // after the ICMP header, the quoted IPv4 header, then the TCP ports
        assertEquals(4003, ((icmp[quotedPorts] & 0xFF) << 8) | (icmp[quotedPorts + 1] & 0xFF));
        assertEquals(PORT, ((icmp[quotedPorts + 2] & 0xFF) << 8) | (icmp[quotedPorts + 3] & 0xFF));
        assertEquals(0, net.tcp.connectionCount());
    }

    @Test
    void anApplicationThatGivesUpCancelsTheRequestAndALateAcceptIsIgnored() {
        net.exchange(syn(4004, 900));
        AtomicInteger cancelled = new AtomicInteger();
        held.getFirst().whenCancelled(cancelled::incrementAndGet);
        assertEquals(List.of(), net.exchange(TcpRepr.of(4004, PORT, 901, 0, TcpPacket.RST, 0, 0)));
        assertEquals(1, cancelled.get());
        assertTrue(held.getFirst().cancelled());
        held.getFirst().accept(new RecordingHandler());
        assertEquals(List.of(), net.poll(), "no SYN-ACK for an attempt that is gone");
        assertEquals(0, net.tcp.connectionCount());
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.RELAY_CANCELLED));
    }

    @Test
    void aForwarderThatDeclinesAtOnceResetsAConnectionToAnOwnAddress() {
        net.tcp.forwarder(request -> false);
        List<Segment> rst = net.exchange(syn(4005, 1100));
        assertEquals(1, rst.size(), rst.toString());
        assertTrue(rst.getFirst().rst());
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.RELAY_REFUSED));
    }

    @Test
    void aHandshakeThatNeverCompletesTellsTheRelaysHandler() {
        net.exchange(syn(4006, 1300));
        RecordingHandler handler = new RecordingHandler();
        held.getFirst().accept(handler);
        assertTrue(net.poll().getFirst().syn());
        net.advance(600 * TcpTestbed.SECOND);
        assertFalse(handler.events.contains("opened"));
        assertNotNull(handler.events.stream().filter(e -> e.startsWith("closed")).findFirst().orElse(null),
                "the relay hears of it, to close its host socket: " + handler.events);
        assertEquals(0, net.tcp.connectionCount());
    }

    @Test
    void heldSynsAreBounded() {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.synBacklog = 2;
        TcpFakePeer small = new TcpFakePeer(k.build());
        List<TcpConnectRequest> requests = new ArrayList<>();
        small.tcp.forwarder(requests::add);
        small.exchange(syn(5001, 1));
        small.exchange(syn(5002, 1));
        small.exchange(syn(5003, 1));
        assertEquals(2, requests.size());
        assertEquals(1, TcpTestbed.count(small.tcp, TcpEvent.RELAY_QUEUE_FULL));
    }

    /**
     * A SYN the memory budget cannot take is refused at once, before the relay hears of it (so the host is never
     * connected): the application's connect() sees a refusal, and the refusal is counted. Held SYNs reserve their
     * minimum, and give it back whatever the answer.
     */
    @Test
    void aSynPastTheMemoryBudgetIsRefusedBeforeTheRelayConnects() {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.sendBuffer = 64 * 1024;
        k.receiveBuffer = 64 * 1024;
        k.memoryLimit = 4 * TcpLayer.MINIMUM_BYTES;
        TcpFakePeer small = new TcpFakePeer(k.build());
        List<TcpConnectRequest> offered = new ArrayList<>();
        small.tcp.forwarder(offered::add);
        for (int i = 0; i < 4; i++) {
            assertEquals(List.of(), small.exchange(syn(4001 + i, 100)), "held for the relay");
        }
        assertEquals(4 * TcpLayer.MINIMUM_BYTES, small.tcp.memoryUsed(), "each held SYN reserved its minimum");
        List<Segment> refused = small.exchange(syn(4005, 900));
        assertEquals(1, refused.size(), refused.toString());
        assertTrue(refused.getFirst().rst() && refused.getFirst().ack(), "refused at the SYN: " + refused);
        assertEquals(901, refused.getFirst().ackNumber(), "the RST acknowledges the SYN, so connect() says refused");
        assertEquals(4, offered.size(), "the relay never heard of the fifth: no host connection was made for it");
        assertEquals(1, TcpTestbed.count(small.tcp, TcpEvent.MEMORY_LIMIT));

        offered.get(0).refuse();
        offered.get(1).unreachable(Unreachable.HOST);
        offered.get(2).accept(new RecordingHandler());
        small.poll();
        assertEquals(2 * TcpLayer.MINIMUM_BYTES, small.tcp.memoryUsed(),
                "answered refusals gave their minimum back; the accepted one keeps it, the unanswered one too");
        assertEquals(List.of(), small.exchange(syn(4006, 100)), "room again: held for the relay");
        assertEquals(5, offered.size());
    }
}
