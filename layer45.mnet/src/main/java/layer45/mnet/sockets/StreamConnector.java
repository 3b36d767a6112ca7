package layer45.mnet.sockets;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import layer45.mnet.HostAddress;
import layer45.mnet.HostEndpoint;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.mhost.TranslatedFlow;
import layer45.mnet.mhost.Translation;
import layer45.mnet.socket.tcp.TcpConnection;

/**
 * Connects a program to a host identifier as the relay's {@code FailoverConnector} does for a program in a
 * namespace: its usable addresses in order, each within the connect timeout, until one connects. A refusal (RST)
 * ends the attempt there: the host answered. An address that is unreachable (ICMP) or silent moves on to the next.
 * Runs on the program's thread; each attempt is opened on the loop.
 */
final class StreamConnector {

    /** The reason TCP gives a connection attempt answered with RST. */
    private static final String REFUSED = "connection refused";

    private final StackSockets stack;
    private final Duration timeout;

    StreamConnector(StackSockets stack, Duration timeout) {
        this.stack = stack;
        this.timeout = timeout;
    }

    /** Connects to a host identifier's usable addresses in turn. */
    StreamConnection connect(HostTable table, Translation translation, String identifier, int port)
            throws IOException {
        String name = translation.identifier().name();
        TranslatedFlow flow = new TranslatedFlow(table, translation, "tcp", stack.namespace, "*", name + ":" + port,
                port);
        for (HostAddress address : translation.usable()) {
            InetSocketAddress target = address.socketAddress(port);
            Attempt attempt = attempt(address, port, name);
            if (attempt.connection() != null) {
                flow.chose(address, target, "connected", true);
                attempt.connection().choice(flow);
                return attempt.connection();
            }
            if (attempt.refused()) {
                flow.chose(null, target, "refused (the host answered: no failover)", false);
                throw new ConnectException("connection refused by host identifier " + name + " at " + address
                        + " port " + target.getPort() + ": nothing listens there; start the server, or check the"
                        + " port (" + flow.attempts() + ")");
            }
            flow.failed(target, attempt.outcome());
        }
        flow.chose(null, null, translation.usable().isEmpty() ? "no usable address" : "every address failed", false);
        throw new NoRouteToHostException("cannot connect to host identifier " + name + " on port " + port + ": "
                + flow.attempts() + "; check that the server runs and the identifier's addresses (l45:mhost list)");
    }

    /** Connects to one address, without translation. */
    StreamConnection connect(HostAddress address, int port) throws IOException {
        int p = address.port() != 0 ? address.port() : port;
        Attempt attempt = attempt(address, p, null);
        if (attempt.connection() != null) {
            return attempt.connection();
        }
        String target = address + " port " + p;
        if (attempt.refused()) {
            throw new ConnectException("connection refused by " + target + ": nothing listens there");
        }
        if (attempt.timedOut()) {
            throw new SocketTimeoutException("no answer from " + target + " within " + timeout.toMillis() + " ms");
        }
        throw new NoRouteToHostException("cannot connect to " + target + ": " + attempt.outcome());
    }

    /** One address tried: connected, refused, or failed with an outcome. */
    private record Attempt(StreamConnection connection, boolean refused, boolean timedOut, String outcome) {
    }

    private Attempt attempt(HostAddress address, int port, String identifier) throws IOException {
        stack.running();
        StreamConnection[] made = new StreamConnection[1];
        String failure = stack.loop.call(() -> {
            NetworkLayer layer = Addressing.layer(stack.iface, address.protocol());
            String unusable = Addressing.unavailable(stack.iface, address.protocol());
            if (unusable != null) {
                return "skipped (protocol " + address.protocol() + " " + unusable + ")";
            }
            HostEndpoint remote = identifier != null
                    ? new HostEndpoint(identifier, new HostAddress(address.protocol(), address.address(), port))
                    : Addressing.peer(stack.hosts(), address.protocol(), address.address(), port);
            StreamConnection connection = new StreamConnection(stack.loop, remote, stack.ringPages);
            try {
                TcpConnection c = stack.tcp.connectFromStack(layer, Addressing.high(address.address()),
                        Addressing.low(address.address()), port, connection);
                // told of the handshake later, on this thread: the local end is known by then
                connection.local(StreamListener.own(c));
                made[0] = connection;
                return null;
            } catch (IllegalStateException e) {
                return "not tried: " + e.getMessage();
            }
        });
        if (failure != null) {
            return new Attempt(null, false, false, failure);
        }
        StreamConnection c = made[0];
        if (c.awaitOpen(timeout.toNanos())) {
            return new Attempt(c, false, false, "connected");
        }
        String reason = c.endReason();
        if (reason == null) {
            c.abort();
            return new Attempt(null, false, true, "no answer within " + timeout.toMillis() + " ms");
        }
        return new Attempt(null, reason.equals(REFUSED), false, reason);
    }
}
