package layer45.mnet.socket;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded byte queue between exactly one producer thread and one consumer thread at a time (the stack's loop on one
 * side, a relay thread or a program's thread on the other), without locks: each side moves its own position, published with a volatile write after
 * the bytes. A side that must wait parks, and the other side unparks it when it moved.
 *
 * <p>The producer also says when the stream ends ({@link #finish()}); the consumer sees it once everything before it
 * was read.
 */
public final class ByteRing {

    /** What {@link #peekOrEnd()} returns once the producer finished and every byte was read. */
    public static final int END = -1;

    private final ByteBuffer buffer;
    private final int capacity;
    /** The producer's view of {@link #buffer}, and the consumer's: each thread moves only its own. */
    private final ByteBuffer producerView;
    private final ByteBuffer[] consumerViews;
    private volatile long head;
    private volatile long tail;
    private volatile boolean finished;
    private volatile Thread waitingProducer;
    private volatile Thread waitingConsumer;

    /** @param capacity bytes it holds */
    public ByteRing(int capacity) {
        this.capacity = capacity;
        this.buffer = ByteBuffer.allocateDirect(capacity);
        this.producerView = buffer.duplicate();
        this.consumerViews = new ByteBuffer[] {buffer.duplicate(), buffer.duplicate()};
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
     * Gives the producer the free space at the tail, up to the end of the buffer: fill it from its position and
     * {@link #commit} what was put in.
     *
     * @return a view with position at the tail; empty when full
     */
    public ByteBuffer space() {
        long t = tail;
        int used = (int) (t - head);
        int start = (int) (t % capacity);
        int contiguous = Math.min(capacity - used, capacity - start);
        return producerView.limit(start + contiguous).position(start);
    }

    /**
     * Publishes what the producer put into {@link #space()}, and wakes a waiting consumer.
     *
     * @param n bytes written
     */
    public void commit(int n) {
        if (n > 0) {
            tail += n;
            wake(waitingConsumer);
        }
    }

    /**
     * Copies bytes in; producer side.
     *
     * @param src bytes from its position; the position moves past what was taken
     * @return bytes taken, at most {@link #writable()}
     */
    public int write(ByteBuffer src) {
        int total = 0;
        while (src.hasRemaining()) {
            ByteBuffer space = space();
            int n = Math.min(space.remaining(), src.remaining());
            if (n == 0) {
                break;
            }
            space.put(space.position(), src, src.position(), n);
            src.position(src.position() + n);
            tail += n;
            total += n;
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
     * Gives the consumer the bytes waiting, as one or two views (the second when they wrap around the end).
     *
     * @return how many views of {@link #views()} hold bytes: 0, 1 or 2
     */
    public int peek() {
        long h = head;
        int readable = (int) (tail - h);
        if (readable == 0) {
            return 0;
        }
        int start = (int) (h % capacity);
        int first = Math.min(readable, capacity - start);
        consumerViews[0].limit(start + first).position(start);
        if (first == readable) {
            return 1;
        }
        consumerViews[1].limit(readable - first).position(0);
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
        return consumerViews;
    }

    /**
     * Frees bytes the consumer is done with, and wakes a waiting producer.
     *
     * @param n bytes read
     */
    public void consume(int n) {
        if (n > 0) {
            head += n;
            wake(waitingProducer);
        }
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

    /** @return the capacity */
    public int capacity() {
        return capacity;
    }

    private static void wake(Thread thread) {
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
