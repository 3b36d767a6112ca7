package layer45.mnet.socket;

import java.nio.ByteBuffer;

/**
 * The memory of a byte buffer that holds at most {@code capacity} bytes at absolute positions
 * {@code [low, low + capacity)}, in pages of a {@link PagePool} taken when bytes are put in and given back once the
 * bytes before a position are done with: memory follows what the buffer holds, not its maximum. Position {@code p}
 * is byte {@code p % pageSize} of the page numbered {@code p / pageSize}, kept in slot {@code page % slots}; with one
 * slot more than the capacity spans, the pages of a window never share a slot.
 *
 * <p>The buffer's first {@code reservedPages} pages are covered by a reservation its owner made (its guaranteed
 * minimum); pages past them are charged to the pool's budget, and may be refused.
 *
 * <p>Not thread-safe: one thread uses it (the stack's loop).
 */
public final class PagedBytes {

    private final PagePool pool;
    private final int pageSize;
    private final int reservedPages;
    private final ByteBuffer[] pages;
    /** The page number each slot holds, valid where {@link #pages} is set. */
    private final long[] numbers;
    private int held;

    /**
     * @param capacity the most bytes held at once
     * @param pool where pages come from
     * @param reservedPages pages covered by the owner's reservation, not charged to the budget
     */
    public PagedBytes(int capacity, PagePool pool, int reservedPages) {
        this.pool = pool;
        this.pageSize = pool.pageSize();
        this.reservedPages = reservedPages;
        int slots = (int) (((long) capacity + pageSize - 1) / pageSize) + 1;
        this.pages = new ByteBuffer[slots];
        this.numbers = new long[slots];
    }

    /** @return pages held now */
    public int pagesHeld() {
        return held;
    }

    /** @return bytes of pages held now */
    public long bytesHeld() {
        return (long) held * pageSize;
    }

    /**
     * Takes the pages that back {@code [from, to)}, as far as the budget allows.
     *
     * @param from the first position
     * @param to the position after the last
     * @return the end of the backed range from {@code from}: {@code to}, or less (down to {@code from}) when a page
     *         was refused
     */
    public long ensure(long from, long to) {
        if (to <= from) {
            return to;
        }
        long last = (to - 1) / pageSize;
        for (long page = from / pageSize; page <= last; page++) {
            int slot = slot(page);
            if (pages[slot] != null && numbers[slot] == page) {
                continue;
            }
            if (pages[slot] != null) {
                give(slot); // an older page the owner left behind: its bytes are outside the window
            }
            ByteBuffer taken = pool.take(held >= reservedPages);
            if (taken == null) {
                return Math.max(from, page * pageSize);
            }
            pages[slot] = taken;
            numbers[slot] = page;
            held++;
        }
        return to;
    }

    /**
     * Copies bytes in; the positions must be backed ({@link #ensure}).
     *
     * @param position where the first goes
     * @param src the bytes; its position does not move
     * @param srcIndex the absolute index in {@code src} of the first
     * @param length how many
     */
    public void copyIn(long position, ByteBuffer src, int srcIndex, int length) {
        while (length > 0) {
            ByteBuffer page = pageAt(position);
            int at = (int) (position % pageSize);
            int n = Math.min(length, pageSize - at);
            page.put(at, src, srcIndex, n);
            position += n;
            srcIndex += n;
            length -= n;
        }
    }

    /**
     * Copies bytes out; the positions must be backed.
     *
     * @param position where the first is
     * @param dst where they go; its position does not move
     * @param dstIndex the absolute index in {@code dst} of the first
     * @param length how many
     */
    public void copyOut(long position, ByteBuffer dst, int dstIndex, int length) {
        while (length > 0) {
            ByteBuffer page = pageAt(position);
            int at = (int) (position % pageSize);
            int n = Math.min(length, pageSize - at);
            dst.put(dstIndex, page, at, n);
            position += n;
            dstIndex += n;
            length -= n;
        }
    }

    /**
     * Gives back the pages that hold only positions before {@code position}.
     *
     * @param position the first position still wanted
     */
    public void releaseBefore(long position) {
        if (held == 0) {
            return;
        }
        long firstKept = position / pageSize;
        for (int slot = 0; slot < pages.length; slot++) {
            if (pages[slot] != null && numbers[slot] < firstKept) {
                give(slot);
            }
        }
    }

    /** Gives back every page: the buffer holds nothing. */
    public void releaseAll() {
        if (held == 0) {
            return;
        }
        for (int slot = 0; slot < pages.length; slot++) {
            if (pages[slot] != null) {
                give(slot);
            }
        }
    }

    @Override
    public String toString() {
        return held + " pages of " + pageSize + " bytes";
    }

    private ByteBuffer pageAt(long position) {
        long page = position / pageSize;
        int slot = slot(page);
        ByteBuffer buffer = pages[slot];
        if (buffer == null || numbers[slot] != page) {
            throw new IllegalStateException("position " + position + " has no page: ensure() it first");
        }
        return buffer;
    }

    private void give(int slot) {
        held--;
        pool.give(pages[slot], held >= reservedPages);
        pages[slot] = null;
    }

    private int slot(long page) {
        return (int) (page % pages.length);
    }
}
