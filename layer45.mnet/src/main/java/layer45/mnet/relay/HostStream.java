package layer45.mnet.relay;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The host's side of a relayed TCP connection: a connected host socket ({@link SocketStream}), or the stack's own
 * name service in front of the upstream resolver ({@link ResolvingStream}). Read by one relay thread, written by
 * the other; closed from any.
 */
interface HostStream {

    /**
     * Waits for bytes from the host side.
     *
     * @param into where to put them, from its position
     * @return how many, or -1 at the end of the stream
     */
    int read(ByteBuffer into) throws IOException;

    /** @param from bytes for the host side, from position to limit: all of them are written */
    void write(ByteBuffer from) throws IOException;

    /** Says that nothing more comes from the program (a FIN). */
    void shutdownOutput() throws IOException;

    /** Ends it abortively (a RST where there is a socket), from any thread; a waiting {@link #read} returns. */
    void reset();

    /** Closes it, from any thread; idempotent. */
    void close();
}
