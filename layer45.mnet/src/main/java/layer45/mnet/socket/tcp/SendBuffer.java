package layer45.mnet.socket.tcp;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The bytes the application wrote to a connection that the peer has not acknowledged yet: those sent and awaiting
 * an ACK, then those not sent yet. A ring over one {@link ByteBuffer} allocated at construction; offsets count from
 * the oldest byte held (the one at SND.UNA).
 *
 * <p>Used by the stack's loop thread only.
 */
public final class SendBuffer {

    private final ByteBuffer ring;
    private final int capacity;
    /** Where the oldest byte is in {@link #ring}. */
    private int head;
    private int size;

    /**
     * @param capacity the most bytes held
     * @param direct whether the memory is off-heap (cheaper to hand to a device)
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public SendBuffer(int capacity, boolean direct) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a send buffer holds at least 1 byte; capacity " + capacity
                    + " was given");
        }
        this.capacity = capacity;
        this.ring = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    /** @return the most bytes held */
    public int capacity() {
        return capacity;
    }

    /** @return bytes held: unacknowledged and unsent */
    public int size() {
        return size;
    }

    /** @return bytes that can still be written */
    public int free() {
        return capacity - size;
    }

    /**
     * Takes as many bytes from {@code src} as fit.
     *
     * @param src the bytes from its position to its limit; its position advances past those taken
     * @return how many were taken, 0 when full
     */
    public int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), capacity - size);
        if (n == 0) {
            return 0;
        }
        int from = src.position();
        int tail = wrap(head + size);
        int first = Math.min(n, capacity - tail);
        ring.put(tail, src, from, first);
        if (first < n) {
            ring.put(0, src, from + first, n - first);
        }
        src.position(from + n);
        size += n;
        return n;
    }

    /**
     * Copies held bytes out, for a segment being sent or retransmitted. Positions do not move.
     *
     * @param offset how far after the oldest byte held the copy starts
     * @param dst where they go
     * @param dstIndex the absolute index in {@code dst} of the first byte
     * @param length how many
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is not within {@link #size()} or the
     *         bytes do not fit in {@code dst} below its limit
     */
    public void copyTo(int offset, ByteBuffer dst, int dstIndex, int length) {
        Objects.checkFromIndexSize(offset, length, size);
        Objects.checkFromIndexSize(dstIndex, length, dst.limit());
        int start = wrap(head + offset);
        int first = Math.min(length, capacity - start);
        dst.put(dstIndex, ring, start, first);
        if (first < length) {
            dst.put(dstIndex + first, ring, 0, length - first);
        }
    }

    /**
     * Drops the oldest bytes, once the peer acknowledged them.
     *
     * @param n how many
     * @throws IllegalArgumentException if {@code n} is negative or more than {@link #size()}
     */
    public void discard(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("can discard 0 to " + size + " bytes (those held), not " + n);
        }
        size -= n;
        // An empty ring starts over at 0, so that the next writes are copied out in one piece.
        head = size == 0 ? 0 : wrap(head + n);
    }

    /** Drops every byte held. */
    public void clear() {
        head = 0;
        size = 0;
    }

    @Override
    public String toString() {
        return "send buffer: " + size + " of " + capacity + " bytes";
    }

    /** @param index a ring index below {@code 2 * capacity} */
    private int wrap(int index) {
        // Above 2^30 bytes of capacity the sum can overflow to negative; subtracting wraps it back right.
        return index >= capacity || index < 0 ? index - capacity : index;
    }
}
