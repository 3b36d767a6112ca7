package layer45.mnet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A TCP connection of a program in the runtime ({@link HostSockets#connect}, {@link HostServerSocket#accept}).
 *
 * <p>Its streams block the calling thread (a virtual thread parks) within the timeouts set. Flow control holds end
 * to end: bytes wait in bounded buffers between the program and the stack, so a program that reads slowly closes
 * TCP's window toward its peer, and one that writes faster than the peer reads waits in {@code write}.
 *
 * <p>{@link #input()} may be read by one thread at a time and {@link #output()} written by one thread at a time;
 * the two may be used by two threads at once. Any method may be called from any thread.
 *
 * @since 1.4
 */
@ProviderType
public interface HostConnection extends AutoCloseable {

    /** @return the peer: its host identifier (or address alone) and where the connection runs to */
    HostEndpoint remote();

    /** @return the stack's end: its network protocol, own address and port */
    HostAddress local();

    /**
     * @return how the address was chosen, for a connection to a host identifier; empty for one to a literal address
     *         or an accepted one
     */
    Optional<HostChoice> choice();

    /**
     * @return what the peer sends; {@code read} returns -1 after the peer finished, and throws
     *         {@link java.net.SocketException} if the connection was reset or aborted (saying by whom and why) and
     *         {@link java.net.SocketTimeoutException} after the read timeout
     */
    InputStream input();

    /**
     * @return what to send to the peer; {@code write} waits for room within the write timeout and throws
     *         {@link java.net.SocketException} once the connection ended or the output was shut down
     */
    OutputStream output();

    /** @param timeout the longest a read waits; {@link Duration#ZERO} for no limit (the default) */
    void readTimeout(Duration timeout);

    /** @param timeout the longest a write waits for room; {@link Duration#ZERO} for no limit (the default) */
    void writeTimeout(Duration timeout);

    /**
     * Finishes sending (half-close): the peer reads to its end after what was written; reading goes on.
     *
     * @throws IOException if the connection ended
     */
    void shutdownOutput() throws IOException;

    /** @return whether the connection still runs (neither closed here, nor reset, nor closed by both sides) */
    boolean isOpen();

    /** Resets the connection at once (RST); what was written and not yet sent is dropped. */
    void abort();

    /**
     * Closes: what was written is sent, then FIN; what arrives later is dropped. Waiting readers and writers get a
     * {@link java.net.SocketException}. Does not wait for the peer. Idempotent.
     */
    @Override
    void close();
}
