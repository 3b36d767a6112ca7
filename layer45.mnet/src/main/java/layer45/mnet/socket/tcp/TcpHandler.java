package layer45.mnet.socket.tcp;

/**
 * What a connection's user (a service in the stack, the relay, the customization adapter) is told. Called on the
 * loop thread after a segment or a timer was processed, never in the middle of it: the handler may read, write and
 * close the connection from these calls.
 */
public interface TcpHandler {

    /** The connection is established (both SYNs acknowledged). */
    default void opened(TcpStream stream) {
    }

    /** Bytes arrived in order: {@link TcpStream#readable()} grew, or the peer finished. */
    void readable(TcpStream stream);

    /** Room appeared in the send buffer: {@link TcpStream#writable()} grew. */
    default void writable(TcpStream stream) {
    }

    /**
     * The connection is gone: closed by both sides, reset, timed out, or aborted. No more calls follow.
     *
     * @param stream the stream
     * @param reason why, for logs: "closed" after a clean close
     */
    void closed(TcpStream stream, String reason);
}
