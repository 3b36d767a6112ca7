package layer45.mnet.relay;

import java.nio.ByteBuffer;
import layer45.mnet.socket.PagePool;

/**
 * Where a relay thread reads its host socket into, sized by what the host sends: a small buffer of its own while
 * reads come back short (a flow that waits on a quiet host holds only that), and a page of the relay's pool (a bulk
 * read's worth) from a read that filled the small one until a read that leaves the page part empty, when the page
 * goes back. One thread uses it.
 */
final class HostReadBuffer {

    private final ByteBuffer small;
    private final PagePool pool;
    private ByteBuffer page;
    private boolean wantPage;

    /**
     * @param smallSize bytes of the buffer of its own
     * @param pool where the large buffer comes from
     */
    HostReadBuffer(int smallSize, PagePool pool) {
        this.small = ByteBuffer.allocateDirect(Math.min(smallSize, pool.pageSize()));
        this.pool = pool;
    }

    /** @return the buffer for the next read, cleared */
    ByteBuffer next() {
        if (wantPage && page == null) {
            page = pool.take(false);
        } else if (!wantPage && page != null) {
            pool.give(page, false);
            page = null;
        }
        return (page != null ? page : small).clear();
    }

    /**
     * Says how the read into {@link #next()} went, which sizes the next one.
     *
     * @param n bytes read, or negative at the end of the stream
     */
    void read(int n) {
        ByteBuffer used = page != null ? page : small;
        wantPage = n >= used.capacity();
    }

    /** @return whether the large buffer is held */
    boolean holdsPage() {
        return page != null;
    }

    /** Gives the large buffer back, if held. */
    void close() {
        if (page != null) {
            pool.give(page, false);
            page = null;
        }
    }
}
