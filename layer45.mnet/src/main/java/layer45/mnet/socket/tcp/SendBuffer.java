package layer45.mnet.socket.tcp;

import java.nio.ByteBuffer;
import java.util.Objects;

import layer45.mnet.socket.PagePool;
import layer45.mnet.socket.PagedBytes;

/**
 * The bytes the application wrote to a connection that the peer has not acknowledged yet: those sent and awaiting
 * an ACK, then those not sent yet. Its memory is pages of a {@link PagePool}, taken as bytes are written and given
 * back as they are acknowledged ({@link PagedBytes}): an idle connection holds none, a busy one up to its capacity
 * while the pool's budget has room. Offsets count from the oldest byte held (the one at SND.UNA).
 *
 * <p>Used by the stack's loop thread only.
 */
public final class SendBuffer {

    /** Bytes per page of the buffers that have memory of their own. */
    private static final int OWN_PAGE_SIZE = 16384;

    private final PagedBytes memory;
    private final int capacity;
    /** The absolute position of the oldest byte held. */
    private long head;
    private int size;

    /**
     * A buffer with pages of its own, without a budget.
     *
     * @param capacity the most bytes held
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public SendBuffer(int capacity) {
        this(capacity, new PagePool(Math.min(Math.max(capacity, 1), OWN_PAGE_SIZE), Long.MAX_VALUE,
                (long) capacity + OWN_PAGE_SIZE), 0);
    }

    /**
     * @param capacity the most bytes held
     * @param pool where its pages come from
     * @param reservedPages how many of its pages a reservation of the owner covers (the rest are charged)
     * @throws IllegalArgumentException if {@code capacity} is not positive
     */
    public SendBuffer(int capacity, PagePool pool, int reservedPages) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a send buffer holds at least 1 byte; capacity " + capacity
                    + " was given");
        }
        this.capacity = capacity;
        this.memory = new PagedBytes(capacity, pool, reservedPages);
    }

    /** @return the most bytes held */
    public int capacity() {
        return capacity;
    }

    /** @return bytes held: unacknowledged and unsent */
    public int size() {
        return size;
    }

    /** @return bytes that can still be written, if the pool has the pages for them */
    public int free() {
        return capacity - size;
    }

    /** @return bytes of memory held now */
    public long memoryHeld() {
        return memory.bytesHeld();
    }

    /**
     * Takes as many bytes from {@code src} as fit, and as the pool gives pages for.
     *
     * @param src the bytes from its position to its limit; its position advances past those taken
     * @return how many were taken, 0 when full or when the pool's budget has no page left
     */
    public int write(ByteBuffer src) {
        int wanted = Math.min(src.remaining(), capacity - size);
        if (wanted == 0) {
            return 0;
        }
        long tail = head + size;
        int n = (int) (memory.ensure(tail, tail + wanted) - tail);
        if (n == 0) {
            return 0;
        }
        int from = src.position();
        memory.copyIn(tail, src, from, n);
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
        memory.copyOut(head + offset, dst, dstIndex, length);
    }

    /**
     * Drops the oldest bytes, once the peer acknowledged them; pages holding only dropped bytes go back to the pool.
     *
     * @param n how many
     * @throws IllegalArgumentException if {@code n} is negative or more than {@link #size()}
     */
    public void discard(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("can discard 0 to " + size + " bytes (those held), not " + n);
        }
        size -= n;
        head += n;
        if (size == 0) {
            memory.releaseAll();
        } else {
            memory.releaseBefore(head);
        }
    }

    /** Drops every byte held, and gives back every page. */
    public void clear() {
        memory.releaseAll();
        head = 0;
        size = 0;
    }

    @Override
    public String toString() {
        return "send buffer: " + size + " of " + capacity + " bytes, in " + memory;
    }
}
