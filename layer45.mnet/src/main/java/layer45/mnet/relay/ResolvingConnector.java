package layer45.mnet.relay;

import java.nio.channels.ClosedChannelException;
import layer45.mnet.mhost.NameService;

/**
 * DNS over TCP to the stack's own address, when there is a host-identifier table: the connection is accepted at
 * once and served by a {@link ResolvingStream}, which opens the upstream connection only when a query needs it.
 *
 * @param names the name service for this connection
 * @param upstream connects to the upstream resolver, or {@code null} for none
 */
record ResolvingConnector(NameService names, HostConnector upstream) implements HostConnector {

    @Override
    public HostStream connect(Opening opening) throws ClosedChannelException {
        ResolvingStream stream = new ResolvingStream(names, upstream);
        if (!opening.opened(stream)) {
            stream.close();
            throw new ClosedChannelException();
        }
        return stream;
    }
}
