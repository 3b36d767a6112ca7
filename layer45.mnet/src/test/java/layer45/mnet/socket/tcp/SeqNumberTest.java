package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SeqNumberTest {

    private static final long MOD = 1L << 32;

    @Test
    void comparesAcrossTheWrap() {
        int beforeWrap = 0xFFFF_FFF0;
        int afterWrap = 0x10;
        assertTrue(SeqNumber.lt(beforeWrap, afterWrap));
        assertTrue(SeqNumber.le(beforeWrap, afterWrap));
        assertFalse(SeqNumber.gt(beforeWrap, afterWrap));
        assertFalse(SeqNumber.ge(beforeWrap, afterWrap));
        assertTrue(SeqNumber.gt(afterWrap, beforeWrap));
        assertEquals(0x20, SeqNumber.diff(afterWrap, beforeWrap));
        assertEquals(-0x20, SeqNumber.diff(beforeWrap, afterWrap));
        assertEquals(afterWrap, SeqNumber.max(beforeWrap, afterWrap));
        assertEquals(afterWrap, SeqNumber.max(afterWrap, beforeWrap));
        assertEquals(beforeWrap, SeqNumber.min(beforeWrap, afterWrap));
        assertEquals(beforeWrap, SeqNumber.min(afterWrap, beforeWrap));
        assertTrue(SeqNumber.lt(Integer.MAX_VALUE, Integer.MIN_VALUE), "signed overflow is just the next number");
    }

    @Test
    void equalNumbersAreOnlyLessOrEqual() {
        for (int a : new int[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 12345}) {
            assertFalse(SeqNumber.lt(a, a));
            assertTrue(SeqNumber.le(a, a));
            assertFalse(SeqNumber.gt(a, a));
            assertTrue(SeqNumber.ge(a, a));
            assertEquals(0, SeqNumber.diff(a, a));
            assertEquals(a, SeqNumber.max(a, a));
        }
    }

    @Test
    void windowsIncludeTheirStartAndExcludeTheirEnd() {
        int start = 0xFFFF_FFF0;
        assertTrue(SeqNumber.inWindow(start, start, 0x20));
        assertTrue(SeqNumber.inWindow(0xFFFF_FFFF, start, 0x20));
        assertTrue(SeqNumber.inWindow(0, start, 0x20));
        assertTrue(SeqNumber.inWindow(0x0F, start, 0x20));
        assertFalse(SeqNumber.inWindow(0x10, start, 0x20), "start + length is outside");
        assertFalse(SeqNumber.inWindow(start - 1, start, 0x20));
        assertFalse(SeqNumber.inWindow(start, start, 0), "an empty window holds nothing, not even its start");
        assertFalse(SeqNumber.inWindow(start, start, -5));
        assertTrue(SeqNumber.inWindow(start, start, 1));
        assertTrue(SeqNumber.inWindow(start + Integer.MAX_VALUE - 1, start, Integer.MAX_VALUE));
    }

    @Test
    void agreesWithArithmeticOnLongs() {
        Random random = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            long a = random.nextLong(MOD);
            // Distances below 2^31 either way: the range where sequence comparison is defined.
            long distance = random.nextLong(-(1L << 31) + 1, 1L << 31);
            long b = Math.floorMod(a + distance, MOD);
            int ia = (int) a;
            int ib = (int) b;
            assertEquals(distance > 0, SeqNumber.lt(ia, ib));
            assertEquals(distance >= 0, SeqNumber.le(ia, ib));
            assertEquals(distance < 0, SeqNumber.gt(ia, ib));
            assertEquals(distance <= 0, SeqNumber.ge(ia, ib));
            assertEquals(distance, SeqNumber.diff(ib, ia));
            assertEquals(distance >= 0 ? ib : ia, SeqNumber.max(ia, ib));
            assertEquals(distance >= 0 ? ia : ib, SeqNumber.min(ia, ib));

            int length = random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(1 << 30);
            long offset = Math.floorMod(b - a, MOD);
            assertEquals(offset < length, SeqNumber.inWindow(ib, ia, length),
                    () -> Long.toHexString(b) + " in [" + Long.toHexString(a) + ", +" + length + ")");
        }
    }
}
