package layer45.runtime.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session's input: a bounded buffer the connection feeds with the client's input frames and the command reads.
 * A full buffer makes {@link #feed} wait, which stops reading the socket and so slows the client down. Reading can
 * be interrupted (the session was closed), unlike a socket's stream.
 */
final class SessionInput extends InputStream {

    /** How many bytes wait for the command at most. */
    static final int CAPACITY = 64 * 1024;

    private final byte[] ring = new byte[CAPACITY];
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int head;
    private int count;
    private boolean ended;

    /**
     * Adds bytes for the command, waiting while the buffer is full; after {@link #end} they are dropped.
     *
     * @param bytes the bytes
     * @throws InterruptedException if interrupted while waiting
     */
    void feed(byte[] bytes) throws InterruptedException {
        int done = 0;
        while (done < bytes.length) {
            lock.lockInterruptibly();
            try {
                while (count == ring.length && !ended) {
                    changed.await();
                }
                if (ended) {
                    return;
                }
                int tail = (head + count) % ring.length;
                int chunk = Math.min(bytes.length - done, Math.min(ring.length - count, ring.length - tail));
                System.arraycopy(bytes, done, ring, tail, chunk);
                count += chunk;
                done += chunk;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Ends the input: the command reads what is buffered, then the end of file. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        try {
            lock.lockInterruptibly();
            try {
                while (count == 0 && !ended) {
                    changed.await();
                }
                if (count == 0) {
                    return -1;
                }
                int chunk = Math.min(length, Math.min(count, ring.length - head));
                System.arraycopy(ring, head, bytes, offset, chunk);
                head = (head + chunk) % ring.length;
                count -= chunk;
                changed.signalAll();
                return chunk;
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the client's input");
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the input and drops what is buffered: the command reads the end of file. */
    @Override
    public void close() {
        lock.lock();
        try {
            ended = true;
            count = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
