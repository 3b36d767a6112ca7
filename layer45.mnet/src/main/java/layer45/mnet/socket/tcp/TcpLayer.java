package layer45.mnet.socket.tcp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.ProcessOwner;
import layer45.api.Transport;
import layer45.api.spi.FlowTap;
import layer45.api.spi.TappedFlow;
import layer45.mnet.TcpConnectionStatus;

import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.socket.FlowTable;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.TcpOptions;
import layer45.mnet.wire.TcpPacket;
import layer45.mnet.wire.WireCheck;

/**
 * TCP (RFC 9293) in the stack: checks segments, finds their connection by 5-tuple, opens connections for SYNs to a
 * {@link TcpListener}, answers segments nobody wants with RST, and runs every connection's timers from one
 * {@link TimerQueue}. Connections opened here ({@link #connect}) are active opens.
 *
 * <p>Output is gathered: a segment that arrives, a timer, or a user's write marks its connection, and the
 * connections marked are flushed (segments sent, handlers told) once the work at hand is done, so handlers never
 * run in the middle of processing a segment. Buffer memory is reserved per established connection from one budget
 * for the whole stack.
 *
 * <p>With a customization runtime ({@link FlowTap}), every connection is a flow: its user reads and writes it through
 * the chain ({@link TappedStream}), and a connection the runtime cannot open is reset (fail closed).
 *
 * <p>Loop thread only, except {@link #abortLater}; nothing is allocated per segment.
 */
public final class TcpLayer implements layer45.mnet.iface.Transport {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    private static final int EPHEMERAL_FIRST = 32768;
    private static final int EPHEMERAL_LAST = 60999;
    /** Timers run per {@link #maintain()} call at most, so one call never holds the loop for long. */
    private static final int TIMERS_PER_CALL = 4096;
    /**
     * Bytes of closed connections' buffers kept for the next connections, per direction. A fresh direct buffer costs
     * page faults and zeroing of its whole capacity (a 256 KiB pair: more than the rest of a short connection's
     * life); a recycled one costs nothing.
     */
    private static final long POOL_BYTES = 32L << 20;

    private final TcpSettings settings;
    private final Clock clock;
    private final FlowTable<TcpConnection> connections;
    private final List<TcpListener> listeners = new ArrayList<>();
    private final ArrayDeque<TcpConnection> dirty = new ArrayDeque<>();
    private final ArrayDeque<TcpListener> acceptable = new ArrayDeque<>();
    private final TimerQueue timers = new TimerQueue();
    private final IsnGenerator isn;
    private final EnumCounters<TcpEvent> events = new EnumCounters<>(TcpEvent.class);
    private final EnumCounters<WireCheck> malformed = new EnumCounters<>(WireCheck.class);
    private final TcpPacket rx = new TcpPacket();
    private final TcpOptions options = new TcpOptions();
    private final SegmentWriter writer = new SegmentWriter();
    private final int[] sackLefts = new int[TcpOptions.MAX_SACK_BLOCKS];
    private final int[] sackRights = new int[TcpOptions.MAX_SACK_BLOCKS];
    private final long[] source = new long[2];
    private final RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
    private final Supplier<FlowTap> tap;
    private final Runnable wakeup;
    private final Queue<AbortRequest> aborts = new ConcurrentLinkedQueue<>();
    /** SYNs held for the forwarder, by their connection's 5-tuple, and the answers it gave from its threads. */
    private final FlowTable<TcpConnectRequest> held;
    private final Queue<TcpConnectRequest> answers = new ConcurrentLinkedQueue<>();
    /** Takes the connections the forwarder accepted through the handshake, as a listener does. */
    private final TcpListener forwarded;
    private TcpForwarder forwarder;
    /** Set when the stack stops: new connections are refused while open ones drain. */
    private boolean refusingNew;
    /** The chain's input and what users consume unread: shared, the chain runs on this thread one call at a time. */
    private final ByteBuffer chainInput = ByteBuffer.allocateDirect(65536);
    private final ByteBuffer chainDiscard = ByteBuffer.allocateDirect(65536);
    /** Buffers of closed connections, cleared, for new ones; at most {@link #poolLimit} each. */
    private final ArrayDeque<SendBuffer> freeSendBuffers = new ArrayDeque<>();
    private final ArrayDeque<ReceiveBuffer> freeReceiveBuffers = new ArrayDeque<>();
    private final int poolLimit;

    private record AbortRequest(TcpConnection connection, String reason) {
    }
    private long memoryUsed;
    private long nextId = 1;
    private long now;

    /**
     * @param settings bounds and timings
     * @param clock the stack's clock
     */
    public TcpLayer(TcpSettings settings, Clock clock) {
        this(settings, clock, () -> null, () -> { }, new IsnGenerator());
    }

    /**
     * @param settings bounds and timings
     * @param clock the stack's clock
     * @param tap the customization runtime, read for each new connection; it may supply {@code null} (no runtime:
     *        connections pass unchanged)
     * @param wakeup makes the loop run soon; called from other threads when a connection must be aborted
     */
    public TcpLayer(TcpSettings settings, Clock clock, Supplier<FlowTap> tap, Runnable wakeup) {
        this(settings, clock, tap, wakeup, new IsnGenerator());
    }

    TcpLayer(TcpSettings settings, Clock clock, Supplier<FlowTap> tap, Runnable wakeup, IsnGenerator isn) {
        this.settings = settings;
        this.clock = clock;
        this.tap = tap;
        this.wakeup = wakeup;
        this.isn = isn;
        this.connections = new FlowTable<>(settings.maxConnections());
        this.held = new FlowTable<>(settings.synBacklog());
        this.forwarded = new TcpListener(this, null, 0, 0, true, 0, c -> c.forwardedTo, Integer.MAX_VALUE,
                Integer.MAX_VALUE);
        this.now = clock.nanos();
        this.poolLimit = (int) Math.clamp(POOL_BYTES / Math.max(settings.sendBuffer(), settings.receiveBuffer()), 2,
                256);
    }

    @Override
    public int protocolNumber() {
        return IpProtocol.TCP;
    }

    /** @return the settings */
    public TcpSettings settings() {
        return settings;
    }

    /** @return what TCP counted */
    public EnumCounters<TcpEvent> events() {
        return events;
    }

    /** @return malformed segments, by what was wrong */
    public EnumCounters<WireCheck> malformed() {
        return malformed;
    }

    /** @return connections in the table (every state but LISTEN) */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Refuses every new connection from now on (the stack is stopping): a SYN no connection takes is answered with
     * RST, whoever listens or relays; connections already open go on. Loop thread.
     */
    public void refuseNew() {
        refusingNew = true;
    }

    /** @return connections still carrying data or closing, not counting TIME_WAIT's bookkeeping; loop thread */
    public int openConnections() {
        int[] open = { 0 };
        connections.forEach(c -> {
            if (c.state() != TcpState.TIME_WAIT && c.state() != TcpState.CLOSED) {
                open[0]++;
            }
        });
        return open[0];
    }

    /** @return buffer bytes reserved by connections */
    public long memoryUsed() {
        return memoryUsed;
    }

    /** @return the connections, described for operators; loop thread */
    public List<TcpConnectionStatus> status() {
        List<TcpConnectionStatus> status = new ArrayList<>();
        connections.forEach(c -> status.add(c.status()));
        return status;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Opening
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Listens on one of the stack's own addresses, or all of them.
     *
     * @param network the network layer, or {@code null} for every one
     * @param high the address's high 64 bits (ignored when {@code anyAddress})
     * @param low its low 64 bits
     * @param anyAddress whether to take every own address
     * @param port the port, 1 to 65535
     * @param acceptor decides what serves each connection
     * @return the listener
     * @throws IllegalStateException if another listener has the port on an overlapping address
     */
    public TcpListener listen(NetworkLayer network, long high, long low, boolean anyAddress, int port,
            TcpAcceptor acceptor) {
        return listen(network, high, low, anyAddress, port, acceptor, false);
    }

    /**
     * Listens as {@link #listen(NetworkLayer, long, long, boolean, int, TcpAcceptor)} does, for a program in the
     * stack's runtime (a socket of the API) when {@code applicationInStack}: it is the application of the
     * connections it accepts.
     *
     * @param network the network layer, or {@code null} for every one
     * @param high the address's high 64 bits (ignored when {@code anyAddress})
     * @param low its low 64 bits
     * @param anyAddress whether to take every own address
     * @param port the port, 1 to 65535
     * @param acceptor decides what serves each connection
     * @param applicationInStack whether the acceptor is the connections' application
     * @return the listener
     * @throws IllegalStateException if another listener has the port on an overlapping address
     */
    public TcpListener listen(NetworkLayer network, long high, long low, boolean anyAddress, int port,
            TcpAcceptor acceptor, boolean applicationInStack) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TCP port " + port + " is outside 1..65535");
        }
        for (TcpListener l : listeners) {
            if (l.overlaps(network, high, low, anyAddress, port)) {
                throw new IllegalStateException("TCP port " + port + " is already listened on by " + l
                        + "; close it first or pick another port");
            }
        }
        TcpListener listener = new TcpListener(this, network, high, low, anyAddress, port, acceptor,
                settings.synBacklog(), settings.acceptBacklog());
        listener.applicationInStack = applicationInStack;
        listeners.add(listener);
        return listener;
    }

    void unlisten(TcpListener listener) {
        listeners.remove(listener);
    }

    /**
     * @param forwarder decides about connections no listener takes: to foreign addresses, and to own addresses on
     *        ports without a listener; {@code null} refuses them all
     */
    public void forwarder(TcpForwarder forwarder) {
        this.forwarder = forwarder;
    }

    /**
     * Opens a connection (active open) from the stack's address toward a destination.
     *
     * @param network the network layer to use
     * @param dstHigh the destination's high 64 bits
     * @param dstLow its low 64 bits
     * @param dstPort the destination port
     * @param handler who hears about the connection
     * @return the connection, in SYN_SENT
     * @throws IllegalStateException if no source address, port, table slot or buffer memory is left; the message
     *         says which
     */
    public TcpConnection connect(NetworkLayer network, long dstHigh, long dstLow, int dstPort, TcpHandler handler) {
        return connect(network, 0, dstHigh, dstLow, dstPort, handler);
    }

    /**
     * Opens a connection (active open) from a given local port of the stack's address toward a destination: for
     * protocols that need a fixed source port, and for simultaneous open (RFC 9293 section 3.5), where both ends
     * connect to each other's known port at once.
     *
     * @param network the network layer to use
     * @param localPort the local port, 1 to 65535, or 0 for an ephemeral one
     * @param dstHigh the destination's high 64 bits
     * @param dstLow its low 64 bits
     * @param dstPort the destination port
     * @param handler who hears about the connection
     * @return the connection, in SYN_SENT
     * @throws IllegalArgumentException if {@code localPort} is outside 0..65535
     * @throws IllegalStateException if no source address or buffer memory is left, the table is full, or the local
     *         port already has a connection (in any state, TIME_WAIT too) toward that destination; the message says
     *         which
     */
    public TcpConnection connect(NetworkLayer network, int localPort, long dstHigh, long dstLow, int dstPort,
            TcpHandler handler) {
        return connect(network, localPort, dstHigh, dstLow, dstPort, handler, true);
    }

    /**
     * Opens a connection as {@link #connect(NetworkLayer, int, long, long, int, TcpHandler)} does, optionally
     * without the customization chain: a relay that runs the chain on its own threads takes the connection as it is.
     *
     * @param network the network layer to use
     * @param localPort the local port, 1 to 65535, or 0 for an ephemeral one
     * @param dstHigh the destination's high 64 bits
     * @param dstLow its low 64 bits
     * @param dstPort the destination port
     * @param handler who hears about the connection
     * @param tapped whether the stack puts the customization chain between the connection and its handler
     * @return the connection, in SYN_SENT
     */
    public TcpConnection connect(NetworkLayer network, int localPort, long dstHigh, long dstLow, int dstPort,
            TcpHandler handler, boolean tapped) {
        return open(network, localPort, dstHigh, dstLow, dstPort, handler, tapped, false);
    }

    /**
     * Opens a connection for a program in the stack's runtime (a socket of the API): it is the flow's application,
     * so customizations see what it writes as sent, and it opened the flow.
     *
     * @param network the network layer to use
     * @param dstHigh the destination's high 64 bits
     * @param dstLow its low 64 bits
     * @param dstPort the destination port
     * @param handler the program's side
     * @return the connection, in SYN_SENT
     * @throws IllegalStateException as {@link #connect(NetworkLayer, long, long, int, TcpHandler)}
     */
    public TcpConnection connectFromStack(NetworkLayer network, long dstHigh, long dstLow, int dstPort,
            TcpHandler handler) {
        return open(network, 0, dstHigh, dstLow, dstPort, handler, true, true);
    }

    private TcpConnection open(NetworkLayer network, int localPort, long dstHigh, long dstLow, int dstPort,
            TcpHandler handler, boolean tapped, boolean applicationInStack) {
        if (localPort < 0 || localPort > 65535) {
            throw new IllegalArgumentException("TCP port " + localPort + " is outside 1..65535 (or 0 for any)");
        }
        now = clock.nanos();
        if (!network.sourceFor(dstHigh, dstLow, source)) {
            throw new IllegalStateException("the stack has no " + network.protocol() + " address to connect from");
        }
        long srcHigh = source[0];
        long srcLow = source[1];
        int port = localPort;
        if (port == 0) {
            int span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
            int start = random.nextInt(span);
            for (int k = 0; k < span && port == 0; k++) {
                int candidate = EPHEMERAL_FIRST + (start + k) % span;
                if (connections.get(network.linkProtocol(), srcHigh, srcLow, candidate, dstHigh, dstLow,
                        dstPort) == null) {
                    port = candidate;
                }
            }
            if (port == 0) {
                throw new IllegalStateException("no free local port toward that destination");
            }
        } else {
            TcpConnection existing = connections.get(network.linkProtocol(), srcHigh, srcLow, port, dstHigh, dstLow,
                    dstPort);
            if (existing != null) {
                throw new IllegalStateException("local TCP port " + port + " already has a connection toward that"
                        + " destination: " + existing);
            }
        }
        if (!reserve()) {
            throw new IllegalStateException("TCP buffer memory is used up (" + memoryUsed + " of "
                    + settings.memoryLimit() + " bytes); raise the limit or close connections");
        }
        TcpConnection c = newConnection(network, srcHigh, srcLow, port, dstHigh, dstLow, dstPort);
        c.reserved = bufferBytes(); // before anything can fail, so that release() gives it back
        if (!connections.put(network.linkProtocol(), srcHigh, srcLow, port, dstHigh, dstLow, dstPort, c)) {
            release(c);
            events.increment(TcpEvent.CONNECTION_TABLE_FULL);
            throw new IllegalStateException("the TCP connection table is full (" + connections.maxFlows()
                    + "); raise the limit or close connections");
        }
        c.openActive(handler, newSendBuffer(), newReceiveBuffer(), now);
        c.untapped = !tapped;
        c.applicationInStack = applicationInStack;
        // the application in the namespace accepts this one, unless the application is the stack's own program
        attach(c, handler, applicationInStack ? Initiator.LOCAL : Initiator.REMOTE);
        markDirty(c);
        return c;
    }

    private TcpConnection newConnection(NetworkLayer network, long localHigh, long localLow, int localPort,
            long remoteHigh, long remoteLow, int remotePort) {
        int iss = isn.isn(now, localHigh, localLow, localPort, remoteHigh, remoteLow, remotePort);
        int tsOffset = isn.timestampOffset(localHigh, localLow, remoteHigh, remoteLow);
        return new TcpConnection(this, nextId++, network, localHigh, localLow, localPort, remoteHigh, remoteLow,
                remotePort, iss, tsOffset, now);
    }

    private SendBuffer newSendBuffer() {
        SendBuffer pooled = freeSendBuffers.pollLast();
        return pooled != null ? pooled : new SendBuffer(settings.sendBuffer(), true);
    }

    private ReceiveBuffer newReceiveBuffer() {
        ReceiveBuffer pooled = freeReceiveBuffers.pollLast();
        return pooled != null ? pooled : new ReceiveBuffer(settings.receiveBuffer(), 32, true);
    }

    /** Keeps a closed connection's buffers for the next connections, those it gives back. */
    private void recycle(TcpConnection c) {
        SendBuffer send = c.releaseSendBuffer();
        if (send != null && freeSendBuffers.size() < poolLimit) {
            send.clear();
            freeSendBuffers.add(send);
        }
        ReceiveBuffer receive = c.releaseReceiveBuffer();
        if (receive != null && freeReceiveBuffers.size() < poolLimit) {
            receive.clear();
            freeReceiveBuffers.add(receive);
        }
    }

    private long bufferBytes() {
        return (long) settings.sendBuffer() + settings.receiveBuffer();
    }

    private boolean reserve() {
        if (memoryUsed + bufferBytes() > settings.memoryLimit()) {
            events.increment(TcpEvent.MEMORY_LIMIT);
            return false;
        }
        memoryUsed += bufferBytes();
        return true;
    }

    private void release(TcpConnection c) {
        memoryUsed -= c.reserved;
        c.reserved = 0;
    }

    /**
     * A passive open completed its handshake: reserves its buffers and a place in its listener's queue.
     *
     * @return false if it was refused (reset and gone)
     */
    boolean establishPassive(TcpConnection c) {
        TcpListener listener = c.listener;
        if (c.halfOpen) {
            c.halfOpen = false;
            listener.halfClosed();
        }
        if (listener.acceptQueueFull()) {
            events.increment(TcpEvent.BACKLOG_FULL);
            c.abort("the listener's accept backlog is full");
            return false;
        }
        if (!reserve()) {
            c.abort("TCP buffer memory is used up");
            return false;
        }
        c.reserved = bufferBytes();
        c.attachBuffers(newSendBuffer(), newReceiveBuffer());
        return true;
    }

    /**
     * Gives a connection its user: directly, or through the customization chain when a runtime is there.
     *
     * @param initiator which side opened it, seen from the application on the device's side
     * @return false if the runtime could not open the flow: the connection is reset, its user told
     */
    boolean attach(TcpConnection c, TcpHandler user, Initiator initiator) {
        FlowTap runtime = c.untapped ? null : tap.get();
        if (runtime == null) {
            c.handler(user);
            return true;
        }
        FlowInfo info = flowInfo(c, initiator);
        TappedFlow flow;
        try {
            flow = runtime.open(info, reason -> abortLater(c, reason));
        } catch (RuntimeException e) {
            events.increment(TcpEvent.TAP_FAILED);
            LOG.log(System.Logger.Level.WARNING, "mnet:tcp: the customization runtime could not open " + info
                    + "; the connection is reset", e);
            c.handler(user);
            c.abort("the customization runtime could not open the flow: " + e.getMessage());
            return false;
        }
        TappedStream stream = new TappedStream(c, flow, user, chainInput, chainDiscard);
        c.handler(stream, stream);
        return true;
    }

    /** The application is on the device's side (its address is the remote one), or a program in the stack's runtime. */
    private static FlowInfo flowInfo(TcpConnection c, Initiator initiator) {
        InetSocketAddress remote = new InetSocketAddress(c.network.toInetAddress(c.remoteHigh, c.remoteLow),
                c.remotePort);
        InetSocketAddress local = new InetSocketAddress(c.network.toInetAddress(c.localHigh, c.localLow), c.localPort);
        InetSocketAddress application = c.applicationInStack ? local : remote;
        InetSocketAddress peer = c.applicationInStack ? remote : local;
        return new FlowInfo(Transport.TCP, c.network.protocol(), application, peer, initiator, ProcessOwner.UNKNOWN);
    }

    /**
     * Aborts a connection from any thread (the runtime's watchdog): it is reset at the loop's next turn.
     *
     * @param c the connection
     * @param reason why
     */
    void abortLater(TcpConnection c, String reason) {
        aborts.add(new AbortRequest(c, reason));
        wakeup.run();
    }

    /** A forwarder answered a held SYN (any thread): carried out at the loop's next turn. */
    void answerLater(TcpConnectRequest request) {
        answers.add(request);
        wakeup.run();
    }

    void acceptLater(TcpListener listener) {
        acceptable.add(listener);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Receiving
    // ---------------------------------------------------------------------------------------------------------

    @Override
    public int receive(NetworkLayer layer, long srcHigh, long srcLow, long dstHigh, long dstLow,
            boolean ownDestination, ByteBuffer buffer, int offset, int length, long pseudoHeaderSum) {
        rx.wrap(buffer, offset, length);
        WireCheck check = rx.check();
        if (!check.valid()) {
            malformed.increment(check);
            return DELIVERED;
        }
        if (!rx.verifyChecksum(pseudoHeaderSum)) {
            events.increment(TcpEvent.BAD_CHECKSUM);
            return DELIVERED;
        }
        int srcPort = rx.srcPort();
        int dstPort = rx.dstPort();
        if (srcPort == 0 || dstPort == 0) {
            events.increment(TcpEvent.BAD_PORT);
            return DELIVERED;
        }
        events.increment(TcpEvent.SEGMENTS_RECEIVED);
        now = clock.nanos();
        options.parse(rx);
        TcpConnection c = connections.get(layer.linkProtocol(), dstHigh, dstLow, dstPort, srcHigh, srcLow, srcPort);
        if (c != null && c.state() == TcpState.TIME_WAIT && rx.syn() && !rx.ack() && !rx.rst()
                && c.acceptsNewSyn(rx.seqNumber())) {
            // RFC 9293 section 3.10.7.4: a new SYN above the old connection's sequence numbers reopens the pair.
            c.endTimeWait();
            c = null;
        }
        if (c != null) {
            c.receive(rx, options, now);
            // Output waits for the end of the batch of packets the loop takes from the device (maintain() flushes,
            // as nextDeadline() is due while a connection is marked): the segments of a burst are acknowledged by
            // one ACK, and their reader is told once, as the kernel's GRO does for a batch.
            markDirty(c);
            return DELIVERED;
        }
        if (refusingNew) {
            events.increment(TcpEvent.REFUSED_STOPPING);
            if (!rx.rst()) {
                resetFor(layer, srcHigh, srcLow, dstHigh, dstLow);
            }
            return DELIVERED;
        }
        TcpListener listener = ownDestination ? findListener(layer, dstHigh, dstLow, dstPort) : null;
        if (listener == null && forwarder != null) {
            return forward(layer, srcHigh, srcLow, srcPort, dstHigh, dstLow, dstPort, ownDestination);
        }
        if (!ownDestination) {
            events.increment(TcpEvent.NO_RELAY);
            return rx.rst() ? DELIVERED : HOST_UNREACHABLE;
        }
        if (listener == null || !rx.syn() || rx.ack() || rx.rst()) {
            if (listener == null) {
                events.increment(TcpEvent.NO_LISTENER);
            }
            resetFor(layer, srcHigh, srcLow, dstHigh, dstLow);
            return DELIVERED;
        }
        if (listener.synQueueFull()) {
            events.increment(TcpEvent.SYN_QUEUE_FULL);
            return DELIVERED; // the peer retries its SYN; a reset would refuse it for good
        }
        c = newConnection(layer, dstHigh, dstLow, dstPort, srcHigh, srcLow, srcPort);
        if (!connections.put(layer.linkProtocol(), dstHigh, dstLow, dstPort, srcHigh, srcLow, srcPort, c)) {
            events.increment(TcpEvent.CONNECTION_TABLE_FULL);
            resetFor(layer, srcHigh, srcLow, dstHigh, dstLow);
            return DELIVERED;
        }
        c.listener = listener;
        c.halfOpen = true;
        listener.halfOpened();
        c.openPassive(rx, options, now); // its SYN-ACK goes with the batch's output, as every other segment's
        markDirty(c);
        return DELIVERED;
    }

    /** A segment no connection or listener takes, with a forwarder: a new SYN is held for it, the rest answered. */
    private int forward(NetworkLayer layer, long srcHigh, long srcLow, int srcPort, long dstHigh, long dstLow,
            int dstPort, boolean ownDestination) {
        int network = layer.linkProtocol();
        TcpConnectRequest pending = held.get(network, dstHigh, dstLow, dstPort, srcHigh, srcLow, srcPort);
        if (pending != null) {
            if (rx.rst()) {
                held.remove(network, dstHigh, dstLow, dstPort, srcHigh, srcLow, srcPort);
                events.increment(TcpEvent.RELAY_CANCELLED);
                pending.cancel();
            } else {
                events.increment(TcpEvent.RELAY_SYN_REPEATED); // the relay is still trying: stay silent
            }
            return DELIVERED;
        }
        if (!rx.syn() || rx.ack() || rx.rst()) {
            events.increment(TcpEvent.NO_LISTENER);
            resetFor(layer, srcHigh, srcLow, dstHigh, dstLow);
            return DELIVERED;
        }
        ByteBuffer syn = ByteBuffer.allocate(rx.headerLength());
        syn.put(0, rx.buffer(), rx.offset(), rx.headerLength());
        TcpConnectRequest request = new TcpConnectRequest(this, layer, srcHigh, srcLow, srcPort, dstHigh, dstLow,
                dstPort, ownDestination, syn);
        if (!held.put(network, dstHigh, dstLow, dstPort, srcHigh, srcLow, srcPort, request)) {
            events.increment(TcpEvent.RELAY_QUEUE_FULL);
            return DELIVERED; // the application sends its SYN again
        }
        boolean taken;
        try {
            taken = forwarder.connect(request);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "mnet:tcp: the relay failed on " + request + "; it is refused", e);
            taken = false;
        }
        if (!taken) {
            held.remove(network, dstHigh, dstLow, dstPort, srcHigh, srcLow, srcPort);
            events.increment(TcpEvent.RELAY_REFUSED);
            if (ownDestination) {
                resetFor(layer, srcHigh, srcLow, dstHigh, dstLow);
                return DELIVERED;
            }
            return HOST_UNREACHABLE;
        }
        events.increment(TcpEvent.RELAY_HELD);
        return DELIVERED;
    }

    /** Carries out a forwarder's answer to a held SYN, if the SYN is still held. */
    private void answered(TcpConnectRequest request) {
        int network = request.network.linkProtocol();
        if (held.get(network, request.dstHigh, request.dstLow, request.dstPort, request.appHigh, request.appLow,
                request.appPort) != request) {
            return; // cancelled meanwhile
        }
        held.remove(network, request.dstHigh, request.dstLow, request.dstPort, request.appHigh, request.appLow,
                request.appPort);
        rx.wrap(request.syn, 0, request.syn.capacity());
        switch (request.answer()) {
            case ACCEPT -> acceptHeld(request);
            case REFUSE -> {
                events.increment(TcpEvent.RELAY_REFUSED);
                resetFor(request.network, request.appHigh, request.appLow, request.dstHigh, request.dstLow);
            }
            case UNREACHABLE -> {
                events.increment(TcpEvent.RELAY_REFUSED);
                request.network.unreachable(request.reason, request.appHigh, request.appLow, request.dstHigh,
                        request.dstLow, IpProtocol.TCP, request.syn, 0, request.syn.capacity());
            }
            case NONE -> throw new IllegalStateException("an unanswered request was queued: " + request);
        }
    }

    /** Replays the held SYN as if a listener had taken it; the handshake goes on from SYN-RECEIVED. */
    private void acceptHeld(TcpConnectRequest request) {
        options.parse(rx);
        NetworkLayer layer = request.network;
        TcpConnection c = newConnection(layer, request.dstHigh, request.dstLow, request.dstPort, request.appHigh,
                request.appLow, request.appPort);
        if (!connections.put(layer.linkProtocol(), request.dstHigh, request.dstLow, request.dstPort, request.appHigh,
                request.appLow, request.appPort, c)) {
            events.increment(TcpEvent.CONNECTION_TABLE_FULL);
            resetFor(layer, request.appHigh, request.appLow, request.dstHigh, request.dstLow);
            request.cancel();
            return;
        }
        c.listener = forwarded;
        c.forwardedTo = request.handler;
        c.untapped = true;
        c.halfOpen = true;
        forwarded.halfOpened();
        c.openPassive(rx, options, now);
        c.handler(request.handler); // from now on, so that it hears of a handshake that never completes too
        markDirty(c);
    }

    private TcpListener findListener(NetworkLayer layer, long dstHigh, long dstLow, int dstPort) {
        for (TcpListener l : listeners) {
            if (l.matches(layer, dstHigh, dstLow, dstPort)) {
                return l;
            }
        }
        return null;
    }

    /** Answers the segment in {@link #rx}, which has no connection, with RST (RFC 9293 section 3.10.7.1). */
    private void resetFor(NetworkLayer layer, long srcHigh, long srcLow, long dstHigh, long dstLow) {
        if (rx.rst()) {
            return;
        }
        if (rx.ack()) {
            writer.begin(rx.dstPort(), rx.srcPort(), rx.ackNumber(), 0, TcpPacket.RST, 0);
        } else {
            int segLength = rx.payloadLength() + (rx.syn() ? 1 : 0) + (rx.fin() ? 1 : 0);
            writer.begin(rx.dstPort(), rx.srcPort(), 0, rx.seqNumber() + segLength, TcpPacket.RST | TcpPacket.ACK, 0);
        }
        if (layer.send(dstHigh, dstLow, srcHigh, srcLow, IpProtocol.TCP, writer.length(), writer)) {
            events.increment(TcpEvent.RESETS_SENT);
            events.increment(TcpEvent.SEGMENTS_SENT);
        } else {
            events.increment(TcpEvent.SEND_FAILED);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Timers and output
    // ---------------------------------------------------------------------------------------------------------

    @Override
    public void unreachable(NetworkLayer layer, layer45.mnet.iface.Unreachable why, long srcHigh, long srcLow,
            long dstHigh, long dstLow, ByteBuffer buffer, int offset, int length) {
        int srcPort = buffer.getShort(offset) & 0xFFFF;
        int dstPort = buffer.getShort(offset + 2) & 0xFFFF;
        TcpConnection c = connections.get(layer.linkProtocol(), srcHigh, srcLow, srcPort, dstHigh, dstLow, dstPort);
        if (c == null || c.state() != TcpState.SYN_SENT) {
            events.increment(TcpEvent.UNREACHABLE_IGNORED);
            return;
        }
        events.increment(TcpEvent.UNREACHABLE_CONNECT_FAILED);
        now = clock.nanos();
        c.unreachable(why); // marks it: its handler hears at the end of the batch, as after a segment
    }

    @Override
    public void maintain() {
        now = clock.nanos();
        for (AbortRequest request; (request = aborts.poll()) != null; ) {
            request.connection().abort("aborted by the customization runtime: " + request.reason());
        }
        for (TcpConnectRequest request; (request = answers.poll()) != null; ) {
            answered(request);
        }
        for (int k = 0; k < TIMERS_PER_CALL; k++) {
            TcpConnection c = timers.first();
            if (c == null || timers.nextDeadline() > now) {
                break;
            }
            c.onTimer(now);
            timersChanged(c);
            markDirty(c);
        }
        flush();
    }

    @Override
    public long nextDeadline() {
        return dirty.isEmpty() && acceptable.isEmpty() && aborts.isEmpty() && answers.isEmpty()
                ? timers.nextDeadline()
                : now; // due at once
    }

    /**
     * Sends what marked connections have to send and tells their handlers, until nothing is left to do. Users that
     * write from outside a handler (a task on the loop) call it afterwards, or let the next {@link #maintain} do it.
     */
    public void flush() {
        now = clock.nanos();
        while (true) {
            TcpListener listener = acceptable.poll();
            if (listener != null) {
                listener.acceptWaiting();
                continue;
            }
            TcpConnection c = dirty.poll();
            if (c == null) {
                return;
            }
            c.dirty = false;
            c.transmit(now);
            c.tellHandler();
        }
    }

    void markDirty(TcpConnection c) {
        if (!c.dirty) {
            c.dirty = true;
            dirty.add(c);
        }
    }

    void timersChanged(TcpConnection c) {
        timers.update(c, c.state() == TcpState.CLOSED ? TcpConnection.NEVER : c.deadline());
    }

    long now() {
        return now;
    }

    SegmentWriter writer() {
        return writer;
    }

    int[] sackLefts() {
        return sackLefts;
    }

    int[] sackRights() {
        return sackRights;
    }

    /**
     * A connection gives up its buffers before closing (in TIME_WAIT, everything read): their memory is back in the
     * budget, and they are kept for the next connections.
     */
    void releaseBuffers(TcpConnection c) {
        release(c);
        recycle(c);
    }

    /** @return connections with a timer running (tests check that none is left behind) */
    int timerCount() {
        return timers.size();
    }

    /** Sends a segment the connection set up in {@link #writer()}. */
    boolean send(TcpConnection c, SegmentWriter w) {
        if (c.network.send(c.localHigh, c.localLow, c.remoteHigh, c.remoteLow, IpProtocol.TCP, w.length(), w)) {
            events.increment(TcpEvent.SEGMENTS_SENT);
            return true;
        }
        events.increment(TcpEvent.SEND_FAILED);
        return false;
    }

    /** Sends RST|ACK from a connection that is being aborted. */
    void sendReset(TcpConnection c, int seq) {
        writer.begin(c.localPort, c.remotePort, seq, c.receiveNext(), TcpPacket.RST | TcpPacket.ACK, 0);
        if (send(c, writer)) {
            events.increment(TcpEvent.RESETS_SENT);
        }
    }

    /** Sends a bare RST with a sequence number (an unacceptable ACK during the handshake). */
    void sendBareReset(TcpConnection c, int seq) {
        writer.begin(c.localPort, c.remotePort, seq, 0, TcpPacket.RST, 0);
        if (send(c, writer)) {
            events.increment(TcpEvent.RESETS_SENT);
        }
    }

    /** The connection reached CLOSED: out of the table and the timers, its memory back; its handler is told. */
    void closed(TcpConnection c) {
        connections.remove(c.network.linkProtocol(), c.localHigh, c.localLow, c.localPort, c.remoteHigh, c.remoteLow,
                c.remotePort);
        timers.remove(c);
        release(c);
        recycle(c);
        if (c.halfOpen) {
            c.halfOpen = false;
            c.listener.halfClosed();
        }
        markDirty(c);
    }

    void count(TcpEvent event) {
        events.increment(event);
    }

    void add(TcpEvent event, long delta) {
        events.add(event, delta);
    }

    /**
     * Aborts the connections over one network layer: a plugged-in protocol was unplugged, and they cannot go on.
     *
     * @param network the layer
     * @return how many connections were aborted
     */
    public int abortOver(NetworkLayer network) {
        List<TcpConnection> over = new ArrayList<>();
        connections.forEach(c -> {
            if (c.network == network) {
                over.add(c);
            }
        });
        for (TcpConnection c : over) {
            c.abort("its network protocol " + network.protocol() + " was unplugged");
        }
        flush();
        return over.size();
    }

    /** Aborts every connection and stops every listener (the stack is stopping). */
    public void closeAll() {
        List<TcpConnection> all = new ArrayList<>();
        connections.forEach(all::add);
        for (TcpConnection c : all) {
            c.abort("the network stack stopped");
        }
        new ArrayList<>(listeners).forEach(TcpListener::close);
        held.removeIf(request -> true, TcpConnectRequest::cancel);
        flush();
        if (!all.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "TCP: {0} connections reset at stop", all.size());
        }
    }
}
