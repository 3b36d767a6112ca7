package layer45.mnet.socket.tcp;

import static layer45.mnet.socket.tcp.TcpTestbed.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import layer45.mnet.socket.tcp.TcpTestbed.Segment;
import layer45.mnet.wire.TcpPacket;
import layer45.mnet.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** The stack's bounds: half-open connections per listener, refusals by the acceptor, buffer memory, table size. */
class TcpLimitsTest {

    private static TcpRepr syn(int port, int seq) {
        return TcpRepr.of(port, 80, seq, 0, TcpPacket.SYN, 65535, 0);
    }

    private static Segment only(List<Segment> sent) {
        assertEquals(1, sent.size(), sent.toString());
        return sent.get(0);
    }

    /** Beyond synBacklog half-open connections, SYNs are dropped silently (the peer retries) and counted. */
    @Test
    void aFullSynBacklogDropsSyns() {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.synBacklog = 2;
        TcpFakePeer net = new TcpFakePeer(k.build());
        TcpListener listener = net.tcp.listen(null, 0, 0, true, 80, conn -> new RecordingHandler());
        Segment first = only(net.exchange(syn(4001, 100)));
        only(net.exchange(syn(4002, 200)));
        assertEquals(List.of(), net.exchange(syn(4003, 300)), "dropped, not reset");
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.SYN_QUEUE_FULL));
        assertEquals(2, listener.halfOpen());
        assertEquals(2, net.tcp.connectionCount());
        // one handshake completes: room for another
        net.exchange(TcpRepr.of(4001, 80, 101, first.seq() + 1, TcpPacket.ACK, 65535, 0));
        assertEquals(1, listener.halfOpen());
        Segment later = only(net.exchange(syn(4003, 300)));
        assertTrue(later.syn() && later.ack());
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.SYN_QUEUE_FULL));
        assertEquals(3 * TcpLayer.MINIMUM_BYTES, net.tcp.memoryUsed(), "each connection's minimum, reserved at its SYN");
        assertEquals(0, net.tcp.memoryHeld(), "no page while no byte is held");
    }

    /** A half-open connection whose peer never answers gives up after synRetries and leaves its backlog slot. */
    @Test
    void aHalfOpenConnectionTimesOutOfTheBacklog() {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.synBacklog = 1;
        k.synRetries = 2;
        TcpFakePeer net = new TcpFakePeer(k.build());
        TcpListener listener = net.tcp.listen(null, 0, 0, true, 80, conn -> new RecordingHandler());
        only(net.exchange(syn(4001, 100)));
        List<Segment> retries = net.advance(30 * SECOND);
        assertEquals(2, retries.size(), retries.toString());
        assertEquals(0, listener.halfOpen());
        assertEquals(0, net.tcp.connectionCount());
        assertEquals(0, net.tcp.timerCount());
        assertTrue(only(net.exchange(syn(4002, 200))).syn());
    }

    /** An acceptor that returns no handler refuses the connection: it is reset. */
    @Test
    void anAcceptorRefusalResets() {
        TcpFakePeer net = new TcpFakePeer(TcpSettings.DEFAULTS);
        net.tcp.listen(null, 0, 0, true, 80, conn -> null);
        Segment synAck = only(net.exchange(syn(4001, 100)));
        Segment rst = only(net.exchange(TcpRepr.of(4001, 80, 101, synAck.seq() + 1, TcpPacket.ACK, 65535, 0)));
        assertTrue(rst.rst());
        assertEquals(synAck.seq() + 1, rst.seq());
        assertEquals(0, net.tcp.connectionCount());
        assertEquals(0, net.tcp.memoryUsed());
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.CONNECTIONS_ABORTED));
    }

    /**
     * The memory limit, for a listener in the stack: a SYN whose minimum the budget cannot take is answered with RST
     * at once (no SYN-ACK, no handshake), an active open is refused, both are counted as memory-limit, and a
     * connection that closes makes room again.
     */
    @Test
    void theMemoryLimitRefusesConnectionsAtTheSyn() {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.sendBuffer = 64 * 1024;
        k.receiveBuffer = 64 * 1024;
        k.memoryLimit = 4 * TcpLayer.MINIMUM_BYTES; // 128 KiB: the minimums of four connections
        TcpFakePeer net = new TcpFakePeer(k.build());
        TcpConnection[] accepted = new TcpConnection[1];
        net.tcp.listen(null, 0, 0, true, 80, TcpTestbed.keeping(accepted, new RecordingHandler()));
        for (int i = 0; i < 4; i++) {
            Segment synAck = only(net.exchange(syn(4001 + i, 100)));
            assertTrue(synAck.syn() && synAck.ack());
            assertEquals(List.of(), net.exchange(TcpRepr.of(4001 + i, 80, 101, synAck.seq() + 1, TcpPacket.ACK,
                    65535, 0)));
        }
        Segment refused = only(net.exchange(syn(4005, 500)));
        assertTrue(refused.rst() && refused.ack() && !refused.syn(), "the fifth SYN is answered with RST: " + refused);
        assertEquals(501, refused.ackNumber());
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.MEMORY_LIMIT));
        assertEquals(4, net.tcp.connectionCount());
        assertEquals(4 * TcpLayer.MINIMUM_BYTES, net.tcp.memoryUsed());
        assertEquals(0, net.tcp.memoryHeld(), "idle connections hold no buffer page");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> net.tcp.connect(net.iface.ipv4(), 0, TcpFakePeer.PEER_V4, 9, new RecordingHandler()));
        assertTrue(e.getMessage().contains("memory"), e.getMessage());
        assertEquals(2, TcpTestbed.count(net.tcp, TcpEvent.MEMORY_LIMIT));
        assertEquals(4 * TcpLayer.MINIMUM_BYTES, net.tcp.memoryUsed(), "a refusal reserves nothing");
        accepted[0].abort("test: making room");
        net.poll();
        assertTrue(only(net.exchange(syn(4006, 600))).syn(), "a closed connection's minimum is back");
    }

    /**
     * A full connection table: a SYN is answered with RST, an active open throws, both are counted, and a refused
     * active open leaves no memory reserved behind.
     */
    @Test
    void aFullConnectionTableRefuses() {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.maxConnections = 2;
        TcpFakePeer net = new TcpFakePeer(k.build());
        net.tcp.listen(null, 0, 0, true, 80, conn -> new RecordingHandler());
        net.tcp.connect(net.iface.ipv4(), 0, TcpFakePeer.PEER_V4, 9, new RecordingHandler());
        only(net.poll());
        assertTrue(only(net.exchange(syn(4001, 100))).syn());
        Segment rst = only(net.exchange(syn(4002, 200)));
        assertTrue(rst.rst() && rst.ack());
        assertEquals(201, rst.ackNumber());
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.CONNECTION_TABLE_FULL));
        long before = net.tcp.memoryUsed();
        for (int i = 0; i < 5; i++) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> net.tcp.connect(net.iface.ipv4(), 0, TcpFakePeer.PEER_V4, 9, new RecordingHandler()));
            assertTrue(e.getMessage().contains("table is full"), e.getMessage());
        }
        assertEquals(6, TcpTestbed.count(net.tcp, TcpEvent.CONNECTION_TABLE_FULL));
        assertEquals(before, net.tcp.memoryUsed(), "refused opens reserve nothing");
        assertEquals(2, net.tcp.connectionCount());
    }
}
