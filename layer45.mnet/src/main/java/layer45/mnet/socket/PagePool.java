package layer45.mnet.socket;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Fixed-size pages of off-heap memory for buffers that grow with what they hold ({@link PagedBytes}, the relay's
 * rings), under one budget, in the manner of Linux's {@code tcp_mem}: a buffer holds pages only while it holds bytes,
 * so an idle connection costs none, and a busy one takes pages up to its own maximum as long as the budget has room.
 *
 * <p>The budget counts two things: pages taken (each buffer's pages past its guaranteed minimum) and minimums
 * reserved ({@link #reserve}) when a connection is admitted, so that every admitted connection can always hold at
 * least its minimum and never stalls for memory another connection holds. Pages given back are kept for the next
 * ones, up to a bound, because a fresh direct buffer costs page faults and zeroing.
 *
 * <p>Thread-safe; a page is taken and given back only when a buffer's bytes cross a page boundary, so the lock is
 * not on the per-byte path.
 */
public final class PagePool {

    private final int pageSize;
    private final long limit;
    private final int keep;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private long charged;
    private long pagesOut;
    private long allocated;

    /**
     * @param pageSize bytes per page
     * @param limit the budget in bytes: pages charged and minimums reserved together; {@link Long#MAX_VALUE} for none
     * @param keepBytes how many bytes of free pages are kept for reuse
     * @throws IllegalArgumentException if {@code pageSize} is not positive or {@code limit} negative
     */
    public PagePool(int pageSize, long limit, long keepBytes) {
        if (pageSize < 1 || limit < 0) {
            throw new IllegalArgumentException("a page pool needs a positive page size and a budget of 0 or more, not "
                    + pageSize + " and " + limit);
        }
        this.pageSize = pageSize;
        this.limit = limit;
        this.keep = (int) Math.min(Integer.MAX_VALUE, Math.max(0, keepBytes / pageSize));
    }

    /** @return bytes per page */
    public int pageSize() {
        return pageSize;
    }

    /** @return the budget in bytes */
    public long limit() {
        return limit;
    }

    /** @return bytes counted against the budget: pages charged and minimums reserved */
    public synchronized long charged() {
        return charged;
    }

    /** @return bytes of pages held by buffers now */
    public synchronized long bytesInUse() {
        return pagesOut * pageSize;
    }

    /** @return bytes of pages ever allocated and not dropped: in use and kept free */
    public synchronized long bytesAllocated() {
        return allocated * pageSize;
    }

    /**
     * Reserves bytes against the budget (a connection's guaranteed minimum), if it has room.
     *
     * @param bytes how many
     * @return whether they were reserved
     */
    public synchronized boolean reserve(long bytes) {
        if (charged + bytes > limit) {
            return false;
        }
        charged += bytes;
        return true;
    }

    /**
     * @param bytes how many, as reserved
     * @return whether the budget has room for them now (nothing is reserved)
     */
    public synchronized boolean hasRoom(long bytes) {
        return charged + bytes <= limit;
    }

    /** @param bytes bytes reserved before, given back to the budget */
    public synchronized void unreserve(long bytes) {
        charged -= bytes;
    }

    /**
     * Takes a page.
     *
     * @param charge whether the page counts against the budget (else it is covered by a reservation)
     * @return a page (position 0, limit its capacity; its content is whatever was there), or {@code null} when a
     *         charged page would go past the budget
     */
    public synchronized ByteBuffer take(boolean charge) {
        if (charge) {
            if (charged + pageSize > limit) {
                return null;
            }
            charged += pageSize;
        }
        pagesOut++;
        ByteBuffer page = free.pollLast();
        if (page == null) {
            allocated++;
            page = ByteBuffer.allocateDirect(pageSize);
        }
        return page.clear();
    }

    /**
     * Gives a page back.
     *
     * @param page a page {@link #take} returned, not used any more
     * @param charged whether it was taken charged
     */
    public synchronized void give(ByteBuffer page, boolean charged) {
        if (charged) {
            this.charged -= pageSize;
        }
        pagesOut--;
        if (free.size() < keep) {
            free.addLast(page);
        } else {
            allocated--;
        }
    }

    @Override
    public synchronized String toString() {
        return "page pool: " + pagesOut + " pages of " + pageSize + " bytes in use, " + free.size() + " free, "
                + charged + " of " + limit + " bytes charged";
    }
}
