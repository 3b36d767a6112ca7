package layer45.runtime.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bytes a module holds back between calls, presented again at the start of the next chunk. */
class HoldBufferTest {

    static final int LIMIT = 1 << 16;

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A segment of {@code bytes} as a window of a larger array, so its position is not 0. */
    static ByteBuffer window(byte[] bytes) {
        byte[] big = new byte[bytes.length + 6];
        Arrays.fill(big, (byte) '#');
        System.arraycopy(bytes, 0, big, 4, bytes.length);
        return ByteBuffer.wrap(big, 4, bytes.length);
    }

    static ByteBuffer[] segments(String... parts) {
        return Arrays.stream(parts).map(p -> window(ascii(p))).toArray(ByteBuffer[]::new);
    }

    static byte[] held(HoldBuffer hold) {
        ByteBuffer segment = hold.segment();
        assertEquals(0, segment.position(), "the segment starts at position 0");
        assertEquals(hold.length(), segment.limit(), "the segment's limit is the length held");
        byte[] out = new byte[segment.remaining()];
        segment.get(0, out);
        return out;
    }

    static String heldText(HoldBuffer hold) {
        return new String(held(hold), StandardCharsets.US_ASCII);
    }

    /** A hold buffer holding {@code text}. */
    static HoldBuffer holding(String text) {
        HoldBuffer hold = new HoldBuffer();
        assertTrue(hold.keep(segments(text), 1, 0, LIMIT));
        assertEquals(text, heldText(hold));
        return hold;
    }

    /** The chunk the runtime builds from held bytes and new ones: the held segment first. */
    static ByteBuffer[] withHeld(HoldBuffer hold, String... newParts) {
        ByteBuffer[] parts = segments(newParts);
        ByteBuffer[] work = new ByteBuffer[parts.length + 1];
        work[0] = hold.segment();
        System.arraycopy(parts, 0, work, 1, parts.length);
        return work;
    }

    @Test
    void aNewHoldBufferHoldsNothing() {
        HoldBuffer hold = new HoldBuffer();
        assertEquals(0, hold.length());
        assertEquals(0, hold.segment().remaining());
    }

    // ---- keep from a chunk that does not contain the held bytes ----

    @ParameterizedTest(name = "keep from {0}: {1}")
    @CsvSource(textBlock = """
            0,  abcdefg
            1,  bcdefg
            2,  cdefg
            3,  defg
            5,  fg
            6,  g
            7,  ''
            """)
    void keepFromAChunkWithoutHeldBytesReplacesThemWithTheTail(int from, String expected) {
        HoldBuffer hold = holding("old bytes");
        ByteBuffer[] chunk = segments("abc", "", "de", "fg");
        assertTrue(hold.keep(chunk, 4, from, LIMIT));
        assertEquals(expected, heldText(hold));
        assertEquals(expected.length(), hold.length());
        for (ByteBuffer s : chunk) {
            assertEquals(4, s.position(), "the chunk's segments are not moved");
        }
    }

    // ---- keep from a chunk that starts with the held bytes ----

    @ParameterizedTest(name = "held hello + world, keep from {0}: {1}")
    @CsvSource(textBlock = """
            0,  helloworld
            1,  elloworld
            2,  lloworld
            4,  oworld
            5,  world
            6,  orld
            9,  d
            10, ''
            """)
    void keepFromAChunkStartingWithTheHeldBytesSlidesThemToTheFront(int from, String expected) {
        HoldBuffer hold = holding("hello");
        assertTrue(hold.keep(withHeld(hold, "wor", "ld"), 3, from, LIMIT));
        assertEquals(expected, heldText(hold));
    }

    @Test
    void keepFromInsideTheHeldBytesWhenTheBufferMustGrowKeepsThem() {
        // more than the first capacity, so the slide happens in an array that is then replaced
        String old = "0123456789".repeat(100);
        HoldBuffer hold = holding(old);
        String fresh = "abcdefghij".repeat(300);
        assertTrue(hold.keep(withHeld(hold, fresh.substring(0, 1000), fresh.substring(1000)), 3, 37, LIMIT));
        assertEquals(old.substring(37) + fresh, heldText(hold));
    }

    @Test
    void keepingAllOfTheHeldBytesAgainKeepsThemUnchanged() {
        HoldBuffer hold = holding("frame-start");
        assertTrue(hold.keep(withHeld(hold), 1, 0, LIMIT));
        assertEquals("frame-start", heldText(hold));
    }

    @Test
    void heldBytesAreKeptAcrossManyCalls() {
        // A module that consumes 1 byte per call and holds the rest, while 3 new bytes arrive each time.
        HoldBuffer hold = new HoldBuffer();
        StringBuilder model = new StringBuilder();
        for (int call = 0; call < 200; call++) {
            String fresh = String.valueOf((char) ('a' + call % 26)).repeat(3);
            ByteBuffer[] chunk = hold.length() > 0 ? withHeld(hold, fresh) : segments(fresh);
            int count = chunk.length;
            model.append(fresh);
            assertTrue(hold.keep(chunk, count, 1, LIMIT));
            model.deleteCharAt(0);
            assertEquals(model.toString(), heldText(hold), "call " + call);
        }
    }

    // ---- the limit ----

    @Test
    void keepBeyondTheLimitReturnsFalseAndChangesNothing() {
        HoldBuffer hold = holding("keep me");
        ByteBuffer[] chunk = segments("0123456789", "abcdef");
        assertFalse(hold.keep(chunk, 2, 2, 13));
        assertEquals("keep me", heldText(hold));
        assertTrue(hold.keep(chunk, 2, 2, 14), "exactly the limit is allowed");
        assertEquals("23456789abcdef", heldText(hold));
    }

    @Test
    void keepBeyondTheLimitWithTheHeldBytesInTheChunkChangesNothing() {
        HoldBuffer hold = holding("held");
        assertFalse(hold.keep(withHeld(hold, "more"), 2, 0, 7));
        assertEquals("held", heldText(hold));
        assertTrue(hold.keep(withHeld(hold, "more"), 2, 1, 7));
        assertEquals("eldmore", heldText(hold));
    }

    // ---- append ----

    @Test
    void appendAccumulatesChunksAfterTheHeldBytes() {
        HoldBuffer hold = holding("start:");
        ByteBuffer[] first = segments("ab", "", "c");
        assertTrue(hold.append(first, 3, LIMIT));
        assertTrue(hold.append(segments("def"), 1, LIMIT));
        assertTrue(hold.append(new ByteBuffer[0], 0, LIMIT));
        assertEquals("start:abcdef", heldText(hold));
        for (ByteBuffer s : first) {
            assertEquals(4, s.position(), "appending does not move the chunk's segments");
        }
    }

    @Test
    void appendRespectsTheLimit() {
        HoldBuffer hold = holding("12345");
        assertFalse(hold.append(segments("678", "90"), 2, 9));
        assertEquals("12345", heldText(hold), "nothing appended");
        assertTrue(hold.append(segments("678", "9"), 2, 9), "exactly the limit is allowed");
        assertEquals("123456789", heldText(hold));
        assertFalse(hold.append(segments("x"), 1, 9));
        assertEquals("123456789", heldText(hold));
    }

    @Test
    void appendGrowsBeyondTheFirstCapacity() {
        HoldBuffer hold = new HoldBuffer();
        StringBuilder model = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            String part = String.valueOf(i % 10).repeat(97);
            assertTrue(hold.append(segments(part), 1, LIMIT));
            model.append(part);
        }
        assertEquals(model.toString(), heldText(hold));
    }

    // ---- clear / segment ----

    @Test
    void clearForgetsTheHeldBytes() {
        HoldBuffer hold = holding("forget me");
        hold.clear();
        assertEquals(0, hold.length());
        assertEquals(0, hold.segment().remaining());
        assertTrue(hold.append(segments("new"), 1, LIMIT));
        assertEquals("new", heldText(hold));
    }

    @Test
    void theSegmentIsPresentedFromItsStartEveryTime() {
        HoldBuffer hold = holding("abc");
        ByteBuffer s = hold.segment();
        s.position(2); // someone reading it with relative gets
        assertEquals(3, hold.segment().remaining(), "asking again presents all held bytes");
        assertEquals('a', hold.segment().get(0));
    }

    // ---- model-based ----

    @Test
    void randomSequencesOfKeepAppendAndClearMatchAPlainModel() {
        Random random = new Random(0x401dL);
        for (int scenario = 0; scenario < 500; scenario++) {
            HoldBuffer hold = new HoldBuffer();
            byte[] model = new byte[0];
            for (int step = 0; step < 25; step++) {
                String where = "scenario " + scenario + " step " + step;
                int op = random.nextInt(10);
                int limit = random.nextInt(4) == 0 ? random.nextInt(64) : 2000 + random.nextInt(2000);
                List<byte[]> parts = randomParts(random);
                if (op < 6) {
                    boolean includeHeld = hold.length() > 0 ? random.nextInt(4) != 0 : random.nextBoolean();
                    ByteBuffer[] chunk = new ByteBuffer[parts.size() + (includeHeld ? 1 : 0) + 1];
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    int count = 0;
                    if (includeHeld) {
                        chunk[count++] = hold.segment();
                        all.writeBytes(model);
                    }
                    for (byte[] p : parts) {
                        chunk[count++] = window(p);
                        all.writeBytes(p);
                    }
                    chunk[count] = window(new byte[] {42}); // a spare entry beyond count: ignored
                    byte[] whole = all.toByteArray();
                    int from = random.nextInt(whole.length + 1);
                    boolean fits = whole.length - from <= limit;
                    assertEquals(fits, hold.keep(chunk, count, from, limit), where + " keep");
                    if (fits) {
                        model = Arrays.copyOfRange(whole, from, whole.length);
                    }
                    assertSegmentsUnmoved(chunk, includeHeld ? 1 : 0, count, where);
                } else if (op < 9) {
                    ByteBuffer[] chunk = parts.stream().map(HoldBufferTest::window).toArray(ByteBuffer[]::new);
                    int more = parts.stream().mapToInt(p -> p.length).sum();
                    boolean fits = model.length + more <= limit;
                    assertEquals(fits, hold.append(chunk, chunk.length, limit), where + " append");
                    if (fits) {
                        ByteArrayOutputStream all = new ByteArrayOutputStream();
                        all.writeBytes(model);
                        parts.forEach(all::writeBytes);
                        model = all.toByteArray();
                    }
                    assertSegmentsUnmoved(chunk, 0, chunk.length, where);
                } else {
                    hold.clear();
                    model = new byte[0];
                }
                assertEquals(model.length, hold.length(), where);
                assertArrayEquals(model, held(hold), where);
            }
        }
    }

    private static List<byte[]> randomParts(Random random) {
        int n = random.nextInt(4);
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int length = random.nextInt(5) == 0 ? 0 : random.nextInt(random.nextBoolean() ? 20 : 1500);
            byte[] p = new byte[length];
            random.nextBytes(p);
            parts.add(p);
        }
        return parts;
    }

    private static void assertSegmentsUnmoved(ByteBuffer[] chunk, int first, int count, String where) {
        for (int i = first; i < count; i++) {
            assertEquals(4, chunk[i].position(), where + ": segment " + i + " position");
            assertEquals(chunk[i].capacity() - 2, chunk[i].limit(), where + ": segment " + i + " limit");
        }
    }
}
