package layer45.mnet.sockets;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import layer45.mnet.HostAddress;
import layer45.mnet.HostConnection;
import layer45.mnet.HostServerSocket;
import layer45.mnet.socket.PagePool;
import layer45.mnet.socket.tcp.TcpConnection;
import layer45.mnet.socket.tcp.TcpHandler;
import layer45.mnet.socket.tcp.TcpListener;

/**
 * A program's listening socket: a {@link TcpListener} on every address and network layer of the stack, whose
 * accepted connections wait in a queue for {@link #accept} once they are handed over (the customization runtime
 * opened their flow). The listener's accept backlog bounds them: a connection
 * beyond it is reset by TCP.
 */
final class StreamListener implements HostServerSocket {

    /** Put in the queue when the socket closes, to wake every waiting accept. */
    private static final StreamConnection CLOSED = new StreamConnection(null, null, new PagePool(4096, 0, 0));

    private final StackSockets stack;
    private final LinkedBlockingQueue<StreamConnection> accepted = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private volatile int port;
    // loop thread only
    private TcpListener listener;

    StreamListener(StackSockets stack) {
        this.stack = stack;
    }

    /** @return whether the port was free and is listened on now; loop thread */
    boolean listen(int candidate) {
        try {
            listener = stack.tcp.listen(null, 0, 0, true, candidate, this::accepted, true);
        } catch (IllegalStateException e) {
            return false;
        }
        port = candidate;
        return true;
    }

    /** A connection completed its handshake; loop thread. */
    private TcpHandler accepted(TcpConnection c) {
        if (closed || accepted.size() >= stack.tcp.settings().acceptBacklog()) {
            return null; // reset: the program does not accept as fast as peers connect
        }
        InetSocketAddress peer = c.deviceEndpoint();
        StreamConnection connection = new StreamConnection(stack.loop, Addressing.peer(stack.hosts(),
                c.network().protocol().name(), peer.getAddress(), peer.getPort()), stack.ringPages);
        connection.local(own(c));
        connection.whenOpened(accepted::add); // not before: the customization runtime may still refuse it
        return connection;
    }

    /** @return the stack's end of a connection */
    static HostAddress own(TcpConnection c) {
        InetSocketAddress own = c.stackEndpoint();
        return new HostAddress(c.network().protocol().name(), own.getAddress(), own.getPort());
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public HostConnection accept(Duration timeout) throws IOException {
        if (closed) {
            throw closedException();
        }
        stack.running();
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        while (true) {
            StreamConnection c;
            try {
                c = accepted.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a connection on port " + port);
            }
            if (c == null) {
                throw new SocketTimeoutException("no connection arrived on port " + port + " within "
                        + timeout.toMillis() + " ms");
            }
            if (c == CLOSED) {
                accepted.add(CLOSED);
                throw closedException();
            }
            return c;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stack.closed(this);
        try {
            stack.loop.call(() -> {
                if (listener != null) {
                    listener.close();
                }
                return null;
            });
        } finally {
            for (StreamConnection c; (c = accepted.poll()) != null; ) {
                if (c != CLOSED) {
                    c.abort();
                }
            }
            accepted.add(CLOSED);
        }
    }

    private SocketException closedException() {
        return new SocketException("the listening socket on port " + port + " is closed; listen again");
    }

    @Override
    public String toString() {
        return "listening socket on port " + port;
    }
}
