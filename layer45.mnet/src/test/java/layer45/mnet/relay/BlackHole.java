package layer45.mnet.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A port on the host's loopback that never answers a connection: a listener that accepts nothing, with its accept
 * queue filled, so the kernel drops further SYNs and a connect waits until its time runs out. The loopback's
 * stand-in for a black-holed address, without touching the host's routes.
 */
final class BlackHole implements AutoCloseable {

    private final ServerSocketChannel listener;
    private final List<SocketChannel> fillers = new ArrayList<>();

    private BlackHole(ServerSocketChannel listener) {
        this.listener = listener;
    }

    /**
     * @param address {@code 127.0.0.1} or {@code ::1}
     * @return a port there that does not answer
     */
    static BlackHole on(InetAddress address) throws IOException {
        return on(address, 0);
    }

    /**
     * @param address {@code 127.0.0.1} or {@code ::1}
     * @param port the port, such as one a server just stopped listening on; 0 for any
     * @return that port, not answering
     */
    static BlackHole on(InetAddress address, int port) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(address.getAddress().length == 4
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        BlackHole hole = new BlackHole(listener);
        try {
            listener.bind(new InetSocketAddress(address, port), 1);
            for (int i = 0; i < 16; i++) { // the queue holds two with backlog 1; bounded in case it holds more
                SocketChannel filler = SocketChannel.open(address.getAddress().length == 4
                        ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
                hole.fillers.add(filler);
                try {
                    filler.socket().connect(listener.getLocalAddress(), 300);
                } catch (java.net.SocketTimeoutException e) {
                    return hole; // this SYN was dropped: so will be the next ones
                }
            }
            throw new IOException("the accept queue of " + listener.getLocalAddress() + " did not fill up");
        } catch (IOException | RuntimeException e) {
            hole.close();
            throw e;
        }
    }

    /** @return the port */
    int port() throws IOException {
        return ((InetSocketAddress) listener.getLocalAddress()).getPort();
    }

    @Override
    public void close() {
        for (SocketChannel filler : fillers) {
            try {
                filler.close();
            } catch (IOException ignored) {
                // test cleanup
            }
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // test cleanup
        }
    }
}
