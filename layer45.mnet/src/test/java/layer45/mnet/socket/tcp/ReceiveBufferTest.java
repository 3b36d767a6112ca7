package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import layer45.mnet.socket.PagePool;
import org.junit.jupiter.api.Test;

class ReceiveBufferTest {

    /** The stream the peer sends: byte i is (byte) i, so any misplaced byte shows. */
    private static final ByteBuffer STREAM;

    static {
        STREAM = ByteBuffer.allocate(1 << 16);
        for (int i = 0; i < STREAM.capacity(); i++) {
            STREAM.put(i, (byte) (i * 7 + i / 256));
        }
    }

    private int inOrderEnd;

    /** Writes stream bytes [start, end), given as absolute positions, with the offset the buffer expects. */
    private int write(ReceiveBuffer buffer, int start, int end) {
        return buffer.write(start - inOrderEnd, STREAM, start, end - start);
    }

    private int deliver(ReceiveBuffer buffer, int start, int end) {
        int grown = write(buffer, start, end);
        if (grown > 0) {
            inOrderEnd += grown;
        }
        return grown;
    }

    private static byte[] stream(int from, int to) {
        byte[] expected = new byte[to - from];
        STREAM.get(from, expected);
        return expected;
    }

    private static byte[] read(ReceiveBuffer buffer, int max) {
        ByteBuffer dst = ByteBuffer.allocate(max);
        int n = buffer.read(dst);
        assertEquals(n, dst.position());
        return Arrays.copyOf(dst.array(), n);
    }

    private static int[][] sack(ReceiveBuffer buffer, int max) {
        int[] lefts = new int[max];
        int[] rights = new int[max];
        int n = buffer.sackBlocks(lefts, rights, max);
        int[][] blocks = new int[n][];
        for (int i = 0; i < n; i++) {
            blocks[i] = new int[] {lefts[i], rights[i]};
        }
        return blocks;
    }

    @Test
    void inOrderDataBecomesReadable() {
        ReceiveBuffer buffer = new ReceiveBuffer(100, 4);
        assertEquals(100, buffer.window());
        assertEquals(30, deliver(buffer, 0, 30));
        assertEquals(30, buffer.readable());
        assertEquals(70, buffer.window());
        assertEquals(0, buffer.rangeCount());
        assertArrayEquals(stream(0, 10), read(buffer, 10));
        assertEquals(20, buffer.readable());
        assertEquals(80, buffer.window());
        assertArrayEquals(stream(10, 30), read(buffer, 100));
        assertEquals(0, buffer.read(ByteBuffer.allocate(5)));
    }

    @Test
    void aFilledHoleReleasesTheRangesBehindIt() {
        ReceiveBuffer buffer = new ReceiveBuffer(100, 4);
        assertEquals(0, deliver(buffer, 20, 30));
        assertEquals(0, deliver(buffer, 40, 50));
        assertEquals(0, buffer.readable());
        assertEquals(2, buffer.rangeCount());
        assertEquals(20, buffer.outOfOrderBytes());
        assertEquals(100, buffer.window(), "out-of-order bytes lie inside the window");
        assertEquals(0, deliver(buffer, 30, 40), "bridging two ranges makes one");
        assertEquals(1, buffer.rangeCount());
        assertEquals(30, buffer.outOfOrderBytes());
        assertEquals(50, deliver(buffer, 0, 20), "the hole filled: all 50 bytes are in order");
        assertEquals(0, buffer.rangeCount());
        assertEquals(0, buffer.outOfOrderBytes());
        assertArrayEquals(stream(0, 50), read(buffer, 50));
    }

    @Test
    void overlappingAndDuplicateDataIsTakenOnce() {
        ReceiveBuffer buffer = new ReceiveBuffer(100, 4);
        deliver(buffer, 10, 20);
        assertEquals(0, deliver(buffer, 15, 25), "extends the range");
        assertEquals(0, deliver(buffer, 5, 12), "extends it backwards");
        assertEquals(0, deliver(buffer, 10, 20), "a duplicate");
        assertEquals(1, buffer.rangeCount());
        assertEquals(20, buffer.outOfOrderBytes());
        assertEquals(25, deliver(buffer, 0, 8));
        assertEquals(0, deliver(buffer, 0, 25), "already received: a negative offset");
        assertEquals(5, deliver(buffer, 20, 30), "the part before the contiguous end is skipped");
        assertEquals(30, buffer.readable());
        assertArrayEquals(stream(0, 30), read(buffer, 30));
    }

    @Test
    void dataBeyondTheWindowIsCutOff() {
        ReceiveBuffer buffer = new ReceiveBuffer(50, 4);
        assertEquals(0, deliver(buffer, 40, 70), "stored up to the window's end");
        assertEquals(10, buffer.outOfOrderBytes());
        assertEquals(0, deliver(buffer, 50, 60), "entirely beyond the window: nothing stored");
        assertEquals(0, deliver(buffer, 60, 60));
        assertEquals(10, buffer.outOfOrderBytes());
        assertEquals(50, deliver(buffer, 0, 45));
        assertEquals(0, buffer.window(), "full until the application reads");
        assertEquals(0, deliver(buffer, 50, 51));
        assertArrayEquals(stream(0, 20), read(buffer, 20));
        assertEquals(20, buffer.window());
        assertEquals(20, deliver(buffer, 50, 100));
        assertArrayEquals(stream(20, 70), read(buffer, 100));
    }

    @Test
    void refusesWholeSegmentsThatWouldNeedOneRangeTooMany() {
        ReceiveBuffer buffer = new ReceiveBuffer(200, 2);
        deliver(buffer, 10, 20);
        deliver(buffer, 30, 40);
        assertEquals(-1, deliver(buffer, 50, 60));
        assertEquals(-1, deliver(buffer, 45, 250), "even when partly beyond the window");
        assertEquals(2, buffer.rangeCount());
        assertEquals(20, buffer.outOfOrderBytes());
        assertEquals(0, deliver(buffer, 38, 45), "extending a range needs no new one");
        assertEquals(-1, deliver(buffer, 21, 29), "between two ranges but touching neither: a third one");
        assertEquals(2, buffer.rangeCount());
        assertEquals(25, buffer.outOfOrderBytes());
        assertEquals(0, deliver(buffer, 20, 30), "bridging merges two into one");
        assertEquals(1, buffer.rangeCount());
        assertEquals(45, deliver(buffer, 0, 10));
        assertArrayEquals(stream(0, 45), read(buffer, 100));
        assertEquals(0, deliver(buffer, 55, 60));
        assertEquals(0, deliver(buffer, 65, 70));
        assertEquals(25, deliver(buffer, 45, 70), "nothing of the refused 50..60 was stored: bytes are right");
        assertArrayEquals(stream(45, 70), read(buffer, 100));
    }

    @Test
    void withNoRangesOnlyInOrderDataIsTaken() {
        ReceiveBuffer buffer = new ReceiveBuffer(10, 0);
        assertEquals(-1, deliver(buffer, 1, 3));
        assertEquals(3, deliver(buffer, 0, 3));
        assertEquals(0, buffer.rangeCount());
    }

    @Test
    void sackBlocksComeMostRecentFirst() {
        ReceiveBuffer buffer = new ReceiveBuffer(1000, 8);
        deliver(buffer, 100, 110);
        deliver(buffer, 300, 310);
        deliver(buffer, 200, 210);
        assertArrayEquals(new int[][] {{200, 210}, {300, 310}, {100, 110}}, sack(buffer, 4));
        assertArrayEquals(new int[][] {{200, 210}, {300, 310}}, sack(buffer, 2));
        assertArrayEquals(new int[0][], sack(buffer, 0));
        deliver(buffer, 105, 115);
        assertArrayEquals(new int[][] {{100, 115}, {200, 210}, {300, 310}}, sack(buffer, 4),
                "the block holding the segment that triggered the ACK comes first");
        deliver(buffer, 210, 300);
        assertArrayEquals(new int[][] {{200, 310}, {100, 115}}, sack(buffer, 4));
        deliver(buffer, 0, 50);
        assertArrayEquals(new int[][] {{150, 260}, {50, 65}}, sack(buffer, 4),
                "offsets count from the new contiguous end");
        assertEquals(65, deliver(buffer, 50, 100), "up to the end of [100, 115)");
        assertArrayEquals(new int[][] {{85, 195}}, sack(buffer, 4));
        assertThrows(IllegalArgumentException.class, () -> buffer.sackBlocks(new int[2], new int[4], 3));
        assertThrows(IllegalArgumentException.class, () -> buffer.sackBlocks(new int[2], new int[2], -1));
    }

    @Test
    void copiesAndConsumesReadableBytes() {
        ReceiveBuffer buffer = new ReceiveBuffer(16, 2);
        deliver(buffer, 0, 12);
        read(buffer, 10);
        deliver(buffer, 12, 24);
        assertEquals(14, buffer.readable(), "bytes 10..24 wrap around the 16-byte ring");
        ByteBuffer dst = ByteBuffer.allocate(20);
        buffer.copyReadable(3, dst, 5, 9);
        assertEquals(0, dst.position());
        assertArrayEquals(stream(13, 22), Arrays.copyOfRange(dst.array(), 5, 14));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.copyReadable(10, dst, 0, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.copyReadable(0, dst, 18, 5));
        buffer.consume(4);
        assertArrayEquals(stream(14, 24), read(buffer, 100));
        assertThrows(IllegalArgumentException.class, () -> buffer.consume(1));
        assertThrows(IllegalArgumentException.class, () -> buffer.consume(-1));
    }

    @Test
    void clearStartsAgainAtOffsetZero() {
        ReceiveBuffer buffer = new ReceiveBuffer(64, 4);
        deliver(buffer, 0, 10);
        deliver(buffer, 20, 30);
        buffer.clear();
        inOrderEnd = 0;
        assertEquals(0, buffer.readable());
        assertEquals(0, buffer.rangeCount());
        assertEquals(64, buffer.window());
        assertEquals(5, deliver(buffer, 0, 5));
        assertArrayEquals(stream(0, 5), read(buffer, 5));
    }

    @Test
    void rejectsBadConstructionAndSourceIndices() {
        assertEquals("a receive buffer holds at least 1 byte; capacity 0 was given",
                assertThrows(IllegalArgumentException.class, () -> new ReceiveBuffer(0, 4)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReceiveBuffer(10, -1));
        ReceiveBuffer buffer = new ReceiveBuffer(10, 4);
        ByteBuffer src = ByteBuffer.allocate(8);
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.write(0, src, 4, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.write(0, src, -1, 2));
        assertEquals(0, buffer.readable());
    }

    /**
     * The reference: which stream bytes arrived, and for each out-of-order byte the step at which its range was last
     * written. Slow and obvious.
     */
    private static final class Model {
        final int capacity;
        final int maxRanges;
        final boolean[] received;
        final long[] stamp;
        int consumed;
        int inOrderEnd;
        long step;

        Model(int capacity, int maxRanges, int streamLength) {
            this.capacity = capacity;
            this.maxRanges = maxRanges;
            this.received = new boolean[streamLength + 1];
            this.stamp = new long[streamLength + 1];
        }

        int window() {
            return capacity - (inOrderEnd - consumed);
        }

        int write(int start, int end) {
            int from = Math.max(start, inOrderEnd);
            int to = Math.min(end, inOrderEnd + window());
            if (to <= from) {
                return 0;
            }
            boolean inOrder = from == inOrderEnd;
            if (!inOrder && !received[from - 1] && !anyReceived(from, to + 1) && ranges().size() == maxRanges) {
                return -1;
            }
            step++;
            Arrays.fill(received, from, to, true);
            if (!inOrder) {
                int left = from;
                while (received[left - 1]) {
                    left--;
                }
                int right = to;
                while (received[right]) {
                    right++;
                }
                Arrays.fill(stamp, left, right, step);
            }
            int before = inOrderEnd;
            while (received[inOrderEnd]) {
                inOrderEnd++;
            }
            return inOrderEnd - before;
        }

        private boolean anyReceived(int from, int to) {
            for (int i = from; i < to; i++) {
                if (received[i]) {
                    return true;
                }
            }
            return false;
        }

        /** @return the out-of-order runs as {start, end, stamp}, in stream order */
        List<long[]> ranges() {
            List<long[]> ranges = new ArrayList<>();
            for (int i = inOrderEnd; i < consumed + capacity; i++) {
                if (received[i] && (i == inOrderEnd || !received[i - 1])) {
                    int end = i;
                    while (received[end]) {
                        end++;
                    }
                    ranges.add(new long[] {i, end, stamp[i]});
                }
            }
            return ranges;
        }
    }

    @Test
    void agreesWithAReferenceModelUnderRandomSegmentsAndReads() {
        int streamLength = STREAM.capacity() - 1;
        for (long seed = 1; seed <= 12; seed++) {
            Random random = new Random(seed);
            int capacity = 16 + random.nextInt(2000);
            int maxRanges = random.nextInt(10);
            int maxSegment = 1 + random.nextInt(Math.max(1, capacity / (1 + random.nextInt(8))));
            ReceiveBuffer buffer = seed % 2 == 0 ? new ReceiveBuffer(capacity, maxRanges)
                    : new ReceiveBuffer(capacity, maxRanges, new PagePool(1 + random.nextInt(500), Long.MAX_VALUE, 0), 0);
            Model model = new Model(capacity, maxRanges, streamLength);
            ByteBuffer staging = ByteBuffer.allocateDirect(maxSegment + 64);
            int[] lefts = new int[maxRanges + 2];
            int[] rights = new int[maxRanges + 2];
            for (int step = 0; step < 30_000; step++) {
                if (model.consumed + 2 * capacity + maxSegment >= streamLength) {
                    break;
                }
                int action = random.nextInt(10);
                if (action < 6) {
                    int start = Math.max(0, model.inOrderEnd - maxSegment
                            + random.nextInt(model.window() + 2 * maxSegment + 1));
                    if (random.nextInt(5) == 0) {
                        start = model.inOrderEnd;
                    }
                    int end = start + random.nextInt(maxSegment + 1);
                    int inOrderEndBefore = model.inOrderEnd;
                    int expected = model.write(start, end);
                    int offset = start - inOrderEndBefore;
                    int got;
                    if (random.nextBoolean()) {
                        got = buffer.write(offset, STREAM, start, end - start);
                    } else {
                        // From another buffer, at another index.
                        int at = random.nextInt(64);
                        staging.clear();
                        staging.put(at, STREAM, start, end - start);
                        got = buffer.write(offset, staging, at, end - start);
                    }
                    assertEquals(expected, got, "write [" + start + ", " + end + ") at step " + step);
                } else if (action < 8) {
                    ByteBuffer dst = ByteBuffer.allocate(1 + random.nextInt(capacity));
                    dst.position(random.nextInt(dst.capacity()));
                    int position = dst.position();
                    int expected = Math.min(model.inOrderEnd - model.consumed, dst.remaining());
                    assertEquals(expected, buffer.read(dst));
                    assertEquals(ByteBuffer.wrap(stream(model.consumed, model.consumed + expected)),
                            dst.slice(position, expected));
                    model.consumed += expected;
                } else if (action == 8) {
                    int readable = model.inOrderEnd - model.consumed;
                    int offset = random.nextInt(readable + 1);
                    int length = random.nextInt(readable - offset + 1);
                    ByteBuffer dst = ByteBuffer.allocate(length + 5);
                    buffer.copyReadable(offset, dst, 5, length);
                    assertArrayEquals(stream(model.consumed + offset, model.consumed + offset + length),
                            Arrays.copyOfRange(dst.array(), 5, 5 + length));
                    if (random.nextBoolean()) {
                        buffer.consume(length);
                        model.consumed += length;
                    }
                } else {
                    int max = random.nextInt(lefts.length + 1);
                    int n = buffer.sackBlocks(lefts, rights, max);
                    List<long[]> ranges = model.ranges();
                    ranges.sort(Comparator.comparingLong((long[] r) -> r[2]).reversed());
                    assertEquals(Math.min(max, ranges.size()), n);
                    for (int i = 0; i < n; i++) {
                        assertEquals(ranges.get(i)[0] - model.inOrderEnd, lefts[i], "SACK block " + i + " left");
                        assertEquals(ranges.get(i)[1] - model.inOrderEnd, rights[i], "SACK block " + i + " right");
                    }
                }
                assertEquals(model.inOrderEnd - model.consumed, buffer.readable());
                assertEquals(model.window(), buffer.window());
                List<long[]> ranges = model.ranges();
                assertEquals(ranges.size(), buffer.rangeCount());
                assertEquals(ranges.stream().mapToLong(r -> r[1] - r[0]).sum(), buffer.outOfOrderBytes());
            }
            assertTrue(model.consumed > 10 * capacity, "the stream moved along: " + model.consumed);
        }
    }

    @Test
    void holdsPagesWhereBytesArrivedAndGivesThemBackOnceRead() {
        PagePool pool = new PagePool(10, Long.MAX_VALUE, 1024);
        ReceiveBuffer buffer = new ReceiveBuffer(100, 4, pool, 0);
        assertEquals(0, buffer.memoryHeld(), "a fresh buffer holds no memory");
        assertEquals(0, buffer.write(55, ByteBuffer.wrap(new byte[] {1, 2}), 0, 2), "out of order");
        assertEquals(10, buffer.memoryHeld(), "one page, where the out-of-order bytes are; none before them");
        assertEquals(100, buffer.window(), "the window is the capacity, whatever the memory held");
        assertEquals(12, buffer.write(0, ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}), 0, 12));
        assertEquals(30, buffer.memoryHeld(), "two pages in order, one out of order");
        ByteBuffer out = ByteBuffer.allocate(12);
        buffer.read(out);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, out.array());
        assertEquals(20, buffer.memoryHeld(), "the page read whole went back; the one the next bytes go to stays");
        buffer.clear();
        assertEquals(0, pool.bytesInUse(), "clear gives every page back");
    }

    @Test
    void refusesDataWithoutAPageAndStoresThePartThatHasOne() {
        PagePool pool = new PagePool(10, 10, 0);
        ReceiveBuffer buffer = new ReceiveBuffer(100, 4, pool, 1);
        assertEquals(20, buffer.write(0, ByteBuffer.wrap(new byte[25]), 0, 25),
                "the reserved page and the budget's one page: the rest is dropped, as if it had not come");
        assertEquals(ReceiveBuffer.NO_MEMORY, buffer.write(40, ByteBuffer.wrap(new byte[5]), 0, 5));
        assertEquals(0, buffer.rangeCount(), "nothing stored out of order");
        buffer.consume(20);
        assertEquals(0, buffer.memoryHeld());
        assertEquals(0, pool.charged());
        assertEquals(5, buffer.write(0, ByteBuffer.wrap(new byte[5]), 0, 5), "pages came back to the budget");
    }
}
