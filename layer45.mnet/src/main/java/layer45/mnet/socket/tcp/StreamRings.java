package layer45.mnet.socket.tcp;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import layer45.mnet.socket.ByteRing;

/**
 * Moves bytes between a connection ({@link TcpStream}) and the {@link ByteRing}s that carry them to and from another
 * thread (a relay thread, a program's thread), on the loop thread, as far as each side has room. Flow control holds
 * end to end: a full ring stops reading the connection (its window closes); a full send buffer stops draining the
 * ring (its producer waits).
 *
 * <p>Each ring's other side is woken through a flag: the loop sets it when it stopped for want of room or bytes, and
 * the other thread, seeing it set after moving bytes, clears it and schedules the loop.
 */
public final class StreamRings {

    private StreamRings() {
    }

    /**
     * Moves what the connection has to read into a ring.
     *
     * @param s the connection
     * @param ring the ring the other thread consumes
     * @param blocked set when the ring filled while the connection had more: the consumer schedules the loop when it
     *        frees room
     */
    public static void fill(TcpStream s, ByteRing ring, AtomicBoolean blocked) {
        while (s.readable() > 0) {
            ByteBuffer space = ring.space();
            if (!space.hasRemaining()) {
                blocked.set(true);
                if (ring.writable() == 0) {
                    return;
                }
                blocked.set(false);
                continue;
            }
            int n = s.read(space);
            if (n == 0) {
                break; // a customization holds the bytes for now
            }
            ring.commit(n);
        }
        if (s.finished() && !ring.finished()) {
            ring.finish();
        }
    }

    /**
     * Moves what a connection that has closed still holds into a ring, and ends the ring after the last of it: TCP
     * keeps the peer's last bytes after a clean close, and they may not have fit the ring before. Call again when the
     * consumer frees room, until the ring is finished.
     *
     * @param s the closed connection
     * @param ring the ring the other thread consumes
     * @param blocked as for {@link #fill}
     */
    public static void fillToEnd(TcpStream s, ByteRing ring, AtomicBoolean blocked) {
        fill(s, ring, blocked);
        if (s.readable() == 0 && !ring.finished()) {
            ring.finish();
        }
    }

    /**
     * Moves what the other thread put into a ring into the connection, as far as its send buffer has room.
     *
     * @param ring the ring the other thread produces
     * @param s the connection
     * @param waiting set when the ring is empty: the producer schedules the loop when it adds bytes
     * @return whether the ring is drained and finished: the connection's output is to be shut down
     */
    public static boolean drain(ByteRing ring, TcpStream s, AtomicBoolean waiting) {
        while (true) {
            int views = ring.peek();
            if (views == 0) {
                waiting.set(true);
                if (ring.readable() > 0) {
                    waiting.set(false);
                    continue;
                }
                break;
            }
            int written = 0;
            for (int i = 0; i < views; i++) {
                ByteBuffer view = ring.views()[i];
                int wanted = view.remaining();
                int n = s.write(view);
                written += n;
                if (n < wanted) {
                    break;
                }
            }
            ring.consume(written);
            if (written == 0) {
                return false; // the send buffer is full: writable() calls again
            }
        }
        return ring.drained();
    }
}
