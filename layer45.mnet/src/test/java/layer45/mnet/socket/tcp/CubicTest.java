package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CubicTest {

    private static final int MSS = 1000;
    private static final long SECOND = 1_000_000_000L;
    private static final long LOSS_AT = 10 * SECOND;

    /** RFC 9438, figure 1, in segments: W_cubic(t) = C (t - K)^3 + W_max. */
    private static double wCubic(double t, double k, double wMax) {
        return 0.4 * Math.pow(t - k, 3) + wMax;
    }

    /** RFC 9438, figure 2: K = cbrt((W_max - cwnd_epoch) / C). */
    private static double k(double wMax, double cwndEpoch) {
        return Math.cbrt((wMax - cwndEpoch) / 0.4);
    }

    /** A connection that reached 100 segments in slow start and then lost a packet, its recovery over. */
    private static Cubic afterALossAtOneHundredSegments() {
        Cubic cubic = new Cubic();
        cubic.init(MSS, 0);
        while (cubic.window() < 100 * MSS) {
            cubic.onAck(MSS, cubic.window(), -1, 0);
        }
        cubic.onCongestionEvent(cubic.window(), LOSS_AT);
        cubic.onRecoveryEnd(LOSS_AT);
        return cubic;
    }

    @Test
    void startsLikeNewReno() {
        Cubic cubic = new Cubic();
        cubic.init(1460, 0);
        assertEquals("cubic", cubic.name());
        assertEquals(14600, cubic.window());
        assertEquals(Integer.MAX_VALUE, cubic.slowStartThreshold());
        AckClock clock = new AckClock(cubic, 30_000_000, 1460, 0);
        for (int round = 0; round < 6; round++) {
            int before = cubic.window();
            clock.round();
            assertEquals(2 * before, cubic.window(), "slow start doubles each round trip");
        }
    }

    @Test
    void aLossKeepsSeventyPercent() {
        Cubic cubic = afterALossAtOneHundredSegments();
        assertEquals(70 * MSS, cubic.slowStartThreshold());
        assertEquals(70 * MSS, cubic.window());
        assertEquals(100 * MSS, cubic.wMax());
        cubic.onCongestionEvent(2 * MSS, LOSS_AT + SECOND);
        assertEquals(2 * MSS, cubic.slowStartThreshold(), "never below 2 segments");
        assertEquals(2 * MSS, cubic.window());
    }

    @Test
    void fastConvergenceLowersWmaxWhenLossComesEarlier() {
        Cubic cubic = afterALossAtOneHundredSegments();
        AckClock clock = new AckClock(cubic, 100_000_000, MSS, LOSS_AT);
        clock.runUntil(LOSS_AT + SECOND);
        int window = cubic.window();
        assertTrue(window < 100 * MSS);
        cubic.onCongestionEvent(window, clock.now);
        assertEquals(window * 0.85, cubic.wMax(), 1, "W_max = cwnd (1 + beta) / 2 below the previous W_max");
        assertEquals((int) (window * 0.7), cubic.window());
    }

    @Test
    void followsTheCubicCurveAfterALoss() {
        Cubic cubic = afterALossAtOneHundredSegments();
        long rtt = 100_000_000;
        AckClock clock = new AckClock(cubic, rtt, MSS, LOSS_AT);
        clock.round();
        double expectedK = k(100, 70);
        assertEquals(expectedK, cubic.k(), 1e-9);
        // Until about 5.5 s the Reno-friendly W_est stays below the curve, so cwnd follows W_cubic.
        for (double t : new double[] {0.5, 1, 2, 3, expectedK, 5}) {
            clock.runUntil(LOSS_AT + (long) (t * SECOND));
            double elapsed = (double) (clock.now - LOSS_AT) / SECOND;
            double segments = (double) cubic.window() / MSS;
            // cwnd aims at W_cubic(t + RTT) and gets there within a round trip.
            assertTrue(segments >= wCubic(elapsed, expectedK, 100) - 0.1
                    && segments <= wCubic(elapsed + 0.1, expectedK, 100) + 0.01,
                    "at t = " + elapsed + " s cwnd is " + segments + " segments, W_cubic(t) = "
                            + wCubic(elapsed, expectedK, 100));
            assertTrue(cubic.wEst() < cubic.window());
        }
        // Past K the curve turns convex and leaves W_max behind, slowly and then faster.
        clock.runUntil(LOSS_AT + 5 * SECOND);
        int atFive = cubic.window();
        clock.runUntil(LOSS_AT + 6 * SECOND);
        int atSix = cubic.window();
        clock.runUntil(LOSS_AT + 7 * SECOND);
        assertTrue(cubic.window() - atSix > atSix - atFive);
    }

    @Test
    void usesTheRenoFriendlyWindowWhenItIsLarger() {
        Cubic cubic = afterALossAtOneHundredSegments();
        long rtt = 20_000_000;
        AckClock clock = new AckClock(cubic, rtt, MSS, LOSS_AT);
        double alpha = 3 * (1 - 0.7) / (1 + 0.7);
        double expectedK = k(100, 70);
        for (int rounds : new int[] {10, 25, 50, 100, 150}) {
            clock.runUntil(LOSS_AT + rounds * rtt);
            // W_est grows alpha segments per round trip up to the window before the loss, then one (RFC 9438, 4.3).
            double toPrior = 30 / alpha;
            double expected = rounds <= toPrior ? 70 + alpha * rounds : 100 + (rounds - toPrior);
            double segments = (double) cubic.window() / MSS;
            double elapsed = (double) (clock.now - LOSS_AT) / SECOND;
            assertEquals(expected, segments, 1.5, "after " + rounds + " round trips");
            assertTrue(segments > wCubic(elapsed, expectedK, 100), "the Reno-friendly window is the larger");
        }
    }

    @Test
    void aTimeoutRestartsFromOneSegmentAndAConvexCurveAtSsthresh() {
        Cubic cubic = afterALossAtOneHundredSegments();
        cubic.onRetransmitTimeout(80 * MSS, LOSS_AT + SECOND);
        assertEquals(MSS, cubic.window());
        assertEquals(56 * MSS, cubic.slowStartThreshold(), "0.7 of the flight");
        cubic.onRetransmitTimeout(10 * MSS, LOSS_AT + 2 * SECOND);
        assertEquals(56 * MSS, cubic.slowStartThreshold(), "held over repeated timeouts");
        long rtt = 100_000_000;
        AckClock clock = new AckClock(cubic, rtt, MSS, LOSS_AT + 3 * SECOND);
        while (cubic.window() < cubic.slowStartThreshold()) {
            clock.round();
        }
        // Slow start reached ssthresh in the last round, whose remaining ACKs began congestion avoidance.
        long epoch = clock.now;
        int start = cubic.slowStartThreshold();
        assertEquals(0, cubic.k(), "K = 0 in the first congestion avoidance after a timeout");
        assertEquals(start, cubic.wMax(), "W_max = cwnd at the start of congestion avoidance");
        clock.runUntil(epoch + 3 * SECOND);
        double elapsed = (double) (clock.now - epoch) / SECOND;
        double segments = (double) cubic.window() / MSS;
        double convex = wCubic(elapsed, 0, start / (double) MSS);
        assertTrue(segments >= convex - 0.5, segments + " segments, W_cubic = " + convex);
    }

    @Test
    void idleRestartAndMssChangesBehaveAsNewReno() {
        Cubic cubic = afterALossAtOneHundredSegments();
        cubic.onIdleRestart(LOSS_AT + SECOND);
        assertEquals(10 * MSS, cubic.window());
        assertEquals(70 * MSS, cubic.slowStartThreshold());
        cubic.onRetransmitTimeout(10 * MSS, LOSS_AT + 2 * SECOND);
        cubic.setMss(1400);
        assertEquals(1400, cubic.window());
        assertThrows(IllegalArgumentException.class, () -> cubic.setMss(-1));
        assertThrows(IllegalArgumentException.class, () -> new Cubic().init(0, 0));
    }

    @Test
    void theWindowNeverOverflows() {
        Cubic cubic = new Cubic();
        cubic.init(65535, 0);
        for (int i = 0; i < 40_000; i++) {
            cubic.onAck(Integer.MAX_VALUE, Integer.MAX_VALUE, 1, i * SECOND);
        }
        assertEquals(CongestionWindows.MAX_WINDOW, cubic.window());
        cubic.onCongestionEvent(Integer.MAX_VALUE, 0);
        assertEquals((int) (Integer.MAX_VALUE * 0.7), cubic.slowStartThreshold());
        for (int i = 0; i < 1000; i++) {
            cubic.onAck(Integer.MAX_VALUE, Integer.MAX_VALUE, 1, 1000L * i * SECOND);
        }
        assertEquals(CongestionWindows.MAX_WINDOW, cubic.window());
    }
}
