package layer45.mnet.relay;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The host's side of a relayed UDP flow: where its datagrams go, and where the answers come from (a host socket, or
 * a stack carrying a plugged-in protocol, {@link PluggedCarrier}).
 */
public interface HostDatagrams {

    /** Opens the host socket, if the flow has one of its own; relay thread. */
    void open() throws IOException;

    /**
     * Sends one datagram to the host side.
     *
     * @param datagram the payload from position to limit
     * @throws java.net.PortUnreachableException if the destination said nothing listens there
     */
    void send(ByteBuffer datagram) throws IOException;

    /**
     * Waits for the next datagram from the host side.
     *
     * @param into where to put it, from its position
     * @return {@code false} once the flow is closed
     * @throws java.net.PortUnreachableException if an earlier datagram met a closed port
     */
    boolean receive(ByteBuffer into) throws IOException;

    /** Closes it; a waiting {@link #receive} returns. Any thread. */
    void close();
}
