package layer45.mnet.socket.tcp;

import java.nio.ByteBuffer;

/**
 * A TCP byte stream as its user sees it: a {@link TcpConnection} itself, or the connection seen through the
 * customization chain. Services and relays are written against this, so they run the same with customizations or
 * without. Loop thread only.
 */
public interface TcpStream {

    /** @return the connection's identifier in this stack */
    long id();

    /** @return bytes ready to read (with customizations: an estimate, the chain may change the count) */
    int readable();

    /**
     * Reads bytes; the connection's receive window opens by what was taken from it.
     *
     * @param dst where to put them, from its position
     * @return bytes read
     */
    int read(ByteBuffer dst);

    /** @param n bytes to read and forget, at most {@link #readable()} */
    void consume(int n);

    /** @return whether the peer finished sending and everything was read */
    boolean finished();

    /** @return bytes {@link #write} would take now */
    int writable();

    /**
     * Queues bytes to send.
     *
     * @param src the bytes, from its position; the position moves past what was taken
     * @return bytes taken
     */
    int write(ByteBuffer src);

    /** Finishes sending: FIN after what is queued. */
    void shutdownOutput();

    /** Closes both directions; unread data resets the connection instead. */
    void close();

    /**
     * Resets the connection.
     *
     * @param reason why, for logs
     */
    void abort(String reason);
}
