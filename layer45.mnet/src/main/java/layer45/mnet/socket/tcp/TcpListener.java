package layer45.mnet.socket.tcp;

import java.util.ArrayDeque;

import layer45.api.Initiator;
import layer45.mnet.iface.NetworkLayer;

/**
 * A passive open (RFC 9293's LISTEN) on one of the stack's own addresses, or all of them, and a port. A SYN opens a
 * half-open connection while fewer than the SYN backlog are; a completed handshake queues the connection for its
 * {@link TcpAcceptor} while fewer than the accept backlog wait. Beyond either bound, SYNs are dropped (the peer
 * retries) and handshakes reset, and both are counted. Loop thread only.
 */
public final class TcpListener {

    private final TcpLayer layer;
    private final NetworkLayer network;
    private final long high;
    private final long low;
    private final boolean anyAddress;
    private final int port;
    private final TcpAcceptor acceptor;
    private final int synBacklog;
    private final int acceptBacklog;
    private final ArrayDeque<TcpConnection> accepting = new ArrayDeque<>();
    /** Whether the acceptor is the application of what it accepts (a socket of a program in the runtime). */
    boolean applicationInStack;
    private int halfOpen;
    private boolean closed;

    TcpListener(TcpLayer layer, NetworkLayer network, long high, long low, boolean anyAddress, int port,
            TcpAcceptor acceptor, int synBacklog, int acceptBacklog) {
        this.layer = layer;
        this.network = network;
        this.high = high;
        this.low = low;
        this.anyAddress = anyAddress;
        this.port = port;
        this.acceptor = acceptor;
        this.synBacklog = synBacklog;
        this.acceptBacklog = acceptBacklog;
    }

    /** @return the port */
    public int port() {
        return port;
    }

    /** @return half-open connections (SYN received, handshake not complete) */
    public int halfOpen() {
        return halfOpen;
    }

    /** Stops listening; connections already accepted stay. */
    public void close() {
        closed = true;
        layer.unlisten(this);
    }

    boolean matches(NetworkLayer layer, long dstHigh, long dstLow, int dstPort) {
        return !closed && port == dstPort && (network == null || network == layer)
                && (anyAddress || high == dstHigh && low == dstLow);
    }

    boolean overlaps(NetworkLayer otherNetwork, long otherHigh, long otherLow, boolean otherAny, int otherPort) {
        return port == otherPort && (network == null || otherNetwork == null || network == otherNetwork)
                && (anyAddress || otherAny || high == otherHigh && low == otherLow);
    }

    boolean synQueueFull() {
        return halfOpen >= synBacklog;
    }

    boolean acceptQueueFull() {
        return accepting.size() >= acceptBacklog;
    }

    void halfOpened() {
        halfOpen++;
    }

    /** A half-open connection completed its handshake or went away. */
    void halfClosed() {
        halfOpen--;
    }

    /** A connection of this listener is established: it waits for the acceptor. */
    void established(TcpConnection connection) {
        accepting.add(connection);
        layer.acceptLater(this);
    }

    /** Hands waiting connections to the acceptor. */
    void acceptWaiting() {
        for (TcpConnection c; (c = accepting.poll()) != null; ) {
            c.listener = null;
            if (c.state() == TcpState.CLOSED) {
                continue;
            }
            TcpHandler handler = closed ? null : acceptor.accept(c);
            if (handler == null) {
                c.abort("refused by the listener on port " + port);
            } else {
                c.applicationInStack = applicationInStack;
                // the application in the namespace connected; or the peer did, to the program in the runtime
                layer.attach(c, handler, applicationInStack ? Initiator.REMOTE : Initiator.LOCAL);
            }
        }
    }

    @Override
    public String toString() {
        return "TCP listener on " + (anyAddress ? "*" : network == null ? "?" : network.toInetAddress(high, low)
                .getHostAddress()) + ":" + port;
    }
}
