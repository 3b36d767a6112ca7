package layer45.mnet.socket.tcp;

import static layer45.mnet.socket.tcp.TcpTestbed.MS;
import static layer45.mnet.socket.tcp.TcpTestbed.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import layer45.mnet.phy.FaultOptions;
import layer45.mnet.socket.tcp.TcpTestbed.Segment;
import org.junit.jupiter.api.Test;

/** Keep-alive (RFC 9293 section 3.8.4): idle connections are probed; one whose peer is gone is given up. */
class TcpKeepAliveTest {

    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final int PROBES = 3;

    private final TcpTestbed bed;
    private final RecordingHandler client = new RecordingHandler();
    private final RecordingHandler server = new RecordingHandler();
    private TcpConnection a;
    private TcpConnection b;

    TcpKeepAliveTest() {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.keepAliveIdle = IDLE;
        k.keepAliveInterval = INTERVAL;
        k.keepAliveProbes = PROBES;
        bed = new TcpTestbed(k.build(), FaultOptions.NONE.withDelayNanos(MS));
        TcpTestbed.Ends ends = bed.openAtoB(7, client, server);
        a = ends.a();
        b = ends.b();
    }

    @Test
    void anIdleConnectionIsProbedAndSurvivesWhileThePeerAnswers() {
        bed.wireA.recording = true;
        bed.wireB.recording = true;
        bed.run(120 * SECOND);
        assertEquals(TcpState.ESTABLISHED, a.state());
        assertEquals(TcpState.ESTABLISHED, b.state());
        long probes = TcpTestbed.count(bed.a, TcpEvent.KEEPALIVE_PROBES) + TcpTestbed.count(bed.b,
                TcpEvent.KEEPALIVE_PROBES);
        // One probe per idle period: each answer makes the other side's connection busy again.
        assertTrue(probes >= 120 / IDLE.toSeconds() - 1 && probes <= 120 / IDLE.toSeconds() + 1, "probes " + probes);
        assertEquals(0, TcpTestbed.count(bed.a, TcpEvent.CONNECTIONS_TIMED_OUT));
        List<Segment> fromA = bed.wireA.take();
        List<Segment> fromB = bed.wireB.take();
        List<Segment> all = new java.util.ArrayList<>(fromA);
        all.addAll(fromB);
        for (Segment s : all) {
            assertEquals(0, s.length(), "probes and their answers carry no data: " + s);
            assertTrue(s.ack() && !s.syn() && !s.fin() && !s.rst(), s.toString());
        }
        assertNull(client.closedReason);
        assertNull(server.closedReason);
    }

    @Test
    void theProbesCarryTheSequenceNumberBeforeSndUna() {
        bed.wireA.recording = true;
        bed.wireB.recording = true;
        bed.run(IDLE.toNanos() + 10 * MS);
        List<Segment> probes = new java.util.ArrayList<>(bed.wireA.take());
        probes.addAll(bed.wireB.take());
        Segment probe = probes.stream().min(java.util.Comparator.comparingLong(Segment::at)).orElseThrow();
        boolean fromA = TcpTestbed.count(bed.a, TcpEvent.KEEPALIVE_PROBES) == 1;
        TcpConnection prober = fromA ? a : b;
        // The probe's sequence number is one below what the peer expects, so the peer must answer.
        assertTrue(prober.toString().contains("snd una/nxt/max 1/1/1"), prober.toString());
        assertEquals(0, probe.length());
        assertTrue(probes.size() >= 2, "answered: " + probes);
        assertEquals(probe.seq() + 1, probes.get(probes.size() - 1).ackNumber());
    }

    @Test
    void aConnectionWhosePeerIsGoneIsAbortedAfterTheProbes() {
        long lastHeard = bed.now();
        bed.wireA.cut = true; // everything either side sends is lost from now on
        bed.wireB.cut = true;
        assertTrue(bed.runUntil(() -> client.closedReason != null && server.closedReason != null, 120 * SECOND));
        long took = bed.now() - lastHeard;
        long expected = IDLE.toNanos() + PROBES * INTERVAL.toNanos();
        assertTrue(Math.abs(took - expected) < 10 * MS, "given up after " + took / 1e9 + " s, not " + expected / 1e9);
        assertTrue(client.closedReason.contains("did not answer " + PROBES + " keep-alive probes"),
                client.closedReason);
        assertEquals(PROBES, TcpTestbed.count(bed.a, TcpEvent.KEEPALIVE_PROBES));
        assertEquals(1, TcpTestbed.count(bed.a, TcpEvent.CONNECTIONS_TIMED_OUT));
        assertEquals(1, TcpTestbed.count(bed.b, TcpEvent.CONNECTIONS_TIMED_OUT));
        assertEquals(0, bed.a.connectionCount());
        assertEquals(0, bed.a.memoryUsed());
        assertEquals(0, bed.a.timerCount());
    }

    /** Traffic is what keep-alive waits for: a connection that talks is never probed. */
    @Test
    void aBusyConnectionIsNotProbed() {
        for (int i = 0; i < 20; i++) {
            client.send(new byte[] { 1, 2, 3 });
            bed.a.flush();
            bed.run(5 * SECOND);
        }
        assertEquals(0, TcpTestbed.count(bed.a, TcpEvent.KEEPALIVE_PROBES));
        assertEquals(0, TcpTestbed.count(bed.b, TcpEvent.KEEPALIVE_PROBES));
    }

    /**
     * After shutdownOutput() alone FIN_WAIT_2 has no timeout of its own (the peer may still send for as long as it
     * likes): keep-alive is what finds out that the peer is gone.
     */
    @Test
    void aHalfClosedConnectionWhosePeerVanishedIsGivenUp() {
        a.shutdownOutput();
        bed.a.flush();
        assertTrue(bed.runUntil(() -> a.state() == TcpState.FIN_WAIT_2 && b.state() == TcpState.CLOSE_WAIT, SECOND));
        bed.wireA.cut = true;
        bed.wireB.cut = true;
        assertTrue(bed.runUntil(() -> client.closedReason != null, 120 * SECOND), a.toString());
        assertTrue(client.closedReason.contains("keep-alive"), client.closedReason);
        assertEquals(PROBES, TcpTestbed.count(bed.a, TcpEvent.KEEPALIVE_PROBES));
        assertEquals(0, bed.a.connectionCount());
        assertEquals(0, bed.a.memoryUsed());
    }

    /** Data that is never acknowledged is retransmitted dataRetries times, backing off, then given up. */
    @Test
    void aPeerThatVanishesMidTransferTimesOut() {
        bed.wireB.cut = true; // B hears A but nothing B says arrives
        client.send(new byte[50_000]);
        bed.a.flush();
        // Keep-alive's idle time passes long before the retransmissions give up: its timer must not spin meanwhile
        // (it once fired again and again at the same instant, the loop busy for ever).
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertTrue(bed.runUntil(
                () -> client.closedReason != null, 3600 * SECOND), a.toString()));
        assertTrue(client.closedReason.startsWith("connection timed out"), client.closedReason);
        long retries = bed.a.settings().dataRetries();
        assertEquals(retries + 1, TcpTestbed.count(bed.a, TcpEvent.RETRANSMIT_TIMEOUTS));
        assertEquals(1, TcpTestbed.count(bed.a, TcpEvent.CONNECTIONS_TIMED_OUT));
        assertEquals(0, bed.a.connectionCount());
        assertEquals(0, bed.a.timerCount());
    }
}
