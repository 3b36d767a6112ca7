package layer45.mnet;

import java.io.IOException;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A listening TCP socket of a program in the runtime, on one port on every address and network protocol of the
 * stack ({@link HostSockets#listen}). Connections whose handshake completed wait in the listener's backlog until
 * accepted. Any thread.
 *
 * @since 1.4
 */
@ProviderType
public interface HostServerSocket extends AutoCloseable {

    /** @return the port */
    int port();

    /**
     * Waits for a connection.
     *
     * @param timeout the longest wait
     * @return the connection, with its peer reported as a host identifier where the table has one
     * @throws java.net.SocketTimeoutException if none came in time
     * @throws java.net.SocketException if the socket is closed (before or while waiting)
     * @throws java.io.InterruptedIOException if the thread was interrupted
     */
    HostConnection accept(Duration timeout) throws IOException;

    /** Stops listening; connections accepted stay, those not yet accepted are reset. Idempotent. */
    @Override
    void close();
}
