package layer45.mnet.relay;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A host TCP port whose connections go to a program in the namespace, each relayed by {@link RelayedTcp}. */
final class TcpPortForward implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");

    private final HostRelay relay;
    private final PortForward forward;
    private final InetSocketAddress to;
    private final ServerSocketChannel server;

    private TcpPortForward(HostRelay relay, PortForward forward, InetSocketAddress to, ServerSocketChannel server) {
        this.relay = relay;
        this.forward = forward;
        this.to = to;
        this.server = server;
    }

    /**
     * Listens on the forward's host port and starts accepting.
     *
     * @throws IOException if the port cannot be bound
     */
    static TcpPortForward open(HostRelay relay, PortForward forward, InetSocketAddress to) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(forward.listen().getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(forward.listen(), 1024);
        } catch (IOException e) {
            server.close();
            throw new IOException(forward + ": " + e.getMessage(), e);
        }
        TcpPortForward listening = new TcpPortForward(relay, forward, to, server);
        Thread.ofVirtual().name("layer45-forward " + forward).start(listening::accept);
        return listening;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                relay.forward(client, to);
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.log(System.Logger.Level.WARNING, "mnet:relay: forward " + forward + " failed to accept: "
                            + e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    @Override
    public String toString() {
        return "forward " + forward;
    }
}
