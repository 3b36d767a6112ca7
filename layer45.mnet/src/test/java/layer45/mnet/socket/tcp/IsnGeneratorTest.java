package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IsnGeneratorTest {

    private static final long LOCAL = 0x0A00_0001L;
    private static final long REMOTE = 0x0A00_0002L;
    private static final long V6_HIGH = 0x2001_0db8_0000_0000L;

    @Test
    void advancesOnePerFourMicrosecondsForTheSameTuple() {
        IsnGenerator isn = new IsnGenerator(1, 2);
        int first = isn.isn(1_000_000, 0, LOCAL, 40000, 0, REMOTE, 80);
        assertEquals(first, isn.isn(1_003_999, 0, LOCAL, 40000, 0, REMOTE, 80), "same 4 µs tick");
        assertEquals(first + 1, isn.isn(1_004_000, 0, LOCAL, 40000, 0, REMOTE, 80));
        assertEquals(first + 250_000, isn.isn(1_000_000 + 1_000_000_000L, 0, LOCAL, 40000, 0, REMOTE, 80),
                "250000 ticks a second");
        // The timer runs through zero and negative clock readings without a step.
        int beforeZero = isn.isn(-1, 0, LOCAL, 40000, 0, REMOTE, 80);
        int atZero = isn.isn(0, 0, LOCAL, 40000, 0, REMOTE, 80);
        assertEquals(1, atZero - beforeZero);
        assertEquals(atZero, isn.isn(3_999, 0, LOCAL, 40000, 0, REMOTE, 80));
    }

    @Test
    void everyPartOfTheTupleAndTheKeyChangesTheResult() {
        IsnGenerator isn = new IsnGenerator(1, 2);
        long now = 123_456_789;
        Set<Integer> seen = new HashSet<>();
        seen.add(isn.isn(now, 0, LOCAL, 40000, 0, REMOTE, 80));
        seen.add(isn.isn(now, 0, LOCAL, 40001, 0, REMOTE, 80));
        seen.add(isn.isn(now, 0, LOCAL, 40000, 0, REMOTE, 81));
        seen.add(isn.isn(now, 0, LOCAL + 1, 40000, 0, REMOTE, 80));
        seen.add(isn.isn(now, 0, LOCAL, 40000, 0, REMOTE + 1, 80));
        seen.add(isn.isn(now, V6_HIGH, LOCAL, 40000, 0, REMOTE, 80));
        seen.add(isn.isn(now, 0, LOCAL, 40000, V6_HIGH, REMOTE, 80));
        seen.add(isn.isn(now, 0, REMOTE, 80, 0, LOCAL, 40000));
        seen.add(new IsnGenerator(1, 3).isn(now, 0, LOCAL, 40000, 0, REMOTE, 80));
        seen.add(new IsnGenerator(4, 2).isn(now, 0, LOCAL, 40000, 0, REMOTE, 80));
        assertEquals(10, seen.size());
        assertEquals(isn.isn(now, 0, LOCAL, 40000, 0, REMOTE, 80),
                new IsnGenerator(1, 2).isn(now, 0, LOCAL, 40000, 0, REMOTE, 80), "the key alone decides");
    }

    @Test
    void spreadsNearbyPortsOverTheWholeSequenceSpace() {
        IsnGenerator isn = new IsnGenerator(0x1234, 0x5678);
        int[] quarters = new int[4];
        for (int port = 1024; port < 1024 + 4000; port++) {
            quarters[isn.isn(0, 0, LOCAL, port, 0, REMOTE, 443) >>> 30]++;
        }
        for (int q : quarters) {
            assertTrue(q > 850 && q < 1150, "about 1000 in each quarter: " + java.util.Arrays.toString(quarters));
        }
    }

    @Test
    void drawsADifferentKeyEachTime() {
        int a = new IsnGenerator().isn(0, 0, LOCAL, 1, 0, REMOTE, 2);
        int b = new IsnGenerator().isn(0, 0, LOCAL, 1, 0, REMOTE, 2);
        int c = new IsnGenerator().isn(0, 0, LOCAL, 1, 0, REMOTE, 2);
        assertTrue(a != b || b != c, "three random keys giving one ISN would be a 2^-64 event");
    }

    @Test
    void timestampOffsetsDependOnTheAddressPairOnly() {
        IsnGenerator isn = new IsnGenerator(9, 10);
        int offset = isn.timestampOffset(0, LOCAL, 0, REMOTE);
        assertEquals(offset, isn.timestampOffset(0, LOCAL, 0, REMOTE));
        assertEquals(offset, new IsnGenerator(9, 10).timestampOffset(0, LOCAL, 0, REMOTE));
        assertNotEquals(offset, isn.timestampOffset(0, LOCAL, 0, REMOTE + 1));
        assertNotEquals(offset, isn.timestampOffset(0, LOCAL + 1, 0, REMOTE));
        assertNotEquals(offset, isn.timestampOffset(V6_HIGH, LOCAL, 0, REMOTE));
        assertNotEquals(offset, new IsnGenerator(9, 11).timestampOffset(0, LOCAL, 0, REMOTE));
        // Another derivation: the offset is not the ISN's hash part for any port pair tried.
        for (int port = 0; port < 1000; port++) {
            assertNotEquals(offset, isn.isn(0, 0, LOCAL, port, 0, REMOTE, port));
        }
    }
}
