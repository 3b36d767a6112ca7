package layer45.mnet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A datagram (UDP) socket of a program in the runtime, bound to one port on every address and network protocol of
 * the stack ({@link HostSockets#openDatagram}).
 *
 * <p>Datagrams wait for {@link #receive} in a bounded queue; what arrives while it is full is dropped and counted
 * ({@link #dropped()}), as a kernel socket's receive buffer does. Any thread.
 *
 * @since 1.4
 */
@ProviderType
public interface HostDatagramSocket extends AutoCloseable {

    /** @return the bound port */
    int port();

    /**
     * Sends a datagram to a host identifier: to the address chosen for it (see {@link HostSockets}).
     *
     * @param identifier the host identifier's name
     * @param port the port, used for each address that does not name its own
     * @param payload the payload, from its position to its limit; its position is not moved
     * @throws java.net.UnknownHostException if no host identifier has that name
     * @throws java.net.NoRouteToHostException if no address of it is usable, or every address was reported
     *         unreachable since the last send (the next send starts again from the first)
     * @throws IOException if the socket is closed, or the stack could not open a flow (the message says why)
     */
    void send(String identifier, int port, ByteBuffer payload) throws IOException;

    /**
     * Sends a datagram to one address, without translation (ICMP errors about it are not reported).
     *
     * @param address the address, on its network protocol
     * @param port the port, used if the address does not name one
     * @param payload the payload, from its position to its limit; its position is not moved
     * @throws java.net.NoRouteToHostException if the stack does not speak the address's protocol
     * @throws IOException if the socket is closed, or the stack could not open a flow
     */
    void send(HostAddress address, int port, ByteBuffer payload) throws IOException;

    /**
     * Answers a peer the way it came: to the address and port it sent from, on its protocol.
     *
     * @param to a peer, as {@link #receive} reported it
     * @param payload the payload, from its position to its limit; its position is not moved
     * @throws IOException as {@link #send(HostAddress, int, ByteBuffer)}
     */
    void send(HostEndpoint to, ByteBuffer payload) throws IOException;

    /**
     * Waits for a datagram.
     *
     * @param timeout the longest wait
     * @return the datagram and its sender
     * @throws java.net.SocketTimeoutException if none came in time
     * @throws java.net.SocketException if the socket is closed (before or while waiting)
     * @throws java.io.InterruptedIOException if the thread was interrupted
     */
    HostDatagram receive(Duration timeout) throws IOException;

    /**
     * @param identifier a host identifier's name this socket sent to
     * @param port the port it sent to
     * @return the address in use for it and why, or empty if the socket has not sent there
     */
    Optional<HostChoice> choice(String identifier, int port);

    /** @return datagrams dropped because the receive queue was full */
    long dropped();

    /** Closes the socket and its flows; waiting receivers get a {@link java.net.SocketException}. Idempotent. */
    @Override
    void close();
}
