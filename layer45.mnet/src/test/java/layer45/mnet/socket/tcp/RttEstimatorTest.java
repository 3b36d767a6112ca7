package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RttEstimatorTest {

    private static final long MS = 1_000_000;
    private static final long S = 1000 * MS;

    private static RttEstimator linuxLike() {
        return new RttEstimator(200 * MS, 120 * S, 1 * S);
    }

    @Test
    void startsAtTheInitialRto() {
        RttEstimator rtt = linuxLike();
        assertFalse(rtt.hasSample());
        assertEquals(1 * S, rtt.rto());
        assertEquals(1 * S, rtt.initialRto());
        assertEquals(-1, rtt.minRtt());
        assertEquals(0, rtt.srtt());
        assertEquals(0, rtt.rttvar());
        assertEquals(0, rtt.backoffs());
    }

    @Test
    void followsRfc6298ForTheFirstAndLaterSamples() {
        RttEstimator rtt = linuxLike();
        rtt.sample(100 * MS);
        assertTrue(rtt.hasSample());
        assertEquals(100 * MS, rtt.srtt());
        assertEquals(50 * MS, rtt.rttvar());
        assertEquals(300 * MS, rtt.rto(), "SRTT + 4 RTTVAR");
        rtt.sample(200 * MS);
        // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5; SRTT = 7/8 * 100 + 1/8 * 200 = 112.5
        assertEquals(62_500_000, rtt.rttvar());
        assertEquals(112_500_000, rtt.srtt());
        assertEquals(362_500_000, rtt.rto());
        rtt.sample(40 * MS);
        assertEquals(40 * MS, rtt.minRtt());
        assertEquals(46_875_000 + 18_125_000, rtt.rttvar(), "3/4 * 62.5 + 1/4 * 72.5 ms");
        assertEquals(98_437_500 + 5_000_000, rtt.srtt(), "7/8 * 112.5 + 1/8 * 40 ms");
    }

    @Test
    void keepsTheRtoWithinItsBoundsAndAboveTheClockGranularity() {
        RttEstimator rtt = linuxLike();
        rtt.sample(10 * MS);
        assertEquals(200 * MS, rtt.rto(), "30 ms computed, the minimum is 200 ms");
        rtt = new RttEstimator(1, 120 * S, 1 * S);
        for (int i = 0; i < 200; i++) {
            rtt.sample(10 * MS);
        }
        assertTrue(rtt.rttvar() < 4, "steady samples: no variation left but integer rounding, " + rtt.rttvar());
        assertEquals(10 * MS + RttEstimator.GRANULARITY_NANOS, rtt.rto(), "SRTT + G when 4 RTTVAR is below G");
        rtt = new RttEstimator(200 * MS, 2 * S, 1 * S);
        rtt.sample(5 * S);
        assertEquals(2 * S, rtt.rto());
    }

    @Test
    void backoffDoublesUpToTheMaximumAndASampleEndsIt() {
        RttEstimator rtt = new RttEstimator(200 * MS, 60 * S, 1 * S);
        rtt.backoff();
        assertEquals(2 * S, rtt.rto(), "doubles even before any sample");
        rtt.sample(100 * MS);
        assertEquals(0, rtt.backoffs());
        assertEquals(300 * MS, rtt.rto());
        long expected = 300 * MS;
        for (int i = 1; i <= 12; i++) {
            rtt.backoff();
            expected = Math.min(expected * 2, 60 * S);
            assertEquals(expected, rtt.rto());
            assertEquals(i, rtt.backoffs());
        }
        assertEquals(60 * S, rtt.rto());
        rtt.resetBackoff();
        assertEquals(300 * MS, rtt.rto());
        assertEquals(0, rtt.backoffs());
        rtt.backoff();
        rtt.sample(100 * MS);
        assertEquals(0, rtt.backoffs());
        assertTrue(rtt.rto() < 400 * MS);
    }

    @Test
    void neverOverflowsWhateverTheSamplesOrBackoffs() {
        RttEstimator rtt = new RttEstimator(1, Long.MAX_VALUE, 1);
        for (int i = 0; i < 100; i++) {
            rtt.backoff();
            assertTrue(rtt.rto() > 0);
        }
        assertEquals(Long.MAX_VALUE, rtt.rto());
        rtt.sample(Long.MAX_VALUE);
        assertEquals(RttEstimator.MAX_SAMPLE_NANOS, rtt.srtt(), "a bogus sample is taken as an hour");
        assertTrue(rtt.rto() > 0);
    }

    @Test
    void ignoresNegativeSamples() {
        RttEstimator rtt = linuxLike();
        rtt.sample(-5);
        assertFalse(rtt.hasSample());
        rtt.sample(50 * MS);
        rtt.backoff();
        rtt.sample(-1);
        assertEquals(50 * MS, rtt.srtt());
        assertEquals(1, rtt.backoffs(), "an ignored sample does not end the backoff");
        rtt.sample(0);
        assertEquals(0, rtt.minRtt(), "zero is a real sample on a fast link");
    }

    @Test
    void rejectsInconsistentBounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RttEstimator(2 * S, 1 * S, 1 * S));
        assertEquals("RTO bounds need 0 < min <= initial <= max; got min 2000000000 ns, initial 1000000000 ns, "
                + "max 1000000000 ns", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RttEstimator(0, S, S));
        assertThrows(IllegalArgumentException.class, () -> new RttEstimator(MS, S, 2 * S));
    }

    /** RFC 6298's formulas in exact floating point; the integer version may only lose a few ns to rounding. */
    @Test
    void agreesWithTheFormulasInFloatingPoint() {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            long min = (1 + random.nextInt(300)) * MS;
            long max = min + random.nextLong(120 * S);
            RttEstimator rtt = new RttEstimator(min, max, min);
            double srtt = 0;
            double rttvar = 0;
            long smallest = Long.MAX_VALUE;
            long base = (1 + random.nextInt(500)) * MS;
            for (int i = 0; i < 5000; i++) {
                long r = Math.max(0, base + (long) (random.nextGaussian() * base / 3));
                if (random.nextInt(100) == 0) {
                    base = (1 + random.nextInt(500)) * MS;
                }
                if (i == 0) {
                    srtt = r;
                    rttvar = r / 2.0;
                } else {
                    rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - r);
                    srtt = 0.875 * srtt + 0.125 * r;
                }
                smallest = Math.min(smallest, r);
                rtt.sample(r);
                assertEquals(srtt, rtt.srtt(), 16, "srtt after sample " + i);
                assertEquals(rttvar, rtt.rttvar(), 16, "rttvar after sample " + i);
                double rto = Math.clamp(srtt + Math.max(MS, 4 * rttvar), min, max);
                assertEquals(rto, rtt.rto(), 128);
                assertEquals(smallest, rtt.minRtt());
                int backoffs = random.nextInt(3);
                for (int b = 0; b < backoffs; b++) {
                    rtt.backoff();
                    rto = Math.min(rto * 2, max);
                }
                assertEquals(rto, rtt.rto(), 512);
                assertEquals(backoffs, rtt.backoffs());
            }
        }
    }
}
