package layer45.mnet.socket.tcp;

import static layer45.mnet.socket.tcp.TcpTestbed.MS;
import static layer45.mnet.socket.tcp.TcpTestbed.SECOND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import layer45.mnet.phy.FaultOptions;
import layer45.mnet.socket.tcp.TcpTestbed.Segment;
import layer45.mnet.testing.Packets;
import layer45.mnet.wire.TcpPacket;
import layer45.mnet.wire.TcpRepr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flow control: a reader that stops reading closes the window; the sender probes it (RFC 9293 section 3.8.6.1)
 * and resumes when it opens, and memory stays within the buffers whatever the writer offers.
 */
class TcpFlowControlTest {

    private static final int BUFFER = 64 * 1024;

    @ParameterizedTest(name = "loss {0}")
    @ValueSource(doubles = { 0.0, 0.02 })
    void aSlowReaderStallsTheSenderWhichProbesThenResumes(double loss) {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.sendBuffer = BUFFER;
        k.receiveBuffer = BUFFER;
        TcpTestbed bed = new TcpTestbed(k.build(), FaultOptions.seeded(11).withLoss(loss).withDelayNanos(5 * MS));
        RecordingHandler reader = RecordingHandler.notReading();
        TcpConnection[] server = new TcpConnection[1];
        bed.b.listen(null, 0, 0, true, 7, TcpTestbed.keeping(server, reader));
        RecordingHandler writer = new RecordingHandler();
        byte[] data = Packets.bytes(2 << 20, 9);
        writer.send(data);
        writer.finish();
        TcpConnection a = bed.connectAtoB(7, writer);
        long memory = 2L * (2 * BUFFER); // each side's two buffers, were they full
        // The reader reads nothing for 20 s.
        long[] maxUnread = new long[1];
        bed.runUntil(() -> {
            if (server[0] != null) {
                maxUnread[0] = Math.max(maxUnread[0], server[0].readable());
            }
            return false;
        }, 20 * SECOND);
        assertEquals(BUFFER, server[0].readable(), "the receive buffer is full");
        assertTrue(maxUnread[0] <= BUFFER);
        long held = bed.a.memoryHeld() + bed.b.memoryHeld();
        assertTrue(held >= memory / 2 && held <= memory / 2 + 2 * TcpLayer.PAGE_SIZE,
                "pages for a full send buffer and a full receive buffer only, whatever the writer offers: " + held);
        assertTrue(writer.unsent() > 0, "the writer is held back");
        long probes = TcpTestbed.count(bed.a, TcpEvent.WINDOW_PROBES);
        assertTrue(probes >= 3, "zero-window probes: " + probes + "; " + TcpTestbed.nonZero(bed.a));
        assertTrue(probes <= 20, "backed off, not flooding: " + probes);
        assertEquals(TcpState.ESTABLISHED, a.state(), "probes keep the connection alive");
        // Reading resumes.
        reader.reading = true;
        reader.closeOnFinish = true;
        reader.drain(server[0]);
        bed.b.flush();
        long resumed = bed.now();
        assertTrue(bed.runUntil(() -> writer.closedReason != null && reader.closedReason != null, 120 * SECOND),
                a + " / " + server[0]);
        assertArrayEquals(data, reader.bytes());
        assertEquals("closed", writer.closedReason);
        assertEquals("closed", reader.closedReason);
        System.out.printf("slow reader, loss %.2f: %d window probes during the stall; %.3f s to finish after%n",
                loss, probes, (bed.now() - resumed) / 1e9);
    }

    /** The probes carry an old sequence number and no data, and each is answered with the (still zero) window. */
    @Test
    void zeroWindowProbesOnTheWire() {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.sendBuffer = BUFFER;
        k.receiveBuffer = BUFFER;
        TcpTestbed bed = new TcpTestbed(k.build(), FaultOptions.NONE.withDelayNanos(MS));
        RecordingHandler reader = RecordingHandler.notReading();
        bed.b.listen(null, 0, 0, true, 7, conn -> reader);
        RecordingHandler writer = new RecordingHandler();
        writer.send(Packets.bytes(4 * BUFFER, 1));
        bed.connectAtoB(7, writer);
        bed.run(SECOND);
        bed.wireA.recording = true;
        bed.wireB.recording = true;
        bed.run(10 * SECOND);
        List<Segment> fromA = bed.wireA.take();
        List<Segment> fromB = bed.wireB.take();
        assertTrue(fromA.size() >= 3, fromA.toString());
        for (Segment probe : fromA) {
            assertEquals(0, probe.length(), "no data into a zero window: " + probe);
        }
        assertEquals(fromA.size(), fromB.size(), "each probe answered: " + fromB);
        for (Segment answer : fromB) {
            assertEquals(0, answer.tcp().window(), answer.toString());
        }
        for (int i = 2; i < fromA.size(); i++) {
            long gap = fromA.get(i).at() - fromA.get(i - 1).at();
            long previous = fromA.get(i - 1).at() - fromA.get(i - 2).at();
            assertTrue(gap >= previous, "backing off: " + fromA);
        }
    }

    /**
     * A window that stays smaller than a segment with nothing in flight: no ACK will come to move it, so the persist
     * timer sends into it anyway (RFC 1122 4.2.3.4's override) rather than wait forever for a window update that may
     * have been lost.
     */
    @Test
    void aSmallWindowWithNothingInFlightIsNotAStall() {
        TcpFakePeer net = new TcpFakePeer(TcpSettings.DEFAULTS);
        RecordingHandler user = new RecordingHandler();
        TcpFakePeer.Peer p = net.connect(80, user);
        user.send(Packets.bytes(10_000, 3));
        List<Segment> first = net.poll();
        int sent = first.stream().mapToInt(Segment::length).sum();
        assertEquals(10_000, sent, first.toString());
        // The peer takes it all but 500 bytes of room remain in its buffer.
        p.ack += sent;
        p.window = 500;
        assertEquals(List.of(), net.exchange(p.ack()));
        user.send(Packets.bytes(5_000, 4));
        assertEquals(List.of(), net.poll(), "silly window avoidance: no 500-byte segment at once");
        List<Segment> later = net.advance(2 * SECOND);
        assertTrue(later.stream().anyMatch(s -> s.length() == 500 && s.seq() == p.ack), later.toString());
    }

    /**
     * A closed window is probed for as long as the peer answers (RFC 9293 3.8.6.1), but a peer that stops answering
     * the probes altogether is gone: the connection is given up after dataRetries of them.
     */
    @Test
    void zeroWindowProbesThatNobodyAnswersGiveUp() {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.sendBuffer = BUFFER;
        k.receiveBuffer = BUFFER;
        k.dataRetries = 5;
        k.keepAliveIdle = java.time.Duration.ZERO;
        TcpTestbed bed = new TcpTestbed(k.build(), FaultOptions.NONE.withDelayNanos(MS));
        RecordingHandler reader = RecordingHandler.notReading();
        bed.b.listen(null, 0, 0, true, 7, conn -> reader);
        RecordingHandler writer = new RecordingHandler();
        writer.send(Packets.bytes(4 * BUFFER, 1));
        TcpConnection a = bed.connectAtoB(7, writer);
        bed.run(30 * SECOND);
        assertEquals(TcpState.ESTABLISHED, a.state(), "answered probes keep it open");
        long answered = TcpTestbed.count(bed.a, TcpEvent.WINDOW_PROBES);
        assertTrue(answered > k.dataRetries, "more probes than dataRetries while answered: " + answered);
        bed.wireB.cut = true;
        assertTrue(bed.runUntil(() -> writer.closedReason != null, 3600 * SECOND), a.toString());
        assertTrue(writer.closedReason.contains("zero-window probes"), writer.closedReason);
        assertEquals(1, TcpTestbed.count(bed.a, TcpEvent.CONNECTIONS_TIMED_OUT));
        assertEquals(0, bed.a.connectionCount());
    }

    /**
     * A segment the peer retransmits carries an old sequence number but its newest ACK and window. RFC 9293's
     * SND.WL1/SND.WL2 rule alone rejects its window while its ACK still moves SND.UNA: the old, larger window then
     * counted from the new SND.UNA reached past the peer's right edge. An ACK that moves SND.UNA updates the window.
     */
    @Test
    void aRetransmittedSegmentsWindowCountsWhenItsAckIsNew() {
        TcpFakePeer net = new TcpFakePeer(TcpSettings.DEFAULTS);
        RecordingHandler user = new RecordingHandler();
        TcpFakePeer.Peer p = net.connect(80, user);
        int base = p.ack;
        int oldSeq = p.seq;
        // The peer sends 200 bytes; the first 100 are lost, the next 100 arrive, then a pure ACK after them: SND.WL1
        // moves to its sequence number.
        p.seq += 100;
        net.exchange(p.seg(TcpPacket.ACK | TcpPacket.PSH, 100), Packets.bytes(100, 1));
        p.seq += 100;
        net.exchange(p.ack());
        user.send(Packets.bytes(100_000, 2));
        List<Segment> first = net.poll().stream().filter(x -> x.length() > 0).toList();
        assertEquals(10, first.size(), "the initial window");
        // The peer retransmits its first 100 bytes; the copy acknowledges five segments and offers 2000 bytes more.
        TcpRepr again = TcpRepr.of(p.localPort, p.remotePort, oldSeq, base + 5 * 1460, TcpPacket.ACK, 2000, 100);
        List<Segment> answer = net.exchange(again, Packets.bytes(100, 1)).stream().filter(x -> x.length() > 0)
                .toList();
        int edge = base + 5 * 1460 + 2000;
        for (Segment x : answer) {
            assertTrue(x.seq() + x.length() - edge <= 0, "sent past the peer's right edge: " + x);
        }
        assertEquals(List.of(), answer, "segments 0 to 9 already reach past the edge");
    }

    /**
     * RFC 9293 3.8.6: a sender must be robust against a window that shrank, and retransmit what lies between SND.UNA
     * and SND.UNA + SND.WND normally. A retransmission after a timeout into a window smaller than a segment is not
     * silly window syndrome: holding it back left the connection to time out.
     */
    @Test
    void aRetransmissionGoesIntoAWindowSmallerThanASegment() {
        TcpFakePeer net = new TcpFakePeer(TcpSettings.DEFAULTS);
        RecordingHandler user = new RecordingHandler();
        TcpFakePeer.Peer p = net.connect(80, user);
        int base = p.ack;
        user.send(Packets.bytes(20_000, 3));
        assertEquals(10, net.poll().stream().filter(x -> x.length() > 0).count());
        // The peer acknowledges one segment and shrinks its window to 1000 bytes (its application stopped reading).
        p.ack = base + 1460;
        p.window = 1000;
        assertEquals(List.of(), net.exchange(p.ack()).stream().filter(x -> x.length() > 0).toList());
        List<Segment> later = net.advance(3 * SECOND).stream().filter(x -> x.length() > 0).toList();
        assertTrue(!later.isEmpty(), "retransmitted after the timeout");
        assertEquals(base + 1460, later.get(0).seq());
        assertEquals(1000, later.get(0).length(), "as much as the window takes");
        // once it is acknowledged and the window opens, everything follows
        p.ack = base + 2460;
        p.window = 65535;
        net.exchange(p.ack());
        assertEquals(TcpState.ESTABLISHED, p.connection.state());
    }

    /**
     * With window scaling, the window is advertised in units of 2^shift bytes. Rounding it up on every ACK while the
     * application did not read pushed the right edge past the end of the receive buffer a little more each time: the
     * peer then sent into room that did not exist, and the stack dropped it. The advertised edge must never pass the
     * buffer's end (rounding down may show a little less: RFC 7323 2.4).
     */
    @Test
    void theAdvertisedWindowNeverPassesTheBuffer() {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.receiveBuffer = 256 * 1024;
        TcpFakePeer net = new TcpFakePeer(k.build());
        RecordingHandler user = RecordingHandler.notReading();
        TcpConnection[] accepted = new TcpConnection[1];
        net.tcp.listen(null, 0, 0, true, 80, TcpTestbed.keeping(accepted, user));
        TcpFakePeer.Peer p = net.accept(80, 4000, new TcpRepr(4000, 80, 0, 0, TcpPacket.SYN, 65535, 0, 1460, 2, false,
                List.of(), null, 0), accepted);
        int first = p.seq;
        int shift = k.build().receiveWindowScale();
        assertEquals(3, shift, "256 KiB needs a shift of 3");
        long advertised = 65535; // the SYN-ACK's window, unscaled
        int acks = 0;
        for (int i = 0; p.seq + 333 - first <= advertised; i++) { // a well-behaved peer: only into the window
            for (Segment ack : net.exchange(p.seg(TcpPacket.ACK, 333), Packets.bytes(333, i))) {
                int received = ack.ackNumber() - first;
                long edge = (long) received + ((long) ack.tcp().window() << shift);
                assertTrue(edge <= 256 * 1024, "edge " + edge + " past the buffer after " + received + " bytes: " + ack);
                assertTrue(edge >= advertised - (1 << shift) + 1, "the edge moved left by more than a unit: " + ack);
                advertised = Math.max(advertised, edge);
                acks++;
            }
            p.seq += 333;
        }
        assertTrue(acks > 50, "acks: " + acks);
        assertEquals(p.seq - first, accepted[0].readable(), "everything sent into the window was taken");
    }
}
