package layer45.runtime.view;

import java.nio.ByteBuffer;

/**
 * Bytes a module holds back in one direction of a flow, kept between calls and presented again at the start of
 * the next chunk. Owned by the flow; grows up to the hold limit and no further.
 */
public final class HoldBuffer {

    private byte[] data = new byte[0];
    private ByteBuffer segment = ByteBuffer.wrap(data);
    private int length;

    /** @return the number of bytes held */
    public int length() {
        return length;
    }

    /** @return the held bytes as a segment (position 0, limit {@link #length()}), valid until the next change */
    public ByteBuffer segment() {
        return segment.limit(length).position(0);
    }

    /** Above this size the array is let go when the buffer empties, so one large hold does not stay with the flow. */
    private static final int KEEP_CAPACITY = 16 << 10;

    /** Forgets the held bytes. */
    public void clear() {
        length = 0;
        if (data.length > KEEP_CAPACITY) {
            data = new byte[0];
            segment = ByteBuffer.wrap(data);
        }
    }

    /**
     * Keeps the bytes of a chunk from {@code from} to its end, replacing what was held. The chunk may start with
     * this buffer's own {@link #segment()}: overlapping bytes are moved, not lost.
     *
     * @param segments the chunk's segments
     * @param count entries in use
     * @param from chunk offset of the first byte to keep
     * @param limit the most bytes that may be held
     * @return {@code false}, holding nothing more, if the bytes to keep exceed {@code limit}
     */
    public boolean keep(ByteBuffer[] segments, int count, int from, int limit) {
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += segments[i].remaining();
        }
        int keep = total - from;
        if (keep > limit) {
            return false;
        }
        int first = 0;
        int skip = from;
        int kept = 0;
        if (count > 0 && segments[0] == segment) {
            // The chunk starts with our own bytes: slide the part still wanted to the front (memmove semantics).
            int own = length;
            if (skip < own) {
                System.arraycopy(data, skip, data, 0, own - skip);
                kept = own - skip;
                skip = 0;
            } else {
                skip -= own;
            }
            first = 1;
        }
        ensureCapacity(keep);
        for (int i = first; i < count; i++) {
            ByteBuffer s = segments[i];
            int n = s.remaining();
            if (skip >= n) {
                skip -= n;
                continue;
            }
            int take = n - skip;
            s.get(s.position() + skip, data, kept, take);
            kept += take;
            skip = 0;
        }
        length = kept;
        return true;
    }

    /**
     * Appends a chunk to the held bytes, for when the holding module asked for more than is available.
     *
     * @param segments the chunk's segments (not including this buffer)
     * @param count entries in use
     * @param limit the most bytes that may be held
     * @return {@code false}, appending nothing, if the result would exceed {@code limit}
     */
    public boolean append(ByteBuffer[] segments, int count, int limit) {
        int more = 0;
        for (int i = 0; i < count; i++) {
            more += segments[i].remaining();
        }
        if ((long) length + more > limit) {
            return false;
        }
        ensureCapacity(length + more);
        for (int i = 0; i < count; i++) {
            ByteBuffer s = segments[i];
            int n = s.remaining();
            s.get(s.position(), data, length, n);
            length += n;
        }
        return true;
    }

    private void ensureCapacity(int needed) {
        if (needed > data.length) {
            byte[] larger = new byte[Math.max(needed, Math.max(1024, data.length * 2))];
            System.arraycopy(data, 0, larger, 0, length);
            data = larger;
            segment = ByteBuffer.wrap(data);
        }
    }
}
