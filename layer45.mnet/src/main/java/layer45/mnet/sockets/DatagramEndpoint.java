package layer45.mnet.sockets;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.mnet.HostDatagram;
import layer45.mnet.HostDatagramSocket;
import layer45.mnet.HostEndpoint;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.iface.Unreachable;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.mhost.Translation;
import layer45.mnet.mhost.TranslatedFlow;
import layer45.mnet.socket.udp.UdpFlow;
import layer45.mnet.socket.udp.UdpReceiver;
import layer45.mnet.socket.udp.UdpSocket;

/**
 * A program's datagram socket: a {@link UdpSocket} bound on every address and network layer of the stack, a bounded
 * queue of what it received, and a {@link DatagramDestination} per host identifier and port it sends to.
 */
final class DatagramEndpoint implements HostDatagramSocket, UdpReceiver {

    /** The most datagrams, and bytes, that wait for {@link #receive}. */
    private static final int QUEUE_DATAGRAMS = 1024;
    private static final long QUEUE_BYTES = 4L << 20;
    /** Put in the queue when the socket closes, to wake every receiver. */
    private static final HostDatagram CLOSED = new HostDatagram(
            new HostEndpoint(null, HostAddress.parse("0.0.0.0:1")), ByteBuffer.allocate(0));

    private final StackSockets stack;
    private final LinkedBlockingQueue<HostDatagram> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;
    private volatile int port;
    // loop thread only
    private UdpSocket socket;
    private final Map<String, DatagramDestination> destinations = new HashMap<>();
    private final Map<UdpFlow, DatagramDestination> byFlow = new IdentityHashMap<>();
    /** The latest choice per destination, for any thread. */
    private final Map<String, TranslatedFlow> choices = new java.util.concurrent.ConcurrentHashMap<>();

    DatagramEndpoint(StackSockets stack) {
        this.stack = stack;
    }

    StackSockets stack() {
        return stack;
    }

    /** @return whether the port was free and is bound now; loop thread */
    boolean bind(int candidate) {
        try {
            socket = stack.udp.bind(null, 0, 0, true, candidate, this);
        } catch (IllegalStateException e) {
            return false;
        }
        port = candidate;
        return true;
    }

    @Override
    public int port() {
        return port;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Sending (the program's thread, then the loop)
    // -------------------------------------------------------------------------------------------------------------

    @Override
    public void send(String identifier, int toPort, ByteBuffer payload) throws IOException {
        checkPort(toPort);
        open();
        HostTable table = stack.table(identifier);
        IOException failure = stack.loop.call(() -> sendOnLoop(table, identifier, toPort, payload));
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void send(HostAddress address, int toPort, ByteBuffer payload) throws IOException {
        int p = address.port() != 0 ? address.port() : toPort;
        checkPort(p);
        open();
        IOException failure = stack.loop.call(() -> sendDirect(address, p, payload));
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void send(HostEndpoint to, ByteBuffer payload) throws IOException {
        send(to.address(), to.port(), payload);
    }

    private IOException sendOnLoop(HostTable table, String identifier, int toPort, ByteBuffer payload) {
        if (socket == null) {
            return closed();
        }
        String key = layer45.mnet.HostIdentifier.checkName(identifier) + ":" + toPort;
        long layerChanges = stack.iface.layerChanges();
        DatagramDestination d = destinations.get(key);
        if (d == null || d.outdated(table.changes(), layerChanges)) {
            if (d != null) {
                d.end();
            }
            Translation translation = table.translate(identifier, p -> Addressing.unavailable(stack.iface, p));
            if (translation == null) {
                destinations.remove(key);
                return StackSockets.unknown(identifier);
            }
            TranslatedFlow flow = new TranslatedFlow(table, translation, "udp", stack.namespace, "*:" + port, key,
                    toPort);
            d = new DatagramDestination(this, flow, table.changes(), layerChanges);
            destinations.put(key, d);
            choices.put(key, flow);
        }
        IOException failure = d.send(payload);
        if (d.spent()) {
            destinations.remove(key);
            d.end();
        }
        return failure;
    }

    private IOException sendDirect(HostAddress address, int toPort, ByteBuffer payload) {
        if (socket == null) {
            return closed();
        }
        NetworkLayer layer = Addressing.layer(stack.iface, address.protocol());
        String unusable = Addressing.unavailable(stack.iface, address.protocol());
        if (unusable != null) {
            return new NoRouteToHostException("cannot send to " + address.socketAddress(toPort) + ": protocol "
                    + address.protocol() + " " + unusable);
        }
        UdpFlow flow = flowTo(layer, address, toPort);
        if (flow == null) {
            return new SocketException("the network stack refused a flow to " + address + " port " + toPort + ": its"
                    + " UDP flow table is full, or the customization runtime could not open the flow (see the udp"
                    + " counters flow-table-full and tap-failed, and the runtime's log)");
        }
        flow.send(payload);
        return null;
    }

    /** @return the socket's flow to an address, opened if needed; {@code null} if the stack refused it */
    UdpFlow flowTo(NetworkLayer layer, HostAddress address, int toPort) {
        return socket.flowTo(layer, Addressing.high(address.address()), Addressing.low(address.address()), toPort);
    }

    void remember(UdpFlow flow, DatagramDestination destination) {
        byFlow.put(flow, destination);
    }

    void forget(UdpFlow flow) {
        if (flow != null) {
            byFlow.remove(flow);
        }
    }

    @Override
    public Optional<HostChoice> choice(String identifier, int toPort) {
        TranslatedFlow flow = choices.get(identifier.toLowerCase(java.util.Locale.ROOT) + ":" + toPort);
        return Optional.ofNullable(flow == null ? null : flow.latest());
    }

    // -------------------------------------------------------------------------------------------------------------
    // Receiving (the loop, then the program's thread)
    // -------------------------------------------------------------------------------------------------------------

    @Override
    public void received(UdpSocket from, UdpFlow flow, ByteBuffer payload) {
        DatagramDestination d = byFlow.get(flow);
        if (d != null) {
            d.answered(flow);
        }
        int length = payload.remaining();
        if (closed || queue.size() >= QUEUE_DATAGRAMS || queuedBytes.get() + length > QUEUE_BYTES) {
            dropped.incrementAndGet();
            return;
        }
        byte[] bytes = new byte[length];
        payload.get(payload.position(), bytes);
        java.net.InetSocketAddress sender = flow.deviceEndpoint();
        HostEndpoint peer = Addressing.peer(stack.hosts(), flow.network().protocol().name(), sender.getAddress(),
                sender.getPort());
        queuedBytes.addAndGet(length);
        queue.add(new HostDatagram(peer, ByteBuffer.wrap(bytes).asReadOnlyBuffer()));
    }

    @Override
    public void unreachable(UdpSocket from, UdpFlow flow, Unreachable why) {
        DatagramDestination d = byFlow.get(flow);
        if (d != null) {
            d.unreachable(flow, why);
        }
    }

    @Override
    public HostDatagram receive(Duration timeout) throws IOException {
        open();
        HostDatagram datagram;
        try {
            datagram = queue.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a datagram on port " + port);
        }
        if (datagram == null) {
            throw new SocketTimeoutException("no datagram arrived on port " + port + " within " + timeout.toMillis()
                    + " ms");
        }
        if (datagram == CLOSED) {
            queue.add(CLOSED); // for the next receiver
            throw closed();
        }
        queuedBytes.addAndGet(-datagram.payload().remaining());
        return datagram;
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    // -------------------------------------------------------------------------------------------------------------
    // Closing
    // -------------------------------------------------------------------------------------------------------------

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stack.closed(this);
        try {
            stack.loop.call(() -> {
                if (socket != null) {
                    socket.close();
                    socket = null;
                }
                destinations.values().forEach(DatagramDestination::end);
                destinations.clear();
                byFlow.clear();
                return null;
            });
        } finally {
            queue.add(CLOSED);
        }
    }

    private void open() throws IOException {
        if (closed) {
            throw closed();
        }
        stack.running();
    }

    private SocketException closed() {
        return new SocketException("the datagram socket on port " + port + " is closed; open a new one");
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
    }

    @Override
    public String toString() {
        return "datagram socket on port " + port;
    }
}
