package layer45.mnet.sockets;

import java.io.IOException;
import java.net.BindException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import layer45.mnet.HostAddress;
import layer45.mnet.HostConnection;
import layer45.mnet.HostDatagramSocket;
import layer45.mnet.HostServerSocket;
import layer45.mnet.HostSockets;
import layer45.mnet.iface.Interface;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.mhost.Translation;
import layer45.mnet.socket.PagePool;
import layer45.mnet.socket.tcp.TcpLayer;
import layer45.mnet.socket.udp.UdpLayer;

/**
 * The sockets of one running stack: each call crosses to the stack's loop thread for what touches the stack, and
 * waits on the program's thread.
 */
public final class StackSockets implements HostSockets {

    private static final int EPHEMERAL_FIRST = 32768;
    private static final int EPHEMERAL_LAST = 60999;

    final LoopAccess loop;
    /** The pages of the connections' rings: 64 KiB each, held only while bytes wait in them; 4 MiB kept spare. */
    final PagePool ringPages = new PagePool(64 << 10, Long.MAX_VALUE, 4L << 20);
    final Interface iface;
    final UdpLayer udp;
    final TcpLayer tcp;
    private final Supplier<HostTable> hosts;
    final String namespace;
    private final Supplier<String> offReason;
    /** The datagram and listening sockets open now, closed when the stack stops. */
    private final java.util.Set<AutoCloseable> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param loop the stack's loop
     * @param iface its interface; loop thread only
     * @param udp its UDP; loop thread only
     * @param tcp its TCP; loop thread only
     * @param hosts the host-identifier table; may supply {@code null}
     * @param namespace the stack's namespace, "" for the runtime's own
     * @param offReason why the stack is off, when it is
     */
    public StackSockets(LoopAccess loop, Interface iface, UdpLayer udp, TcpLayer tcp, Supplier<HostTable> hosts,
            String namespace, Supplier<String> offReason) {
        this.loop = loop;
        this.iface = iface;
        this.udp = udp;
        this.tcp = tcp;
        this.hosts = hosts;
        this.namespace = namespace;
        this.offReason = offReason;
    }

    @Override
    public HostDatagramSocket openDatagram(int port) throws IOException {
        checkPort(port, true);
        running();
        DatagramEndpoint endpoint = new DatagramEndpoint(this);
        bind(port, "UDP", p -> loop.call(() -> endpoint.bind(p)));
        open.add(endpoint);
        return endpoint;
    }

    @Override
    public HostConnection connect(String identifier, int port, Duration timeout) throws IOException {
        checkPort(port, false);
        checkTimeout(timeout);
        HostTable table = table(identifier);
        Translation translation = loop.call(() -> table.translate(identifier, p -> Addressing.unavailable(iface, p)));
        if (translation == null) {
            throw unknown(identifier);
        }
        return new StreamConnector(this, timeout).connect(table, translation, identifier, port);
    }

    @Override
    public HostConnection connect(HostAddress address, int port, Duration timeout) throws IOException {
        checkPort(port, address.port() != 0);
        checkTimeout(timeout);
        running();
        return new StreamConnector(this, timeout).connect(address, port);
    }

    @Override
    public HostServerSocket listen(int port) throws IOException {
        checkPort(port, true);
        running();
        StreamListener listener = new StreamListener(this);
        bind(port, "TCP", p -> loop.call(() -> listener.listen(p)));
        open.add(listener);
        return listener;
    }

    @Override
    public List<String> protocols() {
        if (!loop.running()) {
            return List.of();
        }
        return loop.call(() -> iface.layers().stream().filter(l -> Addressing.unavailable(iface,
                l.protocol().name()) == null).map(l -> l.protocol().name()).toList());
    }

    /** @param socket a socket that closed */
    void closed(AutoCloseable socket) {
        open.remove(socket);
    }

    /**
     * Closes every datagram and listening socket (the stack stops): their waiting receivers hear it. Connections
     * hear it from TCP.
     */
    public void closeAll() {
        for (AutoCloseable socket : List.copyOf(open)) {
            try {
                socket.close();
            } catch (Exception e) {
                System.getLogger("layer45.mnet").log(System.Logger.Level.WARNING, "mnet:sockets: closing " + socket
                        + " failed", e);
            }
        }
    }

    /** @return the table, read now; {@code null} without one */
    HostTable hosts() {
        return hosts.get();
    }

    /** @return the table, to translate a name with */
    HostTable table(String identifier) throws IOException {
        running();
        HostTable table = hosts.get();
        if (table == null) {
            throw new UnknownHostException("cannot look up host identifier " + identifier + ": the runtime has no"
                    + " host-identifier table (the layer45.mhost component is not running)");
        }
        return table;
    }

    /** @throws IOException saying why the stack is off, when it is */
    void running() throws IOException {
        if (!loop.running()) {
            throw new java.net.SocketException("the network stack is off: " + offReason.get());
        }
    }

    static UnknownHostException unknown(String identifier) {
        return new UnknownHostException("no host identifier is named " + identifier + "; add it (l45:mhost add "
                + identifier + " ADDRESS..., or a line in conf/mhosts), or check the name (l45:mhost list)");
    }

    /** Binds the port asked for, or a free ephemeral one for 0, with the bind attempt given. */
    private static void bind(int port, String transport, IntPredicate attempt) throws BindException {
        if (port != 0) {
            if (!attempt.test(port)) {
                throw new BindException(transport + " port " + port + " is taken in the network stack; close the"
                        + " socket that has it, or pick another port (0: any free one)");
            }
            return;
        }
        int span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        int start = ThreadLocalRandom.current().nextInt(span);
        for (int k = 0; k < span; k++) {
            if (attempt.test(EPHEMERAL_FIRST + (start + k) % span)) {
                return;
            }
        }
        throw new BindException("every ephemeral " + transport + " port of the network stack is taken; close"
                + " sockets, or bind a port outside " + EPHEMERAL_FIRST + ".." + EPHEMERAL_LAST);
    }

    private static void checkPort(int port, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside " + (zeroAllowed ? "0" : "1")
                    + "..65535");
        }
    }

    private static void checkTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("connect timeout " + timeout + " must be positive");
        }
    }
}
