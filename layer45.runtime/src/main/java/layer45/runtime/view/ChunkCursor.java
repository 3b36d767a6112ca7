package layer45.runtime.view;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

import layer45.api.Chunk;

/**
 * The {@link Chunk} a module reads: a cursor over segments lent by the flow, read with absolute gets so the
 * segments' own positions never move.
 *
 * <p>Reads of single bytes and comparisons go through a window: up to {@value #WINDOW} bytes of one segment
 * copied into an array with one bulk read. A direct buffer checks its memory's state on every access, so reading
 * it byte by byte costs a check per byte; the window costs one per {@value #WINDOW} bytes read in order, and
 * comparisons of a window's bytes are vectorized ({@link Arrays#mismatch}). The segments do not change during a
 * call, so the window never goes stale within one.
 *
 * <p>Lent for one call with {@link #lend}; after the call the runtime reads the module's hold request with
 * {@link #holdFrom()} and {@link #holdWanted()}.
 */
public final class ChunkCursor extends CallBound implements Chunk {

    private ByteBuffer[] segments;
    private int count;
    /** Chunk offset at which segment i starts; entry {@code count} is the total length. */
    private int[] starts = new int[5];
    private int total;
    private int position;
    /** Segment of the most recent access: sequential reads find their segment without a search. */
    private int recent;
    private boolean endOfStream;
    private boolean datagram;
    private int holdLimit;
    private int holdFrom;
    private int holdWanted;
    /** The most bytes one window holds. */
    static final int WINDOW = 128;
    private final byte[] window = new byte[WINDOW];
    /** Chunk offsets of the window's first byte and of the byte after its last; equal when it holds nothing. */
    private int windowStart;
    private int windowEnd;

    /** @param owner the module on the flow these views belong to */
    public ChunkCursor(ViewOwner owner) {
        super(owner, "Chunk");
    }

    /**
     * Lends the chunk to a call on the current thread.
     *
     * @param segments the chunk's segments, each from position to limit; not modified
     * @param count entries of {@code segments} in use
     * @param endOfStream whether the stream ends after this chunk
     * @param datagram whether the flow carries datagrams (holding is refused)
     * @param holdLimit the most bytes a module may hold
     */
    public void lend(ByteBuffer[] segments, int count, boolean endOfStream, boolean datagram, int holdLimit) {
        this.segments = segments;
        this.count = count;
        if (starts.length < count + 1) {
            starts = Arrays.copyOf(starts, Math.max(count + 1, starts.length * 2));
        }
        int offset = 0;
        for (int i = 0; i < count; i++) {
            starts[i] = offset;
            offset += segments[i].remaining();
        }
        starts[count] = offset;
        this.total = offset;
        this.position = 0;
        this.recent = 0;
        this.windowStart = 0;
        this.windowEnd = 0;
        this.endOfStream = endOfStream;
        this.datagram = datagram;
        this.holdLimit = holdLimit;
        this.holdFrom = -1;
        this.holdWanted = 0;
        bind(Thread.currentThread());
    }

    /** Ends the call: the module can no longer use the chunk. */
    public void endCall() {
        unbind();
    }

    /** Forgets the lent segments once the runtime is done with the chunk, so they are not kept reachable. */
    public void clear() {
        segments = null;
        count = 0;
    }

    /** @return the chunk offset from which the module asked to hold bytes, or -1 if it did not */
    public int holdFrom() {
        return holdFrom;
    }

    /** @return the chunk length the holding module needs before it is called again (0: any) */
    public int holdWanted() {
        return holdWanted;
    }

    @Override
    public int remaining() {
        check();
        return total - position;
    }

    @Override
    public int position() {
        check();
        return position;
    }

    @Override
    public int length() {
        check();
        return total;
    }

    @Override
    public int segmentCount() {
        check();
        int nonEmpty = 0;
        for (int i = 0; i < count; i++) {
            if (starts[i + 1] > starts[i]) {
                nonEmpty++;
            }
        }
        return nonEmpty;
    }

    @Override
    public byte byteAt(int offset) {
        check();
        Objects.checkIndex(offset, total - position);
        return byteAtChunkOffset(position + offset);
    }

    @Override
    public boolean startsWith(byte[] prefix) {
        check();
        return prefix.length <= total - position && matchesAt(position, prefix, 0, prefix.length);
    }

    @Override
    public boolean regionMatches(int offset, byte[] expected, int expectedOffset, int length) {
        check();
        if (offset < 0) {
            throw new IndexOutOfBoundsException("regionMatches at offset " + offset + " from the position: the offset"
                    + " must be 0 or more (revert() to look behind the position)");
        }
        Objects.checkFromIndexSize(expectedOffset, length, expected.length);
        return (long) offset + length <= total - position
                && matchesAt(position + offset, expected, expectedOffset, length);
    }

    @Override
    public int indexOf(byte[] pattern) {
        check();
        if (pattern.length == 0) {
            throw new IllegalArgumentException("indexOf needs a pattern of at least one byte");
        }
        byte first = pattern[0];
        for (int at = position, last = total - pattern.length; at <= last; at++) {
            if (byteAtChunkOffset(at) == first && matchesAt(at, pattern, 0, pattern.length)) {
                return at - position;
            }
        }
        return -1;
    }

    @Override
    public boolean copyFull(byte[] dst) {
        return copyFull(dst, 0, dst.length);
    }

    @Override
    public boolean copyFull(byte[] dst, int offset, int length) {
        check();
        Objects.checkFromIndexSize(offset, length, dst.length);
        if (length > total - position) {
            return false;
        }
        copyOut(dst, offset, length);
        return true;
    }

    @Override
    public boolean copyFull(ByteBuffer dst) {
        check();
        int length = dst.remaining();
        if (length > total - position) {
            return false;
        }
        if (length == 0) {
            return true; // at the end of the chunk there is no segment to look up
        }
        int i = segmentOf(position);
        int at = dst.position();
        for (int left = length; left > 0; i++) {
            ByteBuffer segment = segments[i];
            int inSegment = position - starts[i];
            int n = Math.min(left, starts[i + 1] - position);
            dst.put(at, segment, segment.position() + inSegment, n);
            at += n;
            position += n;
            left -= n;
        }
        dst.position(at);
        return true;
    }

    @Override
    public void advance(int n) {
        check();
        if (n < 0 || n > total - position) {
            throw new IllegalArgumentException("cannot advance " + n + " bytes: " + (total - position) + " remain");
        }
        position += n;
    }

    @Override
    public void revert(int n) {
        check();
        if (n < 0 || n > position) {
            throw new IllegalArgumentException("cannot revert " + n + " bytes: the position is " + position);
        }
        position -= n;
    }

    @Override
    public void holdUnread() {
        holdUnread(0);
    }

    @Override
    public void holdUnread(int minimumNextLength) {
        check();
        if (datagram) {
            throw new IllegalStateException("holdUnread() in a datagram flow: a datagram is delivered or dropped"
                    + " whole; return DELIVER or DROP without holding");
        }
        if (minimumNextLength < 0 || minimumNextLength > holdLimit) {
            throw new IllegalArgumentException("holdUnread(" + minimumNextLength + "): the minimum next length must"
                    + " be between 0 and the hold limit, " + holdLimit + " bytes (setting hold.limit)");
        }
        holdFrom = position;
        holdWanted = minimumNextLength;
    }

    @Override
    public boolean endOfStream() {
        check();
        return endOfStream;
    }

    /**
     * Copies bytes from the position into an array and advances; for {@link OutputBuffer#transferFrom}.
     *
     * @param dst where to copy
     * @param offset first index written
     * @param length bytes to copy, no more than remain
     */
    void copyOut(byte[] dst, int offset, int length) {
        if (length == 0) {
            return; // at the end of the chunk there is no segment to look up
        }
        int i = segmentOf(position);
        for (int left = length; left > 0; i++) {
            ByteBuffer segment = segments[i];
            int inSegment = position - starts[i];
            int n = Math.min(left, starts[i + 1] - position);
            segment.get(segment.position() + inSegment, dst, offset, n);
            offset += n;
            position += n;
            left -= n;
        }
    }

    /**
     * Hands the bytes from the position to an output by reference, segment by segment, and advances; for
     * {@link OutputBuffer#transferFrom}.
     *
     * @param output where the references go
     * @param length bytes to pass, no more than remain
     */
    void referenceOut(OutputBuffer output, int length) {
        if (length == 0) {
            return; // at the end of the chunk there is no segment to look up
        }
        int i = segmentOf(position);
        for (int left = length; left > 0; i++) {
            ByteBuffer segment = segments[i];
            int n = Math.min(left, starts[i + 1] - position);
            if (n > 0) {
                output.appendReference(i, segment, segment.position() + position - starts[i], n);
            }
            position += n;
            left -= n;
        }
    }

    /** @return whether the chunk is a datagram (runtime side) */
    boolean datagram() {
        return datagram;
    }

    /** @return bytes from the position to the end, without the ownership check (runtime side) */
    int remainingUnchecked() {
        return total - position;
    }

    /** @return whether the chunk's bytes from {@code at} equal {@code expected}'s; all of them lie in the chunk */
    private boolean matchesAt(int at, byte[] expected, int from, int length) {
        while (length > 0) {
            if (at < windowStart || at >= windowEnd) {
                fillWindow(at, length); // no more than compared: a tag among bytes passed by reference
            }
            int n = Math.min(length, windowEnd - at);
            int w = at - windowStart;
            if (Arrays.mismatch(window, w, w + n, expected, from, from + n) >= 0) {
                return false;
            }
            at += n;
            from += n;
            length -= n;
        }
        return true;
    }

    private byte byteAtChunkOffset(int offset) {
        if (offset < windowStart || offset >= windowEnd) {
            fillWindow(offset, WINDOW);
        }
        return window[offset - windowStart];
    }

    /**
     * Copies bytes from {@code offset} (below the total length) into the window: {@code wanted} bytes, but no more
     * than a window holds or its segment has.
     */
    private void fillWindow(int offset, int wanted) {
        int i = segmentOf(offset);
        ByteBuffer segment = segments[i];
        int n = Math.min(Math.min(wanted, WINDOW), starts[i + 1] - offset);
        segment.get(segment.position() + offset - starts[i], window, 0, n);
        windowStart = offset;
        windowEnd = offset + n;
    }

    /** @return the segment holding the byte at {@code offset} (which must be below the total length) */
    private int segmentOf(int offset) {
        int i = recent;
        if (offset < starts[i] || offset >= starts[i + 1]) {
            i = 0;
            while (offset >= starts[i + 1]) {
                i++;
            }
            recent = i;
        }
        return i;
    }
}
