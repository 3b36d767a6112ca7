package layer45.mnet.socket.tcp;

import static layer45.mnet.socket.tcp.TcpTestbed.A_V4;
import static layer45.mnet.socket.tcp.TcpTestbed.B_V4;
import static layer45.mnet.socket.tcp.TcpTestbed.MS;
import static layer45.mnet.socket.tcp.TcpTestbed.SECOND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.phy.FaultOptions;
import layer45.mnet.socket.tcp.TcpTestbed.Segment;
import layer45.mnet.testing.Packets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every way a connection ends, between two stacks 1 ms apart (RFC 9293 section 3.6). */
class TcpCloseTest {

    private static final Duration TIME_WAIT = Duration.ofSeconds(10);
    private static final Duration FIN_WAIT_2 = Duration.ofSeconds(5);

    private final TcpTestbed bed;
    private final RecordingHandler client = new RecordingHandler();
    private final RecordingHandler server = new RecordingHandler();
    private TcpConnection a;
    private TcpConnection b;

    TcpCloseTest() {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.timeWait = TIME_WAIT;
        k.finWait2Timeout = FIN_WAIT_2;
        bed = new TcpTestbed(k.build(), FaultOptions.NONE.withDelayNanos(MS));
        bed.wireA.recording = true;
        bed.wireB.recording = true;
    }

    /** Opens A to B's port 7; {@link #a} and {@link #b} are its two ends. */
    private void open() {
        TcpTestbed.Ends ends = bed.openAtoB(7, client, server);
        a = ends.a();
        b = ends.b();
    }

    private boolean both(TcpState sa, TcpState sb) {
        return a.state() == sa && b.state() == sb;
    }

    private void assertClean() {
        assertEquals(0, bed.a.connectionCount());
        assertEquals(0, bed.b.connectionCount());
        assertEquals(0, bed.a.memoryUsed());
        assertEquals(0, bed.b.memoryUsed());
        assertEquals(0, bed.a.timerCount());
        assertEquals(0, bed.b.timerCount());
    }

    private static long count(List<Segment> segments, java.util.function.Predicate<Segment> what) {
        return segments.stream().filter(what).count();
    }

    /** A closes first (active close) and waits in TIME_WAIT; B follows (passive close) and is gone at once. */
    @Test
    void activeAndPassiveClose() {
        open();
        server.closeOnFinish = true;
        client.send(Packets.bytes(5000, 1));
        client.finish();
        bed.a.flush();
        assertTrue(bed.runUntil(() -> a.state() == TcpState.TIME_WAIT && b.state() == TcpState.CLOSED, SECOND),
                a + " / " + b);
        assertArrayEquals(Packets.bytes(5000, 1), server.bytes());
        assertEquals("closed", client.closedReason, "the user hears of TIME_WAIT as closed");
        assertEquals("closed", server.closedReason);
        assertEquals(1, bed.a.connectionCount());
        assertEquals(0, bed.a.memoryUsed(), "TIME_WAIT holds no buffers");
        assertEquals(1, count(bed.wireA.take(), Segment::fin));
        assertEquals(1, count(bed.wireB.take(), Segment::fin));
        assertClean(bed, false);
        bed.run(TIME_WAIT.toNanos() + MS);
        assertClean();
        assertEquals(1, TcpTestbed.count(bed.a, TcpEvent.CONNECTIONS_CLOSED));
        assertEquals(1, TcpTestbed.count(bed.b, TcpEvent.CONNECTIONS_CLOSED));
        assertEquals(0, bed.a.memoryHeld(), "every buffer page went back");
        assertEquals(0, bed.b.memoryHeld());

        TcpConnection again = bed.connectAtoB(7, new RecordingHandler());
        assertTrue(bed.runUntil(() -> again.state() == TcpState.ESTABLISHED, SECOND));
        assertEquals(bed.a.settings().sendBuffer(), again.writable(),
                "a connection after one that passed TIME_WAIT gets buffers of full size, not its stand-ins");
    }

    private void assertClean(TcpTestbed t, boolean all) {
        assertEquals(0, t.b.connectionCount());
        assertEquals(0, t.b.memoryUsed());
        if (all) {
            assertClean();
        }
    }

    /** B (the server) closes first: it waits in TIME_WAIT; A goes CLOSE_WAIT, LAST_ACK, CLOSED. */
    @Test
    void theServerClosesFirst() {
        open();
        client.closeOnFinish = true;
        server.send(Packets.bytes(3000, 2));
        server.finish();
        bed.b.flush();
        assertTrue(bed.runUntil(() -> both(TcpState.CLOSED, TcpState.TIME_WAIT), SECOND), a + " / " + b);
        assertArrayEquals(Packets.bytes(3000, 2), client.bytes());
        assertEquals(0, bed.a.connectionCount());
        assertEquals(1, bed.b.connectionCount());
        bed.run(TIME_WAIT.toNanos() + MS);
        assertClean();
    }

    /**
     * Both finish at the same instant: the FINs cross, each side sees the other's FIN before the ACK of its own
     * (FIN_WAIT_1 to CLOSING), and both end in TIME_WAIT (RFC 9293 figure 13).
     */
    @Test
    void simultaneousClose() {
        open();
        client.events.clear();
        a.shutdownOutput();
        b.shutdownOutput();
        assertTrue(both(TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_1));
        bed.a.flush();
        bed.b.flush();
        assertTrue(bed.runUntil(() -> both(TcpState.CLOSING, TcpState.CLOSING), 10 * MS), a + " / " + b);
        assertTrue(bed.runUntil(() -> both(TcpState.TIME_WAIT, TcpState.TIME_WAIT), 10 * MS), a + " / " + b);
        assertEquals("closed", client.closedReason);
        assertEquals("closed", server.closedReason);
        assertEquals(0, bed.a.memoryUsed());
        assertEquals(0, bed.b.memoryUsed());
        bed.run(TIME_WAIT.toNanos() + MS);
        assertClean();
        assertEquals(0, TcpTestbed.count(bed.a, TcpEvent.RESETS_SENT) + TcpTestbed.count(bed.b, TcpEvent.RESETS_SENT));
    }

    /** A finishes after a short request; B keeps sending megabytes, then finishes: a half-close works both ways. */
    @Test
    void halfClose() {
        open();
        client.send("GET".getBytes());
        client.finish();
        bed.a.flush();
        assertTrue(bed.runUntil(() -> both(TcpState.FIN_WAIT_2, TcpState.CLOSE_WAIT), SECOND), a + " / " + b);
        assertTrue(b.finished() || server.bytes().length == 3);
        byte[] big = Packets.bytes(8 << 20, 3);
        server.send(big);
        server.finish();
        bed.b.flush();
        long[] sawFinWait2While = new long[1];
        assertTrue(bed.runUntil(() -> {
            if (a.state() == TcpState.FIN_WAIT_2 && client.received.size() > 0 && client.received.size() < big.length) {
                sawFinWait2While[0]++;
            }
            return client.closedReason != null && server.closedReason != null;
        }, 60 * SECOND), a + " / " + b);
        assertTrue(sawFinWait2While[0] > 0, "A read data in FIN_WAIT_2");
        assertEquals(big.length, client.bytes().length);
        assertArrayEquals(big, client.bytes());
        assertEquals("GET", new String(server.bytes()));
        assertEquals("closed", client.closedReason);
        assertEquals("closed", server.closedReason);
        assertEquals(TcpState.TIME_WAIT, a.state());
        assertEquals(TcpState.CLOSED, b.state());
    }

    /** Closing with unread data resets the connection, so the peer learns it was not read (RFC 9293 3.10.4). */
    @Test
    void closingWithUnreadDataResets() {
        open();
        server.reading = false;
        client.send(Packets.bytes(1000, 4));
        bed.a.flush();
        assertTrue(bed.runUntil(() -> b.readable() == 1000, SECOND));
        b.close();
        assertEquals(TcpState.CLOSED, b.state());
        bed.b.flush();
        assertTrue(bed.runUntil(() -> client.closedReason != null, SECOND));
        assertEquals("connection reset by peer", client.closedReason);
        assertEquals("closed with unread data", server.closedReason);
        List<Segment> rst = bed.wireB.take().stream().filter(Segment::rst).toList();
        assertEquals(1, rst.size());
        assertEquals(1, TcpTestbed.count(bed.a, TcpEvent.RESETS_RECEIVED));
        assertClean();
    }

    /** Data arriving after the application closed both directions resets the connection too. */
    @Test
    void dataAfterCloseResets() {
        open();
        b.close();
        bed.b.flush();
        assertTrue(bed.runUntil(() -> a.state() == TcpState.CLOSE_WAIT && b.state() == TcpState.FIN_WAIT_2,
                SECOND));
        client.send(Packets.bytes(100, 5));
        bed.a.flush();
        assertTrue(bed.runUntil(() -> client.closedReason != null, SECOND), a + " / " + b);
        assertEquals("connection reset by peer", client.closedReason);
        assertTrue(server.closedReason.contains("data arrived after the application closed"), server.closedReason);
        assertClean();
    }

    /** abort() sends RST: the peer's user hears "connection reset by peer". */
    @Test
    void abortResetsThePeer() {
        open();
        client.send(Packets.bytes(10_000, 6));
        bed.a.flush();
        bed.run(2 * MS);
        a.abort("the test says so");
        assertEquals(TcpState.CLOSED, a.state());
        bed.a.flush();
        assertEquals("the test says so", client.closedReason);
        assertTrue(bed.runUntil(() -> server.closedReason != null, SECOND));
        assertEquals("connection reset by peer", server.closedReason);
        // the abort's RST, then one for each of B's ACKs already on their way to a connection that is gone
        assertTrue(TcpTestbed.count(bed.a, TcpEvent.RESETS_SENT) >= 1);
        assertTrue(bed.wireA.take().stream().filter(Segment::rst).findFirst().orElseThrow().ack(),
                "the abort's RST carries an ACK");
        assertEquals(1, TcpTestbed.count(bed.b, TcpEvent.RESETS_RECEIVED));
        assertEquals(0, TcpTestbed.count(bed.b, TcpEvent.RESETS_SENT), "nobody answers a RST");
        assertEquals(1, TcpTestbed.count(bed.a, TcpEvent.CONNECTIONS_ABORTED));
        assertEquals(1, TcpTestbed.count(bed.b, TcpEvent.CONNECTIONS_ABORTED));
        assertClean();
    }

    /**
     * After close(), FIN_WAIT_2 lasts finWait2Timeout at most (the peer may never finish): then the connection is
     * given up, and the peer reset. After shutdownOutput() alone it lasts as long as the peer keeps it open.
     */
    @Test
    void finWait2TimesOutAfterClose() {
        open();
        a.close();
        bed.a.flush();
        assertTrue(bed.runUntil(() -> a.state() == TcpState.FIN_WAIT_2, SECOND));
        long since = bed.now();
        assertTrue(bed.runUntil(() -> a.state() == TcpState.CLOSED, 2 * FIN_WAIT_2.toNanos()));
        long waited = bed.now() - since;
        assertTrue(Math.abs(waited - FIN_WAIT_2.toNanos()) < 10 * MS, "waited " + waited / 1e9 + " s");
        assertTrue(client.closedReason.startsWith("no FIN from the peer"), client.closedReason);
        assertTrue(bed.runUntil(() -> server.closedReason != null, SECOND));
        assertEquals("connection reset by peer", server.closedReason);
        assertClean();
    }

    @Test
    void finWait2LastsAfterShutdownOutput() {
        open();
        a.shutdownOutput();
        bed.a.flush();
        bed.run(10 * FIN_WAIT_2.toNanos());
        assertEquals(TcpState.FIN_WAIT_2, a.state());
        assertEquals(TcpState.CLOSE_WAIT, b.state());
        assertNull(client.closedReason);
        server.send("late".getBytes());
        server.finish();
        bed.b.flush();
        assertTrue(bed.runUntil(() -> client.closedReason != null, SECOND));
        assertEquals("late", new String(client.bytes()));
        assertEquals("closed", client.closedReason);
    }

    /** TIME_WAIT lasts timeWait from its last FIN, then the pair is gone. */
    @Test
    void timeWaitLastsItsDuration() {
        open();
        a.shutdownOutput();
        b.shutdownOutput();
        bed.a.flush();
        bed.b.flush();
        assertTrue(bed.runUntil(() -> both(TcpState.TIME_WAIT, TcpState.TIME_WAIT), SECOND));
        bed.run(TIME_WAIT.toNanos() - 10 * MS);
        assertEquals(1, bed.a.connectionCount());
        assertEquals(1, bed.b.connectionCount());
        bed.run(20 * MS);
        assertClean();
    }

    /**
     * A new SYN for a pair in TIME_WAIT, above everything the old connection received, reopens it (RFC 9293
     * section 3.10.7.4, RFC 6191): the server closed first and waits in TIME_WAIT when the client connects again from
     * the same port.
     */
    @Test
    void aNewSynReopensATimeWaitPair() {
        open();
        int port = localPort(a);
        client.closeOnFinish = true;
        client.send(Packets.bytes(300, 7));
        bed.a.flush();
        assertTrue(bed.runUntil(() -> server.bytes().length == 300, SECOND));
        b.close();
        bed.b.flush();
        assertTrue(bed.runUntil(() -> both(TcpState.CLOSED, TcpState.TIME_WAIT), SECOND), a + " / " + b);
        bed.run(100 * MS);
        RecordingHandler again = new RecordingHandler();
        TcpConnection c = bed.a.connect(bed.ifaceA.ipv4(), port, 0, B_V4, 7, again);
        bed.a.flush();
        assertTrue(bed.runUntil(() -> again.opened && TcpTestbed.count(bed.b, TcpEvent.CONNECTIONS_OPENED) == 2,
                SECOND), c + "; A sent " + bed.wireA.take());
        assertTrue(bed.now() - 1000 * SECOND < 2 * SECOND, "no SYN retransmission needed");
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(1, bed.b.connectionCount(), "the TIME_WAIT pair made room for the new connection");
        assertEquals(2, TcpTestbed.count(bed.b, TcpEvent.CONNECTIONS_OPENED));
    }

    /**
     * However a pair in TIME_WAIT ends, the connections after it get whole buffers, opened from either side: TIME_WAIT
     * holds one-byte stand-ins, shared by every connection, in place of its own buffers, and those are never handed
     * on. B closes first and waits in TIME_WAIT.
     */
    @ParameterizedTest(name = "TIME_WAIT {0}")
    @EnumSource(TimeWaitEnd.class)
    void theConnectionsAfterATimeWaitPairGetWholeBuffers(TimeWaitEnd end) {
        open();
        client.closeOnFinish = true;
        server.finish();
        bed.b.flush();
        assertTrue(bed.runUntil(() -> both(TcpState.CLOSED, TcpState.TIME_WAIT), SECOND), a + " / " + b);
        switch (end) {
            case ABORTED -> assertEquals(1, bed.b.abortOver(bed.ifaceB.ipv4()), "the TIME_WAIT pair is aborted");
            case EXPIRED -> bed.run(TIME_WAIT.toNanos() + MS);
            case REOPENED -> reopenFromTheSamePort();
        }
        assertClean();
        assertMovesAMebibyteEachWay(bed.a, bed.b, bed.ifaceA.ipv4(), B_V4, 8);
        assertMovesAMebibyteEachWay(bed.b, bed.a, bed.ifaceB.ipv4(), A_V4, 9);
    }

    /** How a pair in TIME_WAIT ends. */
    enum TimeWaitEnd {
        /** It is aborted, as when its network protocol is unplugged. */
        ABORTED,
        /** Its time passes. */
        EXPIRED,
        /** A new SYN from the same port takes the pair; that connection is aborted at once. */
        REOPENED
    }

    /** Connects from A's port of the connection again, to B's side of the pair in TIME_WAIT, and aborts. */
    private void reopenFromTheSamePort() {
        RecordingHandler again = new RecordingHandler();
        TcpConnection c = bed.a.connect(bed.ifaceA.ipv4(), localPort(a), 0, B_V4, 7, again);
        bed.a.flush();
        assertTrue(bed.runUntil(() -> again.opened && bed.b.connectionCount() == 1, SECOND), c + "; A sent "
                + bed.wireA.take());
        c.abort("done");
        bed.a.flush();
        assertTrue(bed.runUntil(() -> bed.b.connectionCount() == 0, SECOND), "B's end is reset");
    }

    private void assertMovesAMebibyteEachWay(TcpLayer from, TcpLayer to, NetworkLayer network, long toAddress,
            int port) {
        RecordingHandler opener = new RecordingHandler();
        RecordingHandler acceptor = new RecordingHandler();
        TcpConnection[] accepted = new TcpConnection[1];
        to.listen(null, 0, 0, true, port, TcpTestbed.keeping(accepted, acceptor));
        acceptor.send(Packets.bytes(1 << 20, 9));
        acceptor.finish();
        opener.send(Packets.bytes(1 << 20, 8));
        opener.finish();
        TcpConnection c = from.connect(network, 0, toAddress, port, opener);
        from.flush();
        assertTrue(bed.runUntil(() -> acceptor.bytes().length == 1 << 20 && opener.bytes().length == 1 << 20,
                SECOND), "1 MiB each way within a second; opened " + c + ", accepted " + accepted[0]);
        assertArrayEquals(Packets.bytes(1 << 20, 8), acceptor.bytes());
        assertArrayEquals(Packets.bytes(1 << 20, 9), opener.bytes());
    }

    private static int localPort(TcpConnection c) {
        return c.localPort;
    }
}
