package layer45.mnet.socket.tcp;

import java.nio.ByteBuffer;
import java.util.Objects;

import layer45.mnet.socket.PagePool;
import layer45.mnet.socket.PagedBytes;

/**
 * A connection's receive buffer: the bytes that arrived in order and wait for the application, and beyond them the
 * out-of-order bytes that wait for the holes before them to fill. Its memory is pages of a {@link PagePool}, taken
 * where bytes arrive and given back once they are read ({@link PagedBytes}): an idle connection holds none, while
 * the window it advertises stays its capacity. Beside them, a sorted list of the out-of-order ranges, each stamped when last written so that SACK blocks
 * (RFC 2018) come out most recent first.
 *
 * <p>Offsets given and returned count from the contiguous end: the first byte not received in order yet (RCV.NXT).
 * Inside, positions are absolute byte counts since the connection began (a {@code long} never wraps), so the ranges
 * need no renumbering when the contiguous end moves.
 *
 * <p>Capacity is shared: bytes waiting to be read and out-of-order bytes both live in the ring, and what the
 * application has not read shrinks the {@link #window()}. At most {@code maxRanges} out-of-order ranges are kept;
 * data that would need another one is refused whole, which bounds the work a peer can cause with scattered tiny
 * segments.
 *
 * <p>Used by the stack's loop thread only.
 */
public final class ReceiveBuffer {

    /** What {@link #write} returns when the pool's budget had no page for the data: nothing was stored. */
    public static final int NO_MEMORY = -2;
    /** Bytes per page of the buffers that have memory of their own. */
    private static final int OWN_PAGE_SIZE = 16384;

    private final PagedBytes memory;
    private final int capacity;
    private final int maxRanges;
    /** Absolute position of the next byte the application reads. */
    private long consumed;
    /** Absolute position of the contiguous end: every byte before it has arrived. */
    private long inOrderEnd;
    /** Out-of-order ranges [start, end), absolute, sorted, disjoint, neither touching another nor the contiguous end. */
    private final long[] starts;
    private final long[] ends;
    /** When each range was last written: higher is more recent. */
    private final long[] stamps;
    private int ranges;
    private long clock;

    /**
     * A buffer with pages of its own, without a budget.
     *
     * @param capacity the most bytes held, readable and out of order together
     * @param maxRanges the most out-of-order ranges kept (32 is plenty; 0 accepts in-order data only)
     * @throws IllegalArgumentException if {@code capacity} is not positive or {@code maxRanges} negative
     */
    public ReceiveBuffer(int capacity, int maxRanges) {
        this(capacity, maxRanges, new PagePool(Math.min(Math.max(capacity, 1), OWN_PAGE_SIZE), Long.MAX_VALUE,
                (long) capacity + OWN_PAGE_SIZE), 0);
    }

    /**
     * @param capacity the most bytes held, readable and out of order together
     * @param maxRanges the most out-of-order ranges kept (32 is plenty; 0 accepts in-order data only)
     * @param pool where its pages come from
     * @param reservedPages how many of its pages a reservation of the owner covers (the rest are charged)
     * @throws IllegalArgumentException if {@code capacity} is not positive or {@code maxRanges} negative
     */
    public ReceiveBuffer(int capacity, int maxRanges, PagePool pool, int reservedPages) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a receive buffer holds at least 1 byte; capacity " + capacity
                    + " was given");
        }
        if (maxRanges < 0) {
            throw new IllegalArgumentException("maxRanges is how many out-of-order ranges are kept, 0 or more, not "
                    + maxRanges);
        }
        this.capacity = capacity;
        this.maxRanges = maxRanges;
        this.memory = new PagedBytes(capacity, pool, reservedPages);
        this.starts = new long[maxRanges];
        this.ends = new long[maxRanges];
        this.stamps = new long[maxRanges];
    }

    /** @return the most bytes held */
    public int capacity() {
        return capacity;
    }

    /** @return bytes of memory held now */
    public long memoryHeld() {
        return memory.bytesHeld();
    }

    /** @return the most out-of-order ranges kept */
    public int maxRanges() {
        return maxRanges;
    }

    /** @return bytes received in order and not read yet */
    public int readable() {
        return (int) (inOrderEnd - consumed);
    }

    /**
     * @return the receive window: how many bytes past the contiguous end can be taken; out-of-order bytes lie
     *         inside it
     */
    public int window() {
        return capacity - readable();
    }

    /**
     * Stores a segment's data.
     *
     * <p>Data past the window is cut off. Data before the contiguous end (a negative {@code offset}) arrived
     * already and is skipped. Data overlapping bytes held overwrites them: TCP's bytes at one sequence number never
     * change. Data at the contiguous end makes it readable, together with the out-of-order ranges it reaches.
     *
     * @param offset where the data starts, counted from the contiguous end
     * @param src holds the data
     * @param srcIndex the absolute index in {@code src} of the first byte; its position does not move
     * @param length how many bytes
     * @return how many bytes became readable (0 when the data went out of order, or was all outside the window or
     *         before the contiguous end), -1 when it would need an out-of-order range beyond {@code maxRanges}, or
     *         {@link #NO_MEMORY} when the pool had no page for its first byte: then nothing was stored. When the
     *         pool ran out part way, the data's first part is stored, as if the rest had not come
     * @throws IndexOutOfBoundsException if {@code [srcIndex, srcIndex + length)} is not within {@code src}'s limit
     */
    public int write(int offset, ByteBuffer src, int srcIndex, int length) {
        Objects.checkFromIndexSize(srcIndex, length, src.limit());
        long from = offset;
        long to = Math.min((long) offset + length, window());
        if (from < 0) {
            srcIndex -= offset;
            from = 0;
        }
        if (to <= from) {
            return 0;
        }
        long start = inOrderEnd + from;
        long end = memory.ensure(inOrderEnd + from, inOrderEnd + to);
        if (end == start) {
            return NO_MEMORY;
        }
        to = end - inOrderEnd;
        // Ranges [first, last) overlap or touch the new data and merge with it.
        int first = firstEndingAtOrAfter(start);
        int last = first;
        while (last < ranges && starts[last] <= end) {
            last++;
        }
        boolean inOrder = from == 0;
        if (!inOrder && first == last && ranges == maxRanges) {
            return -1;
        }
        memory.copyIn(start, src, srcIndex, (int) (to - from));
        if (last > first) {
            start = Math.min(start, starts[first]);
            end = Math.max(end, ends[last - 1]);
        }
        if (inOrder) {
            // Every range starts past the contiguous end, so those merged are the first ones.
            removeRanges(0, last);
            int grown = (int) (end - inOrderEnd);
            inOrderEnd = end;
            return grown;
        }
        if (first == last) {
            System.arraycopy(starts, first, starts, first + 1, ranges - first);
            System.arraycopy(ends, first, ends, first + 1, ranges - first);
            System.arraycopy(stamps, first, stamps, first + 1, ranges - first);
            ranges++;
        } else {
            removeRanges(first + 1, last);
        }
        starts[first] = start;
        ends[first] = end;
        stamps[first] = ++clock;
        return 0;
    }

    /** @return bytes held past the contiguous end, in out-of-order ranges */
    public int outOfOrderBytes() {
        long total = 0;
        for (int i = 0; i < ranges; i++) {
            total += ends[i] - starts[i];
        }
        return (int) total;
    }

    /** @return out-of-order ranges held: the holes before them number the same */
    public int rangeCount() {
        return ranges;
    }

    /**
     * Moves readable bytes to the application.
     *
     * @param dst receives up to {@code dst.remaining()} bytes at its position, which advances past them
     * @return how many were moved, 0 when none are readable
     */
    public int read(ByteBuffer dst) {
        int n = Math.min(readable(), dst.remaining());
        int at = dst.position();
        memory.copyOut(consumed, dst, at, n);
        dst.position(at + n);
        consumed += n;
        released();
        return n;
    }

    /**
     * Copies readable bytes without consuming them. Positions do not move.
     *
     * @param offset how far after the oldest readable byte the copy starts
     * @param dst where they go
     * @param dstIndex the absolute index in {@code dst} of the first byte
     * @param length how many
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is not within {@link #readable()} or
     *         the bytes do not fit in {@code dst} below its limit
     */
    public void copyReadable(int offset, ByteBuffer dst, int dstIndex, int length) {
        Objects.checkFromIndexSize(offset, length, readable());
        Objects.checkFromIndexSize(dstIndex, length, dst.limit());
        memory.copyOut(consumed + offset, dst, dstIndex, length);
    }

    /**
     * Drops the oldest readable bytes, as if read.
     *
     * @param n how many
     * @throws IllegalArgumentException if {@code n} is negative or more than {@link #readable()}
     */
    public void consume(int n) {
        if (n < 0 || n > readable()) {
            throw new IllegalArgumentException("can consume 0 to " + readable() + " bytes (those readable), not " + n);
        }
        consumed += n;
        released();
    }

    /**
     * Reports the out-of-order ranges for a SACK option (RFC 2018): first the one holding the most recently written
     * out-of-order data (the segment that triggered this ACK, when it went out of order), then the others from the
     * most recently written to the least.
     *
     * @param lefts receives each range's first byte, as an offset from the contiguous end (add RCV.NXT)
     * @param rights receives the offset just past each range's last byte
     * @param max the most ranges reported
     * @return how many ranges were reported
     * @throws IllegalArgumentException if {@code max} is negative or longer than either array
     */
    public int sackBlocks(int[] lefts, int[] rights, int max) {
        if (max < 0 || max > lefts.length || max > rights.length) {
            throw new IllegalArgumentException("max must be between 0 and the arrays' length (" + lefts.length
                    + " and " + rights.length + "), not " + max);
        }
        int n = Math.min(max, ranges);
        long below = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            // Stamps are unique: take the most recent one older than the last reported.
            int best = -1;
            for (int i = 0; i < ranges; i++) {
                if (stamps[i] < below && (best < 0 || stamps[i] > stamps[best])) {
                    best = i;
                }
            }
            below = stamps[best];
            lefts[k] = (int) (starts[best] - inOrderEnd);
            rights[k] = (int) (ends[best] - inOrderEnd);
        }
        return n;
    }

    /** Drops everything held and starts again at offset 0. */
    public void clear() {
        memory.releaseAll();
        consumed = 0;
        inOrderEnd = 0;
        ranges = 0;
    }

    @Override
    public String toString() {
        return "receive buffer: " + readable() + " readable, " + outOfOrderBytes() + " out of order in " + ranges
                + " ranges, capacity " + capacity;
    }

    private int firstEndingAtOrAfter(long position) {
        int low = 0;
        int high = ranges;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (ends[middle] < position) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private void removeRanges(int from, int to) {
        int moved = ranges - to;
        System.arraycopy(starts, to, starts, from, moved);
        System.arraycopy(ends, to, ends, from, moved);
        System.arraycopy(stamps, to, stamps, from, moved);
        ranges -= to - from;
    }

    /** Gives back the pages of bytes read: all of them when nothing is held any more. */
    private void released() {
        if (consumed == inOrderEnd && ranges == 0) {
            memory.releaseAll();
        } else {
            memory.releaseBefore(consumed);
        }
    }
}
