package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NewRenoTest {

    private static final int MSS = 1000;
    private static final long RTT = 50_000_000;

    private static NewReno started() {
        NewReno reno = new NewReno();
        reno.init(MSS, 0);
        return reno;
    }

    @Test
    void startsWithTheRfc6928InitialWindow() {
        NewReno reno = new NewReno();
        reno.init(1460, 0);
        assertEquals(14600, reno.window(), "10 segments of 1460");
        reno.init(536, 0);
        assertEquals(5360, reno.window(), "10 segments of 536");
        reno.init(9000, 0);
        assertEquals(18000, reno.window(), "2 jumbo segments, more than 14600 bytes");
        reno.init(1, 0);
        assertEquals(10, reno.window());
        assertEquals(Integer.MAX_VALUE, reno.slowStartThreshold());
        assertEquals("newreno", reno.name());
    }

    @Test
    void slowStartDoublesTheWindowEachRoundTrip() {
        for (int ackBytes : new int[] {MSS, 2 * MSS}) {
            NewReno reno = started();
            AckClock clock = new AckClock(reno, RTT, ackBytes, 0);
            for (int round = 1; round <= 8; round++) {
                int before = reno.window();
                clock.round();
                assertEquals(2 * before, reno.window(), "round " + round + ", one ACK per " + ackBytes + " bytes");
            }
        }
    }

    @Test
    void byteCountingLimitsAStretchAckToTwoSegments() {
        NewReno reno = started();
        reno.onAck(10 * MSS, 10 * MSS, -1, 1);
        assertEquals(12 * MSS, reno.window());
        reno.onAck(0, 10 * MSS, -1, 2);
        assertEquals(12 * MSS, reno.window(), "nothing acknowledged, nothing grows");
    }

    @Test
    void congestionAvoidanceAddsAboutOneSegmentPerRoundTrip() {
        NewReno reno = started();
        AckClock clock = new AckClock(reno, RTT, MSS, 0);
        for (int i = 0; i < 4; i++) {
            clock.round();
        }
        reno.onCongestionEvent(reno.window(), clock.now);
        reno.onRecoveryEnd(clock.now);
        assertEquals(80 * MSS, reno.window());
        assertEquals(80 * MSS, reno.slowStartThreshold());
        for (int round = 1; round <= 50; round++) {
            int before = reno.window();
            clock.round();
            // Each of the window's ACKs adds MSS*MSS/cwnd: a little under one MSS in all, as cwnd grows meanwhile.
            int growth = reno.window() - before;
            assertTrue(growth > 0.98 * MSS && growth <= MSS, "round " + round + " grew " + growth);
        }
        assertTrue(reno.window() > 129 * MSS && reno.window() <= 130 * MSS, "80 + 50 segments: " + reno.window());
    }

    @Test
    void congestionAvoidanceAddsAtLeastOneBytePerAck() {
        NewReno reno = new NewReno();
        reno.init(10, 0);
        reno.onCongestionEvent(1_000_000, 0);
        reno.onAck(10, 1_000_000, -1, 0);
        assertEquals(500_001, reno.window(), "10 * 10 / 500000 rounds to 0, so 1");
    }

    @Test
    void aLossHalvesTheFlight() {
        NewReno reno = started();
        reno.onAck(MSS, 10 * MSS, -1, 0);
        reno.onCongestionEvent(11 * MSS, 0);
        assertEquals(5500, reno.slowStartThreshold());
        assertEquals(5500, reno.window());
        reno.onCongestionEvent(3 * MSS, 0);
        assertEquals(2 * MSS, reno.slowStartThreshold(), "never below 2 segments");
        assertEquals(2 * MSS, reno.window());
    }

    @Test
    void recoveryEndDeflatesToSsthresh() {
        NewReno reno = started();
        reno.onCongestionEvent(40 * MSS, 0);
        reno.onRecoveryEnd(1);
        assertEquals(20 * MSS, reno.window());
        reno.onRetransmitTimeout(20 * MSS, 2);
        reno.onRecoveryEnd(3);
        assertEquals(MSS, reno.window(), "a window below ssthresh is not raised");
    }

    @Test
    void aTimeoutLeavesOneSegmentAndRepeatedOnesKeepTheFirstSsthresh() {
        NewReno reno = started();
        reno.onRetransmitTimeout(30 * MSS, 0);
        assertEquals(MSS, reno.window());
        assertEquals(15 * MSS, reno.slowStartThreshold());
        reno.onRetransmitTimeout(2 * MSS, 1);
        assertEquals(15 * MSS, reno.slowStartThreshold(), "the same segment timed out again");
        assertEquals(MSS, reno.window());
        reno.onAck(MSS, 30 * MSS, -1, 2);
        assertEquals(2 * MSS, reno.window(), "slow start again");
        reno.onRetransmitTimeout(8 * MSS, 3);
        assertEquals(4 * MSS, reno.slowStartThreshold(), "new data was acknowledged in between: recomputed");
        assertEquals(MSS, reno.window());
    }

    @Test
    void idleRestartFallsBackToTheInitialWindow() {
        NewReno reno = started();
        AckClock clock = new AckClock(reno, RTT, MSS, 0);
        clock.round();
        clock.round();
        assertEquals(40 * MSS, reno.window());
        reno.onIdleRestart(clock.now);
        assertEquals(10 * MSS, reno.window());
        assertEquals(Integer.MAX_VALUE, reno.slowStartThreshold());
        reno.onCongestionEvent(16 * MSS, clock.now);
        reno.onIdleRestart(clock.now);
        assertEquals(8 * MSS, reno.window(), "a window below IW stays");
        reno.onCongestionEvent(40 * MSS, clock.now);
        while (reno.window() < 28 * MSS) {
            clock.round();
        }
        int window = reno.window();
        reno.onIdleRestart(clock.now);
        assertEquals(10 * MSS, reno.window());
        assertEquals(window * 3 / 4, reno.slowStartThreshold(), "3/4 of the window grown past ssthresh is kept");
    }

    @Test
    void mssChangesKeepAtLeastOneSegment() {
        NewReno reno = started();
        reno.onRetransmitTimeout(10 * MSS, 0);
        reno.setMss(1400);
        assertEquals(1400, reno.window());
        reno.setMss(500);
        assertEquals(1400, reno.window(), "the window is in bytes and stays");
        reno.onRetransmitTimeout(10 * MSS, 1);
        assertEquals(500, reno.window());
        assertEquals("the MSS must be 1 to 65535 bytes, not 0; clamp what the peer announced before passing it",
                assertThrows(IllegalArgumentException.class, () -> reno.setMss(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> reno.init(65536, 0));
    }

    @Test
    void theWindowNeverOverflows() {
        NewReno reno = new NewReno();
        reno.init(65535, 0);
        for (int i = 0; i < 40_000; i++) {
            reno.onAck(Integer.MAX_VALUE, Integer.MAX_VALUE, -1, i);
        }
        assertEquals(CongestionWindows.MAX_WINDOW, reno.window());
        reno.onCongestionEvent(Integer.MAX_VALUE, 0);
        assertEquals(Integer.MAX_VALUE / 2, reno.slowStartThreshold());
        for (int i = 0; i < 40_000; i++) {
            reno.onAck(Integer.MAX_VALUE, Integer.MAX_VALUE, -1, i);
        }
        assertEquals(CongestionWindows.MAX_WINDOW, reno.window());
    }
}
