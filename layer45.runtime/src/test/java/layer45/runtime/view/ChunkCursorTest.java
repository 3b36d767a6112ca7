package layer45.runtime.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The chunk a module reads: a read-only cursor over the segments the flow lends (rules 7 and 8). */
class ChunkCursorTest {

    static final int HOLD_LIMIT = 4096;

    /** A module on a flow that records what it was told. */
    static final class RecordingOwner implements ViewOwner {
        final List<String> problems = new ArrayList<>();

        @Override
        public void keptViewUsed(String problem) {
            problems.add(problem);
        }

        @Override
        public String moduleName() {
            return "cursor-test";
        }
    }

    /** How a segment's bytes are laid out in memory. */
    enum Kind {
        /** A whole heap array. */
        HEAP,
        /** A window of a larger array: non-zero position, limit before the capacity. */
        WINDOW,
        /** A read-only window of a larger array. */
        READ_ONLY,
        /** A slice of a larger array: position 0 but a non-zero array offset. */
        SLICE,
        /** Direct memory, with a non-zero position. */
        DIRECT
    }

    /** Makes a segment holding {@code bytes} from its position to its limit, surrounded by garbage. */
    static ByteBuffer segment(byte[] bytes, Kind kind) {
        int before = 7;
        int after = 5;
        byte[] big = new byte[before + bytes.length + after];
        Arrays.fill(big, (byte) 0x5A);
        System.arraycopy(bytes, 0, big, before, bytes.length);
        return switch (kind) {
            case HEAP -> ByteBuffer.wrap(bytes.clone());
            case WINDOW -> ByteBuffer.wrap(big, before, bytes.length);
            case READ_ONLY -> ByteBuffer.wrap(big, before, bytes.length).asReadOnlyBuffer();
            case SLICE -> ByteBuffer.wrap(big).slice(before, bytes.length);
            case DIRECT -> {
                ByteBuffer direct = ByteBuffer.allocateDirect(big.length);
                direct.put(big);
                yield direct.position(before).limit(before + bytes.length);
            }
        };
    }

    /** A lent chunk with the reference bytes it must show, and a record of its segments' bounds. */
    static final class Fixture {
        final RecordingOwner owner = new RecordingOwner();
        final ChunkCursor cursor = new ChunkCursor(owner);
        final byte[] bytes;
        final ByteBuffer[] segments;
        final int[] positions;
        final int[] limits;
        final byte[][] contents;
        final int nonEmpty;

        Fixture(byte[] data, int[] lengths, Kind[] kinds, boolean endOfStream, boolean datagram) {
            this.bytes = data;
            // Spare array entries after count must be ignored.
            segments = new ByteBuffer[lengths.length + 2];
            positions = new int[lengths.length];
            limits = new int[lengths.length];
            contents = new byte[lengths.length][];
            int at = 0;
            int n = 0;
            for (int i = 0; i < lengths.length; i++) {
                contents[i] = Arrays.copyOfRange(data, at, at + lengths[i]);
                segments[i] = segment(contents[i], kinds[i % kinds.length]);
                positions[i] = segments[i].position();
                limits[i] = segments[i].limit();
                at += lengths[i];
                n += lengths[i] > 0 ? 1 : 0;
            }
            segments[lengths.length] = ByteBuffer.wrap(new byte[] {99, 99});
            if (at != data.length) {
                throw new IllegalArgumentException("segment lengths add up to " + at + ", not " + data.length);
            }
            nonEmpty = n;
            cursor.lend(segments, lengths.length, endOfStream, datagram, HOLD_LIMIT);
        }

        Fixture(byte[] data, int[] lengths, Kind... kinds) {
            this(data, lengths, kinds.length == 0 ? new Kind[] {Kind.HEAP} : kinds, false, false);
        }

        /** Checks that no segment's position, limit or bytes changed. */
        void assertSegmentsUntouched() {
            for (int i = 0; i < positions.length; i++) {
                assertEquals(positions[i], segments[i].position(), "position of segment " + i);
                assertEquals(limits[i], segments[i].limit(), "limit of segment " + i);
                byte[] now = new byte[segments[i].remaining()];
                segments[i].get(segments[i].position(), now);
                assertArrayEquals(contents[i], now, "bytes of segment " + i);
            }
        }
    }

    static byte[] data(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return data;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static int sum(int[] lengths) {
        return Arrays.stream(lengths).sum();
    }

    static Stream<Arguments> segmentations() {
        Kind[] all = Kind.values();
        return Stream.of(
                Arguments.of("one segment", new int[] {10}, new Kind[] {Kind.HEAP}),
                Arguments.of("one window of a larger buffer", new int[] {10}, new Kind[] {Kind.WINDOW}),
                Arguments.of("one read-only segment", new int[] {10}, new Kind[] {Kind.READ_ONLY}),
                Arguments.of("one direct segment", new int[] {10}, new Kind[] {Kind.DIRECT}),
                Arguments.of("two segments", new int[] {3, 4}, all),
                Arguments.of("empty segment in the middle", new int[] {3, 0, 4}, all),
                Arguments.of("several empty segments in the middle", new int[] {2, 0, 0, 5, 0, 1}, all),
                Arguments.of("empty segments at both ends", new int[] {0, 5, 0}, all),
                Arguments.of("more segments than the initial table", new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, all),
                Arguments.of("one-byte chunk", new int[] {1}, all),
                Arguments.of("only an empty segment", new int[] {0}, all),
                Arguments.of("only empty segments", new int[] {0, 0, 0}, all),
                Arguments.of("no segments", new int[] {}, all),
                Arguments.of("long segments of every kind", new int[] {100, 37, 0, 250, 1, 64}, all));
    }

    // ---- shape ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("segmentations")
    void aFreshChunkIsAtItsStartWithAllBytesRemaining(String name, int[] lengths, Kind[] kinds) {
        Fixture f = new Fixture(data(sum(lengths)), lengths, kinds);
        assertEquals(f.bytes.length, f.cursor.remaining());
        assertEquals(0, f.cursor.position());
        assertEquals(f.bytes.length, f.cursor.length());
        assertEquals(f.nonEmpty, f.cursor.segmentCount(), "empty segments are not counted");
        assertFalse(f.cursor.endOfStream());
        f.assertSegmentsUntouched();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("segmentations")
    void positionRemainingAndLengthFollowAdvanceAndRevert(String name, int[] lengths, Kind[] kinds) {
        Fixture f = new Fixture(data(sum(lengths)), lengths, kinds);
        int n = f.bytes.length;
        for (int step = 0; step <= n; step++) {
            f.cursor.advance(step);
            assertEquals(step, f.cursor.position());
            assertEquals(n - step, f.cursor.remaining());
            assertEquals(n, f.cursor.length(), "the length never changes");
            f.cursor.revert(step);
            assertEquals(0, f.cursor.position());
        }
        f.assertSegmentsUntouched();
    }

    // ---- byteAt ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("segmentations")
    void byteAtReadsEveryOffsetFromEveryPosition(String name, int[] lengths, Kind[] kinds) {
        Fixture f = new Fixture(data(sum(lengths)), lengths, kinds);
        int n = f.bytes.length;
        for (int pos = 0; pos <= n; pos++) {
            for (int offset = 0; offset < n - pos; offset++) {
                assertEquals(f.bytes[pos + offset], f.cursor.byteAt(offset), "byteAt(" + offset + ") at " + pos);
            }
            // backwards too, so the segment search cannot rely on moving forward
            for (int offset = n - pos - 1; offset >= 0; offset--) {
                assertEquals(f.bytes[pos + offset], f.cursor.byteAt(offset), "byteAt(" + offset + ") at " + pos);
            }
            int remaining = n - pos;
            assertThrows(IndexOutOfBoundsException.class, () -> f.cursor.byteAt(remaining));
            assertThrows(IndexOutOfBoundsException.class, () -> f.cursor.byteAt(-1));
            assertEquals(pos, f.cursor.position(), "byteAt does not move the position");
            if (pos < n) {
                f.cursor.advance(1);
            }
        }
        f.assertSegmentsUntouched();
    }

    // ---- startsWith / indexOf ----

    /** "abcdefghij" as "abc" | "" | "de" | "fghij". */
    static Fixture letters(Kind... kinds) {
        return new Fixture(ascii("abcdefghij"), new int[] {3, 0, 2, 5}, kinds);
    }

    @ParameterizedTest(name = "indexOf({0}) = {1}")
    @CsvSource(textBlock = """
            a,          0
            abc,        0
            cd,         2
            cdef,       2
            bcdefg,     1
            de,         3
            ef,         4
            fghij,      5
            ij,         8
            j,          9
            abcdefghij, 0
            ac,         -1
            ce,         -1
            jk,         -1
            xyz,        -1
            abcdefghijk,-1
            """)
    void indexOfFindsPatternsAcrossSegmentBoundaries(String pattern, int expected) {
        for (Kind kind : Kind.values()) {
            Fixture f = letters(kind);
            assertEquals(expected, f.cursor.indexOf(ascii(pattern)), kind.name());
            assertEquals(0, f.cursor.position(), "indexOf does not move the position");
            f.assertSegmentsUntouched();
        }
    }

    @ParameterizedTest(name = "startsWith({0}) = {1}")
    @CsvSource(textBlock = """
            a,           true
            abc,         true
            abcd,        true
            abcdef,      true
            abcdefghij,  true
            abcdefghijk, false
            abd,         false
            b,           false
            abcdefghiX,  false
            """)
    void startsWithComparesAcrossSegmentBoundaries(String prefix, boolean expected) {
        for (Kind kind : Kind.values()) {
            Fixture f = letters(kind);
            assertEquals(expected, f.cursor.startsWith(ascii(prefix)), kind.name());
            assertEquals(0, f.cursor.position(), "startsWith does not move the position");
        }
    }

    @Test
    void startsWithAndIndexOfAreRelativeToThePosition() {
        Fixture f = letters(Kind.WINDOW, Kind.READ_ONLY);
        f.cursor.advance(2); // at "c"
        assertTrue(f.cursor.startsWith(ascii("cdef")));
        assertFalse(f.cursor.startsWith(ascii("abc")));
        assertEquals(0, f.cursor.indexOf(ascii("cd")));
        assertEquals(3, f.cursor.indexOf(ascii("fg")));
        assertEquals(-1, f.cursor.indexOf(ascii("ab")), "bytes before the position are not searched");
        f.cursor.advance(8);
        assertEquals(-1, f.cursor.indexOf(ascii("j")), "nothing remains to search");
        assertTrue(f.cursor.startsWith(new byte[0]));
        assertFalse(f.cursor.startsWith(ascii("j")));
    }

    @Test
    void indexOfFindsTheFirstOccurrenceAfterAPartialMatch() {
        // "aaab" split so that the partial matches "aa" straddle the boundaries
        Fixture f = new Fixture(ascii("aaaab"), new int[] {2, 1, 2}, Kind.values());
        assertEquals(2, f.cursor.indexOf(ascii("aab")));
        assertEquals(3, f.cursor.indexOf(ascii("ab")));
        assertEquals(0, f.cursor.indexOf(ascii("aaaa")));
        assertEquals(-1, f.cursor.indexOf(ascii("aaaaa")));
    }

    @Test
    void anEmptyPrefixMatchesAnywhere() {
        Fixture f = letters(Kind.HEAP);
        assertTrue(f.cursor.startsWith(new byte[0]));
        Fixture empty = new Fixture(new byte[0], new int[] {0, 0});
        assertTrue(empty.cursor.startsWith(new byte[0]));
        assertFalse(empty.cursor.startsWith(new byte[] {1}));
        assertEquals(-1, empty.cursor.indexOf(new byte[] {1}));
    }

    @Test
    void indexOfRejectsAnEmptyPattern() {
        Fixture f = letters(Kind.HEAP);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.cursor.indexOf(new byte[0]));
        assertTrue(e.getMessage().contains("at least one byte"), e.getMessage());
    }

    // ---- regionMatches ----

    @ParameterizedTest(name = "regionMatches({0}, {1}) = {2}")
    @CsvSource(textBlock = """
            0, abc,        true
            2, cdef,       true
            3, de,         true
            4, efghij,     true
            9, j,          true
            0, abcdefghij, true
            10, '',        true
            2, cdeX,       false
            9, jk,         false
            10, j,         false
            11, '',        false
            """)
    void regionMatchesComparesAtAnOffsetAcrossSegmentBoundaries(int offset, String expected, boolean matches) {
        for (Kind kind : Kind.values()) {
            Fixture f = letters(kind);
            byte[] bytes = ascii(expected);
            assertEquals(matches, f.cursor.regionMatches(offset, bytes, 0, bytes.length), kind.name());
            assertEquals(0, f.cursor.position(), "regionMatches does not move the position");
            f.assertSegmentsUntouched();
        }
    }

    @Test
    void regionMatchesIsRelativeToThePositionAndComparesOnlyTheGivenRangeOfTheArray() {
        Fixture f = letters(Kind.DIRECT, Kind.WINDOW);
        byte[] tag = ascii("XXdefgYY");
        f.cursor.advance(2); // at "c"
        assertTrue(f.cursor.regionMatches(1, tag, 2, 4), "\"defg\" one byte after the position");
        assertFalse(f.cursor.regionMatches(0, tag, 2, 4));
        assertTrue(f.cursor.regionMatches(1, tag, 2, 0), "an empty range matches");
        f.cursor.revert(1);
        assertTrue(f.cursor.regionMatches(2, tag, 2, 4), "after revert the offset counts from the new position");
        f.cursor.advance(9);
        assertTrue(f.cursor.regionMatches(0, tag, 0, 0), "an empty range matches at the end");
        assertFalse(f.cursor.regionMatches(0, ascii("j"), 0, 1), "nothing remains");
    }

    @Test
    void regionMatchesOutsideItsArgumentsThrowsAndSaysWhatToDo() {
        Fixture f = letters(Kind.HEAP);
        byte[] tag = ascii("abc");
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> f.cursor.regionMatches(-1, tag, 0, 1));
        assertTrue(e.getMessage().contains("revert()"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> f.cursor.regionMatches(0, tag, 1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> f.cursor.regionMatches(0, tag, -1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> f.cursor.regionMatches(0, tag, 0, -1));
    }

    @Test
    void readsAndComparisonsOfLongDirectSegmentsAcrossARingWrapMatchTheBytes() {
        // A ring buffer that wrapped: the chunk is the ring's end, then its start, each longer than the window.
        byte[] data = data(3 * ChunkCursor.WINDOW + 41);
        int first = 2 * ChunkCursor.WINDOW - 5;
        Fixture f = new Fixture(data, new int[] {first, data.length - first}, Kind.DIRECT);
        for (int at = 0; at < data.length; at += 7) {
            assertEquals(data[at], f.cursor.byteAt(at), "byteAt(" + at + ")");
        }
        for (int at = data.length - 1; at >= 0; at -= 11) {
            assertEquals(data[at], f.cursor.byteAt(at), "byteAt(" + at + ") backwards");
        }
        for (int at = 0; at + 40 <= data.length; at += 13) {
            assertTrue(f.cursor.regionMatches(at, data, at, 40), "regionMatches at " + at);
            byte[] changed = Arrays.copyOfRange(data, at, at + 40);
            changed[39] ^= 1;
            assertFalse(f.cursor.regionMatches(at, changed, 0, 40), "a last byte that differs, at " + at);
        }
        assertTrue(f.cursor.regionMatches(0, data, 0, data.length), "the whole chunk, window after window");
        byte[] pattern = Arrays.copyOfRange(data, first - 3, first + 3);
        assertEquals(first - 3, f.cursor.indexOf(pattern), "a pattern across the wrap");
        f.assertSegmentsUntouched();
    }

    // ---- copyFull ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("segmentations")
    void copyFullIntoAnArrayCopiesAndAdvancesForEveryLengthAndPosition(String name, int[] lengths, Kind[] kinds) {
        Fixture f = new Fixture(data(sum(lengths)), lengths, kinds);
        int n = f.bytes.length;
        for (int pos = 0; pos <= n; pos++) {
            for (int len = 0; len <= n - pos; len++) {
                f.cursor.advance(pos);
                byte[] dst = new byte[len];
                assertTrue(f.cursor.copyFull(dst), "copyFull(byte[" + len + "]) at " + pos);
                assertArrayEquals(Arrays.copyOfRange(f.bytes, pos, pos + len), dst);
                assertEquals(pos + len, f.cursor.position());
                f.cursor.revert(pos + len);
            }
        }
        f.assertSegmentsUntouched();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("segmentations")
    void copyFullIntoAnArrayRangeWritesOnlyThatRange(String name, int[] lengths, Kind[] kinds) {
        Fixture f = new Fixture(data(sum(lengths)), lengths, kinds);
        int n = f.bytes.length;
        for (int pos = 0; pos <= n; pos++) {
            for (int len = 0; len <= n - pos; len++) {
                f.cursor.advance(pos);
                byte[] dst = new byte[len + 4];
                Arrays.fill(dst, (byte) -1);
                assertTrue(f.cursor.copyFull(dst, 3, len));
                byte[] expected = new byte[len + 4];
                Arrays.fill(expected, (byte) -1);
                System.arraycopy(f.bytes, pos, expected, 3, len);
                assertArrayEquals(expected, dst);
                assertEquals(pos + len, f.cursor.position());
                f.cursor.revert(pos + len);
            }
        }
        f.assertSegmentsUntouched();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("segmentations")
    void copyFullIntoAByteBufferFillsItAndMovesItsPosition(String name, int[] lengths, Kind[] kinds) {
        Fixture f = new Fixture(data(sum(lengths)), lengths, kinds);
        int n = f.bytes.length;
        for (boolean direct : new boolean[] {false, true}) {
            for (int pos = 0; pos <= n; pos++) {
                for (int len = 0; len <= n - pos; len++) {
                    f.cursor.advance(pos);
                    ByteBuffer dst = direct ? ByteBuffer.allocateDirect(len + 6) : ByteBuffer.allocate(len + 6);
                    dst.position(2).limit(2 + len);
                    assertTrue(f.cursor.copyFull(dst), "copyFull(ByteBuffer[" + len + "]) at " + pos);
                    assertEquals(2 + len, dst.position(), "the destination's position moves past the bytes");
                    assertEquals(2 + len, dst.limit());
                    byte[] got = new byte[len];
                    dst.get(2, got);
                    assertArrayEquals(Arrays.copyOfRange(f.bytes, pos, pos + len), got);
                    assertEquals(0, dst.get(0), "nothing written before the destination's position");
                    assertEquals(pos + len, f.cursor.position());
                    f.cursor.revert(pos + len);
                }
            }
        }
        f.assertSegmentsUntouched();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("segmentations")
    void copyingZeroBytesSucceedsEvenAtTheEndOfTheChunk(String name, int[] lengths, Kind[] kinds) {
        Fixture f = new Fixture(data(sum(lengths)), lengths, kinds);
        f.cursor.advance(f.cursor.remaining());
        assertTrue(f.cursor.copyFull(new byte[0]));
        assertTrue(f.cursor.copyFull(new byte[3], 1, 0));
        assertTrue(f.cursor.copyFull(ByteBuffer.allocate(0)));
        assertEquals(f.bytes.length, f.cursor.position());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("segmentations")
    void copyFullCopiesNothingWhenTooFewBytesRemain(String name, int[] lengths, Kind[] kinds) {
        Fixture f = new Fixture(data(sum(lengths)), lengths, kinds);
        int n = f.bytes.length;
        for (int pos = 0; pos <= n; pos++) {
            f.cursor.advance(pos);
            int tooMany = n - pos + 1;

            byte[] dst = new byte[tooMany];
            Arrays.fill(dst, (byte) -3);
            assertFalse(f.cursor.copyFull(dst));
            assertTrue(allEqual(dst, (byte) -3), "nothing copied into byte[]");
            assertEquals(pos, f.cursor.position());

            byte[] dst2 = new byte[tooMany + 5];
            Arrays.fill(dst2, (byte) -3);
            assertFalse(f.cursor.copyFull(dst2, 5, tooMany));
            assertTrue(allEqual(dst2, (byte) -3), "nothing copied into the array range");
            assertEquals(pos, f.cursor.position());

            ByteBuffer buffer = ByteBuffer.allocate(tooMany + 2);
            buffer.position(1);
            assertFalse(f.cursor.copyFull(buffer));
            assertEquals(1, buffer.position(), "the destination's position does not move");
            assertEquals(tooMany + 2, buffer.limit());
            assertTrue(allEqual(buffer.array(), (byte) 0), "nothing copied into the ByteBuffer");
            assertEquals(pos, f.cursor.position());

            f.cursor.revert(pos);
        }
        f.assertSegmentsUntouched();
    }

    @Test
    void copyFullIntoAnArrayRangeThatDoesNotFitThrowsAndCopiesNothing() {
        Fixture f = letters(Kind.WINDOW);
        byte[] dst = new byte[4];
        assertThrows(IndexOutOfBoundsException.class, () -> f.cursor.copyFull(dst, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> f.cursor.copyFull(dst, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> f.cursor.copyFull(dst, 3, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> f.cursor.copyFull(dst, 5, 0));
        assertArrayEquals(new byte[4], dst);
        assertEquals(0, f.cursor.position());
    }

    @Test
    void copyFullIntoAReadOnlyByteBufferFailsWithoutMovingThePosition() {
        Fixture f = letters(Kind.HEAP);
        ByteBuffer readOnly = ByteBuffer.allocate(4).asReadOnlyBuffer();
        assertThrows(ReadOnlyBufferException.class, () -> f.cursor.copyFull(readOnly));
        assertEquals(0, readOnly.position());
        assertEquals(0, f.cursor.position(), "a copy the destination refused does not move the position");
    }

    // ---- advance / revert ----

    @Test
    void advanceBeyondTheRemainingBytesIsRejectedWithTheNumbers() {
        Fixture f = letters(Kind.HEAP);
        f.cursor.advance(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.cursor.advance(7));
        assertTrue(e.getMessage().contains("7") && e.getMessage().contains("6 remain"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.cursor.advance(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertEquals(4, f.cursor.position(), "a refused advance leaves the position");
        f.cursor.advance(6);
        assertEquals(0, f.cursor.remaining());
        assertThrows(IllegalArgumentException.class, () -> f.cursor.advance(1));
        f.cursor.advance(0);
    }

    @Test
    void revertBeyondTheStartIsRejectedWithTheNumbers() {
        Fixture f = letters(Kind.HEAP);
        f.cursor.advance(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.cursor.revert(4));
        assertTrue(e.getMessage().contains("4") && e.getMessage().contains("position is 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> f.cursor.revert(-2));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
        assertEquals(3, f.cursor.position(), "a refused revert leaves the position");
        f.cursor.revert(3);
        assertEquals(0, f.cursor.position());
        f.cursor.revert(0);
    }

    // ---- holding ----

    @Test
    void aChunkWithoutAHoldRequestReportsNone() {
        Fixture f = letters(Kind.HEAP);
        assertEquals(-1, f.cursor.holdFrom());
        assertEquals(0, f.cursor.holdWanted());
    }

    @Test
    void holdUnreadRecordsThePositionAndTheWantedLength() {
        Fixture f = letters(Kind.HEAP);
        f.cursor.advance(4);
        f.cursor.holdUnread(100);
        assertEquals(4, f.cursor.holdFrom());
        assertEquals(100, f.cursor.holdWanted());
        assertEquals(4, f.cursor.position(), "holding does not move the position");
        f.cursor.advance(2);
        f.cursor.holdUnread();
        assertEquals(6, f.cursor.holdFrom(), "the last request wins");
        assertEquals(0, f.cursor.holdWanted(), "holdUnread() wants any length");
        f.cursor.endCall();
        assertEquals(6, f.cursor.holdFrom(), "the runtime reads the request after the call");
    }

    @Test
    void holdingEverythingOrNothingIsAllowed() {
        Fixture f = letters(Kind.HEAP);
        f.cursor.holdUnread(HOLD_LIMIT);
        assertEquals(0, f.cursor.holdFrom());
        assertEquals(HOLD_LIMIT, f.cursor.holdWanted());
        f.cursor.advance(10);
        f.cursor.holdUnread(0);
        assertEquals(10, f.cursor.holdFrom());
    }

    @ParameterizedTest(name = "holdUnread({0})")
    @ValueSource(ints = {-1, HOLD_LIMIT + 1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void holdUnreadOutsideZeroToTheHoldLimitIsRejected(int wanted) {
        Fixture f = letters(Kind.HEAP);
        f.cursor.advance(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.cursor.holdUnread(wanted));
        assertTrue(e.getMessage().contains(String.valueOf(HOLD_LIMIT)) && e.getMessage().contains("hold.limit"),
                e.getMessage());
        assertEquals(-1, f.cursor.holdFrom(), "a refused request holds nothing");
        assertEquals(0, f.cursor.holdWanted());
    }

    @Test
    void holdingInADatagramFlowIsRefused() {
        Fixture f = new Fixture(ascii("datagram"), new int[] {8}, new Kind[] {Kind.HEAP}, false, true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.cursor.holdUnread());
        assertTrue(e.getMessage().contains("datagram"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> f.cursor.holdUnread(4));
        assertEquals(-1, f.cursor.holdFrom());
        assertTrue(f.owner.problems.isEmpty(), "refusing to hold is not a rule-2 misuse");
    }

    @Test
    void aNewLendForgetsThePreviousHoldRequestAndPosition() {
        Fixture f = letters(Kind.HEAP);
        f.cursor.advance(5);
        f.cursor.holdUnread(20);
        f.cursor.endCall();
        f.cursor.lend(new ByteBuffer[] {ByteBuffer.wrap(ascii("xyz"))}, 1, true, false, HOLD_LIMIT);
        assertEquals(-1, f.cursor.holdFrom());
        assertEquals(0, f.cursor.holdWanted());
        assertEquals(0, f.cursor.position());
        assertEquals(3, f.cursor.length());
        assertTrue(f.cursor.startsWith(ascii("xyz")));
    }

    @ParameterizedTest(name = "endOfStream={0}")
    @ValueSource(booleans = {true, false})
    void endOfStreamIsWhatTheFlowSaid(boolean endOfStream) {
        Fixture f = new Fixture(ascii("tail"), new int[] {2, 2}, new Kind[] {Kind.HEAP}, endOfStream, false);
        assertEquals(endOfStream, f.cursor.endOfStream());
    }

    @Test
    void aDatagramIsNeverTheEndOfAStreamWhenTheFlowSaysSo() {
        Fixture f = new Fixture(ascii("dgram"), new int[] {5}, new Kind[] {Kind.HEAP}, false, true);
        assertFalse(f.cursor.endOfStream());
    }

    // ---- model-based ----

    /** The same chunk as a plain array and a position. */
    static final class Model {
        final byte[] bytes;
        int position;

        Model(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - position;
        }

        boolean startsWith(byte[] prefix) {
            return prefix.length <= remaining()
                    && Arrays.equals(bytes, position, position + prefix.length, prefix, 0, prefix.length);
        }

        int indexOf(byte[] pattern) {
            for (int at = position; at + pattern.length <= bytes.length; at++) {
                if (Arrays.equals(bytes, at, at + pattern.length, pattern, 0, pattern.length)) {
                    return at - position;
                }
            }
            return -1;
        }
    }

    @Test
    void everyReadOfRandomlySegmentedChunksMatchesAPlainArray() {
        Random random = new Random(0x1a4e45L);
        Kind[] kinds = Kind.values();
        for (int scenario = 0; scenario < 2000; scenario++) {
            int length = random.nextInt(4) == 0 ? random.nextInt(4) : random.nextInt(80);
            byte[] data = new byte[length];
            // a small alphabet so that patterns repeat and partially match
            for (int i = 0; i < length; i++) {
                data[i] = (byte) random.nextInt(3);
            }
            int segmentCount = random.nextInt(8);
            int[] lengths = randomSplit(random, length, segmentCount);
            Kind[] chosen = new Kind[lengths.length == 0 ? 1 : lengths.length];
            for (int i = 0; i < chosen.length; i++) {
                chosen[i] = kinds[random.nextInt(kinds.length)];
            }
            Fixture f = new Fixture(data, lengths, chosen);
            Model m = new Model(data);
            String where = "scenario " + scenario + " lengths " + Arrays.toString(lengths);
            for (int op = 0; op < 40; op++) {
                applyRandomOperation(random, f.cursor, f.nonEmpty, m, where + " op " + op);
            }
            f.assertSegmentsUntouched();
        }
    }

    private static int[] randomSplit(Random random, int length, int segmentCount) {
        if (segmentCount == 0) {
            if (length == 0) {
                return new int[0];
            }
            segmentCount = 1;
        }
        int[] cuts = new int[segmentCount - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = random.nextInt(length + 1);
        }
        Arrays.sort(cuts);
        int[] lengths = new int[segmentCount];
        int previous = 0;
        for (int i = 0; i < cuts.length; i++) {
            lengths[i] = cuts[i] - previous;
            previous = cuts[i];
        }
        lengths[segmentCount - 1] = length - previous;
        return lengths;
    }

    private static byte[] randomPattern(Random random, Model m, boolean allowEmpty) {
        int n = allowEmpty ? random.nextInt(6) : 1 + random.nextInt(5);
        if (random.nextBoolean() && m.remaining() >= n) {
            // taken from the chunk, so it is likely to be found
            int at = m.position + random.nextInt(m.remaining() - n + 1);
            return Arrays.copyOfRange(m.bytes, at, at + n);
        }
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) random.nextInt(3);
        }
        return p;
    }

    private static void applyRandomOperation(Random random, ChunkCursor c, int nonEmpty, Model m, String where) {
        switch (random.nextInt(11)) {
            case 0 -> {
                assertEquals(m.remaining(), c.remaining(), where);
                assertEquals(m.position, c.position(), where);
                assertEquals(m.bytes.length, c.length(), where);
            }
            case 1 -> {
                int offset = random.nextInt(m.remaining() + 2) - 1;
                if (offset >= 0 && offset < m.remaining()) {
                    assertEquals(m.bytes[m.position + offset], c.byteAt(offset), where);
                } else {
                    assertThrows(IndexOutOfBoundsException.class, () -> c.byteAt(offset), where);
                }
            }
            case 2 -> {
                byte[] p = randomPattern(random, m, true);
                assertEquals(m.startsWith(p), c.startsWith(p), where + " startsWith " + Arrays.toString(p));
            }
            case 3 -> {
                byte[] p = randomPattern(random, m, false);
                assertEquals(m.indexOf(p), c.indexOf(p), where + " indexOf " + Arrays.toString(p));
            }
            case 4 -> {
                int n = random.nextInt(m.remaining() + 3);
                byte[] dst = new byte[n];
                boolean fits = n <= m.remaining();
                assertEquals(fits, c.copyFull(dst), where);
                if (fits) {
                    assertArrayEquals(Arrays.copyOfRange(m.bytes, m.position, m.position + n), dst, where);
                    m.position += n;
                } else {
                    assertArrayEquals(new byte[n], dst, where);
                }
            }
            case 5 -> {
                int n = random.nextInt(m.remaining() + 3);
                int offset = random.nextInt(3);
                byte[] dst = new byte[offset + n + random.nextInt(3)];
                Arrays.fill(dst, (byte) 9);
                boolean fits = n <= m.remaining();
                assertEquals(fits, c.copyFull(dst, offset, n), where);
                byte[] expected = new byte[dst.length];
                Arrays.fill(expected, (byte) 9);
                if (fits) {
                    System.arraycopy(m.bytes, m.position, expected, offset, n);
                    m.position += n;
                }
                assertArrayEquals(expected, dst, where);
            }
            case 6 -> {
                int n = random.nextInt(m.remaining() + 3);
                ByteBuffer dst = random.nextBoolean() ? ByteBuffer.allocate(n + 1) : ByteBuffer.allocateDirect(n + 1);
                dst.position(1);
                boolean fits = n <= m.remaining();
                assertEquals(fits, c.copyFull(dst), where);
                byte[] got = new byte[n];
                dst.get(1, got);
                if (fits) {
                    assertArrayEquals(Arrays.copyOfRange(m.bytes, m.position, m.position + n), got, where);
                    assertEquals(n + 1, dst.position(), where);
                    m.position += n;
                } else {
                    assertArrayEquals(new byte[n], got, where);
                    assertEquals(1, dst.position(), where);
                }
            }
            case 7 -> {
                int n = random.nextInt(m.remaining() + 3) - 1;
                if (n >= 0 && n <= m.remaining()) {
                    c.advance(n);
                    m.position += n;
                } else {
                    assertThrows(IllegalArgumentException.class, () -> c.advance(n), where);
                }
            }
            case 8 -> {
                int n = random.nextInt(m.position + 3) - 1;
                if (n >= 0 && n <= m.position) {
                    c.revert(n);
                    m.position -= n;
                } else {
                    assertThrows(IllegalArgumentException.class, () -> c.revert(n), where);
                }
            }
            case 9 -> assertEquals(nonEmpty, c.segmentCount(), where + ": segmentCount does not depend on the position");
            case 10 -> {
                byte[] p = randomPattern(random, m, true);
                int offset = random.nextInt(m.remaining() + 2);
                boolean expected = offset + p.length <= m.remaining() && Arrays.equals(m.bytes, m.position + offset,
                        m.position + offset + p.length, p, 0, p.length);
                assertEquals(expected, c.regionMatches(offset, p, 0, p.length), where + " regionMatches " + offset
                        + " " + Arrays.toString(p));
            }
            default -> fail("no such operation");
        }
        assertEquals(m.position, c.position(), where);
    }

    private static boolean allEqual(byte[] bytes, byte value) {
        for (byte b : bytes) {
            if (b != value) {
                return false;
            }
        }
        return true;
    }
}
