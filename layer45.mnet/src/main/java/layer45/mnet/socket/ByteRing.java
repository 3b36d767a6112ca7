package layer45.mnet.socket;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded byte queue between exactly one producer thread and one consumer thread at a time (the stack's loop on one
 * side, a relay thread or a program's thread on the other), without locks on its bytes: each side moves its own position, published with a
 * volatile write after the bytes. A side that must wait parks, and the other side unparks it when it moved.
 *
 * <p>Its memory is pages of a {@link PagePool}, held only while they hold bytes: the producer takes the page its
 * next bytes go to, the consumer gives back each page it read to the end, and the page the queue stopped in once
 * the consumer emptied it. An idle flow's rings hold nothing; a busy one's up to their capacity. Position {@code p}
 * is byte {@code p % pageSize} of page {@code p / pageSize}, kept in slot {@code page % slots}; with one slot more
 * than the capacity spans, a page's slot is free again before the producer needs it. Who may touch the page the
 * queue stopped in is settled by one compare-and-set per write ({@link #owner}), not per byte.
 *
 * <p>The producer also says when the stream ends ({@link #finish()}); the consumer sees it once everything before it
 * was read.
 */
public final class ByteRing {

    /** What {@link #peekOrEnd()} returns once the producer finished and every byte was read. */
    public static final int END = -1;

    private static final int FREE = 0;
    private static final int PRODUCING = 1;
    private static final int RELEASING = 2;

    private final PagePool pool;
    private final int capacity;
    private final int pageSize;
    /** Pages by slot, and each one's views: the producer's, and the consumer's. Set before the tail that uses them. */
    private final ByteBuffer[] pages;
    private final ByteBuffer[] producerViews;
    private final ByteBuffer[] consumerViews;
    private final long[] numbers;
    private final ByteBuffer[] peeked = new ByteBuffer[2];
    /** What {@link #space()} gives when the ring is full and its tail has no page yet. */
    private final ByteBuffer noSpace = ByteBuffer.allocate(0);
    /** Between a write's start and its commit the producer owns the tail's page; the consumer releases it only here. */
    private final AtomicInteger owner = new AtomicInteger(FREE);
    private volatile long head;
    private volatile long tail;
    private volatile boolean finished;
    private volatile Thread waitingProducer;
    private volatile Thread waitingConsumer;

    /**
     * @param capacity bytes it holds at most
     * @param pool where its pages come from (their size is the pool's)
     */
    public ByteRing(int capacity, PagePool pool) {
        this.pool = pool;
        this.capacity = capacity;
        this.pageSize = pool.pageSize();
        int slots = (capacity + pageSize - 1) / pageSize + 1;
        this.pages = new ByteBuffer[slots];
        this.producerViews = new ByteBuffer[slots];
        this.consumerViews = new ByteBuffer[slots];
        this.numbers = new long[slots];
    }

    /** @return bytes waiting to be read */
    public int readable() {
        return (int) (tail - head);
    }

    /** @return room for bytes; producer side */
    public int writable() {
        return capacity - readable();
    }

    /** @return whether the producer finished and every byte was read */
    public boolean drained() {
        return finished && readable() == 0;
    }

    /**
     * @return whether the producer finished; a consumer reads the end with {@link #peekOrEnd()} or {@link #drained()},
     *         which look at it before the bytes
     */
    public boolean finished() {
        return finished;
    }

    /**
     * Gives the producer the free space at the tail, up to the end of its page: fill it from its position and
     * {@link #commit} what was put in (also 0) before the next call.
     *
     * @return a view with position at the tail; empty when full
     */
    public ByteBuffer space() {
        acquire();
        ByteBuffer view = tailSpace();
        if (!view.hasRemaining()) {
            owner.set(FREE);
        }
        return view;
    }

    /**
     * Publishes what the producer put into {@link #space()}, and wakes a waiting consumer.
     *
     * @param n bytes written
     */
    public void commit(int n) {
        if (n > 0) {
            tail += n;
            owner.set(FREE);
            wake(waitingConsumer);
            return;
        }
        long t = tail;
        if (t == head) {
            release(slot(t), t / pageSize); // nothing came: a page taken for the empty ring goes back at once
        }
        owner.set(FREE);
    }

    /**
     * Copies bytes in; producer side.
     *
     * @param src bytes from its position; the position moves past what was taken
     * @return bytes taken, at most {@link #writable()}
     */
    public int write(ByteBuffer src) {
        int total = 0;
        acquire();
        try {
            while (src.hasRemaining()) {
                ByteBuffer space = tailSpace();
                int n = Math.min(space.remaining(), src.remaining());
                if (n == 0) {
                    break;
                }
                space.put(space.position(), src, src.position(), n);
                src.position(src.position() + n);
                tail += n;
                total += n;
            }
        } finally {
            owner.set(FREE);
        }
        if (total > 0) {
            wake(waitingConsumer);
        }
        return total;
    }

    /** Ends the stream after what was written; producer side. */
    public void finish() {
        finished = true;
        wake(waitingConsumer);
    }

    /**
     * Gives the consumer the bytes waiting, as one or two views (the second when they go on in the next page).
     *
     * @return how many views of {@link #views()} hold bytes: 0, 1 or 2
     */
    public int peek() {
        long h = head;
        int readable = (int) (tail - h);
        if (readable == 0) {
            return 0;
        }
        int start = (int) (h % pageSize);
        int first = Math.min(readable, pageSize - start);
        peeked[0] = consumerViews[slot(h)].limit(start + first).position(start);
        if (first == readable) {
            return 1;
        }
        int second = Math.min(readable - first, pageSize);
        peeked[1] = consumerViews[slot(h + first)].limit(second).position(0);
        return 2;
    }

    /**
     * Gives the consumer the bytes waiting, as {@link #peek()} does, or says that none will come any more. It reads
     * whether the producer finished before it looks for bytes: the producer writes its last bytes, then finishes, so
     * a consumer that looked for bytes first could find none, then find the ring finished, and end the stream
     * without the last bytes.
     *
     * @return how many views of {@link #views()} hold bytes (0, 1 or 2), or {@link #END}; consumer side
     */
    public int peekOrEnd() {
        boolean ended = finished;
        int views = peek();
        return views == 0 && ended ? END : views;
    }

    /** @return the views {@link #peek()} set; consumer side */
    public ByteBuffer[] views() {
        return peeked;
    }

    /**
     * Frees bytes the consumer is done with, gives back the pages it read to the end (and the last one, if the
     * queue is empty now), and wakes a waiting producer.
     *
     * @param n bytes read
     */
    public void consume(int n) {
        if (n <= 0) {
            return;
        }
        long h = head;
        long to = h + n;
        // Pages read to the end: the producer is past them, so they are the consumer's to give back.
        for (long page = h / pageSize; page < to / pageSize; page++) {
            release(slot(page * pageSize), page);
        }
        head = to;
        if (to == tail && owner.compareAndSet(FREE, RELEASING)) {
            if (to == tail) {
                release(slot(to), to / pageSize); // empty, and the producer is not writing: its page can go
            }
            owner.set(FREE);
        }
        wake(waitingProducer);
    }

    /**
     * Parks the consumer until bytes or the end arrive, or {@link #wakeAll()} is called. Spurious returns are
     * possible; callers check again.
     */
    public void awaitReadable() {
        awaitReadable(0);
    }

    /**
     * Parks the consumer as {@link #awaitReadable()} does, at most for a time.
     *
     * @param nanos the longest wait; 0 for no limit
     */
    public void awaitReadable(long nanos) {
        waitingConsumer = Thread.currentThread();
        if (readable() == 0 && !finished) {
            park(nanos);
        }
        waitingConsumer = null;
    }

    /**
     * Parks the producer until at least {@code n} bytes of room are free, or {@link #wakeAll()} is called. Spurious
     * returns are possible; callers check again.
     *
     * @param n the room wanted, at most the capacity
     */
    public void awaitWritable(int n) {
        awaitWritable(n, 0);
    }

    /**
     * Parks the producer as {@link #awaitWritable(int)} does, at most for a time.
     *
     * @param n the room wanted, at most the capacity
     * @param nanos the longest wait; 0 for no limit
     */
    public void awaitWritable(int n, long nanos) {
        waitingProducer = Thread.currentThread();
        if (writable() < Math.min(n, capacity)) {
            park(nanos);
        }
        waitingProducer = null;
    }

    private void park(long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(this, nanos);
        } else {
            LockSupport.park(this);
        }
    }

    /** Wakes whoever waits on either side: the flow is ending. */
    public void wakeAll() {
        wake(waitingConsumer);
        wake(waitingProducer);
    }

    /** Gives back every page; neither side uses the queue any more (the flow ended). */
    public void close() {
        for (int slot = 0; slot < pages.length; slot++) {
            if (pages[slot] != null) {
                release(slot, numbers[slot]);
            }
        }
    }

    /** @return the capacity */
    public int capacity() {
        return capacity;
    }

    /** @return bytes of pages held now */
    public long memoryHeld() {
        long held = 0;
        for (ByteBuffer page : pages) {
            held += page == null ? 0 : pageSize;
        }
        return held;
    }

    /** The producer owns the tail's page until it commits; the consumer holds it only for a moment. */
    private void acquire() {
        while (!owner.compareAndSet(FREE, PRODUCING)) {
            Thread.onSpinWait();
        }
    }

    /** @return the producer's view of the room at the tail, in the tail's page, which it takes if need be */
    private ByteBuffer tailSpace() {
        long t = tail;
        int used = (int) (t - head);
        int start = (int) (t % pageSize);
        int contiguous = Math.min(capacity - used, pageSize - start);
        int slot = slot(t);
        if (contiguous > 0 && (pages[slot] == null || numbers[slot] != t / pageSize)) {
            if (pages[slot] != null) {
                // The consumer gives a page back before it moves past it, and the producer saw that move.
                throw new IllegalStateException("ring slot " + slot + " still holds page " + numbers[slot]
                        + " when page " + t / pageSize + " is needed");
            }
            ByteBuffer page = pool.take(false);
            pages[slot] = page;
            numbers[slot] = t / pageSize;
            producerViews[slot] = page.duplicate();
            consumerViews[slot] = page.duplicate();
        }
        ByteBuffer view = producerViews[slot];
        if (view == null) {
            return noSpace; // full, and the tail's page not taken yet
        }
        return view.limit(start + contiguous).position(start);
    }

    private void release(int slot, long page) {
        ByteBuffer held = pages[slot];
        if (held != null && numbers[slot] == page) {
            pages[slot] = null;
            producerViews[slot] = null;
            consumerViews[slot] = null;
            pool.give(held, false);
        }
    }

    private int slot(long position) {
        return (int) ((position / pageSize) % pages.length);
    }

    private static void wake(Thread thread) {
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
