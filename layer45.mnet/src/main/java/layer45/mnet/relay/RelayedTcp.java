package layer45.mnet.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.ProcessOwner;
import layer45.api.Transport;
import layer45.api.spi.Direction;
import layer45.api.spi.FlowTap;
import layer45.api.spi.TappedFlow;
import layer45.mnet.socket.ByteRing;
import layer45.mnet.socket.tcp.StreamRings;
import layer45.mnet.socket.tcp.TcpConnection;
import layer45.mnet.socket.tcp.TcpHandler;
import layer45.mnet.socket.tcp.TcpStream;

/**
 * One TCP connection relayed between a program in the namespace (its connection in the stack) and a host socket.
 *
 * <p>Three threads share it. The stack's loop moves bytes between the connection and two {@link ByteRing}s, one per
 * direction. Two virtual threads, one per direction, run the customization chain ({@link ChainStage}) and the host
 * socket's blocking I/O: "up" takes what the program sent from its ring, customizes it and writes it to the host;
 * "down" reads the host, customizes and fills the other ring. Flow control holds end to end: a full ring stops the
 * loop from reading the connection, so the program's window closes; a slow program stops "down" from reading the
 * host, so the host's window closes.
 *
 * <p>Whatever ends first ends the rest: a FIN passes on as a FIN after the last byte; a reset on either side, a
 * customization's abort, or the runtime's resets both sides.
 */
final class RelayedTcp implements TcpHandler {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    /** What a host read takes while the host sends little: a flow that waits on its host holds no more than this. */
    private static final int SMALL_READ = 2048;
    /** The chain's staging buffer starts small; it grows when a module copies more. */
    private static final int STAGING_FIRST = 1024;

    private final HostRelay relay;
    private final boolean outbound;
    private final InetSocketAddress application;
    /** What the program sees at the other end: the destination it connected to, or the stack's end of a forward. */
    private volatile InetSocketAddress peer;
    private final ByteRing up;
    private final ByteRing down;
    private final AtomicBoolean loopScheduled = new AtomicBoolean();
    private final AtomicBoolean aborted = new AtomicBoolean();
    /**
     * The parts still running: the connection, and each relay thread from just before it starts. The last to end
     * closes the runtime's flow and the host socket.
     */
    private final AtomicInteger parts = new AtomicInteger(1);
    private final Runnable loopTask = this::onLoop;
    /** The host side: set as soon as it exists (while connecting, too), so that an abort closes it. */
    private volatile HostStream host;
    private volatile TappedFlow flow;
    private volatile TcpStream stream;
    private volatile String abortReason = "";
    /** Whether the held SYN was answered with accept: the relay threads run. */
    private volatile boolean accepted;
    /** Set by the loop when the up ring was full while the connection had more to read. */
    private final AtomicBoolean upBlocked = new AtomicBoolean();
    /** Set by the loop when it emptied the down ring and waits for more. */
    private final AtomicBoolean downWaiting = new AtomicBoolean(true);
    // loop thread only
    private boolean outputShut;
    private boolean connectionEnded;
    /** Loop thread: the program's connection closed on both sides, and its last bytes may still wait in it. */
    private boolean endedCleanly;

    /**
     * @param relay the relay
     * @param outbound whether the program opened the connection (else a host client did, through a port forward)
     * @param application the program's address and port in the namespace
     * @param peer the address and port the program sees at the other end
     * @param host the host side, for an inbound connection already accepted; {@code null} for an outbound one
     */
    RelayedTcp(HostRelay relay, boolean outbound, InetSocketAddress application, InetSocketAddress peer,
            HostStream host) {
        this.relay = relay;
        this.outbound = outbound;
        this.application = application;
        this.peer = peer;
        this.host = host;
        this.up = new ByteRing(relay.settings().ringBytes(), relay.ringPages());
        this.down = new ByteRing(relay.settings().ringBytes(), relay.ringPages());
    }

    // -------------------------------------------------------------------------------------------------------------
    // Opening
    // -------------------------------------------------------------------------------------------------------------

    /**
     * Outbound, on a relay thread: finds the owner, opens the runtime's flow, connects the host socket, and answers
     * the program's held SYN as the host answered; then relays.
     */
    void connectOutbound(layer45.mnet.socket.tcp.TcpConnectRequest request, HostConnector connector) {
        start("layer45-relay-down ", () -> connect(request, connector));
    }

    private void connect(layer45.mnet.socket.tcp.TcpConnectRequest request, HostConnector connector) {
        if (!openFlow()) {
            request.refuse();
            gaveUp();
            return;
        }
        try {
            connector.connect(opened -> {
                host = opened;
                return !aborted.get();
            });
        } catch (IOException e) {
            if (!request.cancelled()) {
                HostErrors.answer(request, e, relay);
                LOG.log(System.Logger.Level.DEBUG, "mnet:relay: " + this + " -> " + connector + ": " + e);
            }
            gaveUp();
            return;
        }
        accepted = true;
        request.accept(this);
        if (request.cancelled()) {
            gaveUp(); // the relay threads never start
            return;
        }
        relay.count(RelayEvent.TCP_CONNECTS);
        start("layer45-relay-up ", this::runUp);
        runDown();
    }

    /** Ends a flow whose host connection never came: no connection exists, and no other thread runs. */
    private void gaveUp() {
        parts.set(1);
        finishPart();
    }

    /** Inbound, on a relay thread once the program accepted: finds the owner, opens the flow, and relays. */
    private void startInbound() {
        if (!openFlow()) {
            abort("the customization runtime would not open the flow");
            finishPart();
            return;
        }
        start("layer45-relay-up ", this::runUp);
        runDown();
    }

    /** @return whether the flow may go on: the runtime opened it, or there is no runtime */
    private boolean openFlow() {
        FlowTap runtime = relay.tap();
        if (runtime == null) {
            return true;
        }
        ProcessOwner owner = relay.owner(Transport.TCP, application, peer);
        FlowInfo info = new FlowInfo(Transport.TCP, relay.networkOf(application), application, peer,
                outbound ? Initiator.LOCAL : Initiator.REMOTE, owner);
        try {
            flow = runtime.open(info, this::abort);
        } catch (RuntimeException e) {
            relay.count(RelayEvent.TAP_FAILED);
            LOG.log(System.Logger.Level.WARNING, "mnet:relay: the customization runtime could not open " + info
                    + "; the connection is refused", e);
            return false;
        }
        TcpStream s = stream;
        if (s instanceof TcpConnection connection) {
            connection.runtimeFlowId(flow.id());
        }
        return true;
    }

    /**
     * The program gave up before its held SYN was answered (it reset its attempt, or the stack stopped): no
     * connection will exist. Loop thread, or the thread that asked to hear of it.
     */
    void cancelled() {
        abort("the application gave up connecting");
        if (accepted) {
            // the relay threads run (or ran) and end on the abort; the connection part never comes
            finishPart();
        }
    }

    /** Starts a relay thread, counted as a part from now on; the task ends its part (runUp, runDown). */
    private void start(String name, Runnable task) {
        parts.incrementAndGet();
        Thread.ofVirtual().name(name + application).start(task);
    }

    /**
     * The stack could not open the connection to the program (an inbound forward): the host client is reset.
     *
     * @param reason why
     */
    void notOpened(String reason) {
        abort(reason);
        finishPart();
    }

    // -------------------------------------------------------------------------------------------------------------
    // Loop side
    // -------------------------------------------------------------------------------------------------------------

    @Override
    public void opened(TcpStream opened) {
        stream = opened;
        TappedFlow f = flow;
        if (f != null && opened instanceof TcpConnection connection) {
            connection.runtimeFlowId(f.id());
        }
        if (!outbound) {
            if (opened instanceof TcpConnection connection) {
                peer = connection.stackEndpoint(); // the server in the namespace sees the stack's address and port
            }
            start("layer45-relay-down ", this::startInbound);
        }
        onLoop();
    }

    @Override
    public void readable(TcpStream s) {
        pullUp(s);
    }

    @Override
    public void writable(TcpStream s) {
        pushDown(s);
    }

    @Override
    public void closed(TcpStream s, String reason) {
        if (connectionEnded) {
            return;
        }
        connectionEnded = true;
        if (!"closed".equals(reason)) {
            if (!outbound && stream == null) {
                relay.count(RelayEvent.TCP_FORWARDS_REFUSED);
            }
            abort("the application's connection ended: " + reason);
        } else {
            endedCleanly = true;
            StreamRings.fillToEnd(s, up, upBlocked); // a slow host may have left the program's last bytes in TCP
        }
        finishPart();
    }

    private void onLoop() {
        loopScheduled.set(false);
        TcpStream s = stream;
        if (s == null) {
            return;
        }
        if (connectionEnded) {
            if (endedCleanly && !up.finished() && !aborted.get()) {
                StreamRings.fillToEnd(s, up, upBlocked); // the up thread freed room for the program's last bytes
            }
            return;
        }
        if (aborted.get()) {
            connectionEnded = true;
            s.abort(abortReason);
            finishPart();
            return;
        }
        pushDown(s);
        pullUp(s);
    }

    /** Moves what the program sent from the connection into the up ring, as far as it has room. */
    private void pullUp(TcpStream s) {
        StreamRings.fill(s, up, upBlocked);
    }

    /** Moves what the host sent from the down ring into the connection, as far as its send buffer has room. */
    private void pushDown(TcpStream s) {
        if (StreamRings.drain(down, s, downWaiting) && !outputShut) {
            outputShut = true;
            s.shutdownOutput();
        }
    }

    private void scheduleLoop() {
        if (loopScheduled.compareAndSet(false, true)) {
            relay.loop().execute(loopTask);
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Relay threads
    // -------------------------------------------------------------------------------------------------------------

    /** Program to host: customize what the up ring holds and write it to the host socket. */
    private void runUp() {
        ChainStage stage = new ChainStage(flow, Direction.SEND, STAGING_FIRST);
        try {
            while (!aborted.get()) {
                int views = up.peekOrEnd();
                if (views == ByteRing.END) {
                    if (deliver(stage, stage.endOfStream())) {
                        host.shutdownOutput();
                    }
                    return;
                }
                if (views == 0) {
                    up.awaitReadable();
                    continue;
                }
                int taken = 0;
                for (int i = 0; i < views; i++) {
                    taken += up.views()[i].remaining();
                }
                if (!deliver(stage, stage.process(up.views(), views))) {
                    return;
                }
                up.consume(taken);
                relay.add(RelayEvent.BYTES_OUT, taken);
                if (upBlocked.compareAndSet(true, false)) {
                    scheduleLoop();
                }
            }
        } catch (IOException e) {
            abort("the host connection failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "mnet:relay: " + this + " failed", e);
            abort("the relay failed: " + e);
        } finally {
            finishPart();
        }
    }

    /** Writes a chunk's output to the host; @return false if the flow is aborted */
    private boolean deliver(ChainStage stage, ChainStage.Result result) throws IOException {
        if (result == ChainStage.Result.ABORT) {
            abort("aborted by its customization: " + stage.abortReason());
            return false;
        }
        HostStream h = host;
        for (int i = 0; i < stage.outputCount(); i++) {
            h.write(stage.output()[i]); // the ring's view or the stage's own buffer: ours to move
        }
        return !aborted.get();
    }

    /** Host to program: read the host socket, customize, and fill the down ring. */
    private void runDown() {
        ChainStage stage = new ChainStage(flow, Direction.RECV, STAGING_FIRST);
        HostReadBuffer in = new HostReadBuffer(SMALL_READ, relay.ringPages());
        ByteBuffer[] input = new ByteBuffer[1];
        try {
            HostStream h = host;
            while (!aborted.get()) {
                input[0] = in.next();
                int n = h.read(input[0]);
                in.read(n);
                if (n < 0) {
                    if (fill(stage, stage.endOfStream())) {
                        down.finish();
                        wakeLoopForDown();
                    }
                    return;
                }
                input[0].flip();
                relay.add(RelayEvent.BYTES_IN, n);
                if (!fill(stage, stage.process(input, 1))) {
                    return;
                }
            }
        } catch (IOException e) {
            if (!aborted.get()) {
                abort("the host connection was reset or failed: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "mnet:relay: " + this + " failed", e);
            abort("the relay failed: " + e);
        } finally {
            in.close();
            finishPart();
        }
    }

    /** Puts a chunk's output into the down ring, waiting for room; @return false if the flow is aborted */
    private boolean fill(ChainStage stage, ChainStage.Result result) {
        if (result == ChainStage.Result.ABORT) {
            abort("aborted by its customization: " + stage.abortReason());
            return false;
        }
        for (int i = 0; i < stage.outputCount(); i++) {
            ByteBuffer out = stage.output()[i]; // the read buffer or the stage's own: ours to move
            while (out.hasRemaining()) {
                if (aborted.get()) {
                    return false;
                }
                if (down.write(out) == 0) {
                    down.awaitWritable(out.remaining());
                } else {
                    wakeLoopForDown();
                }
            }
        }
        return !aborted.get();
    }

    private void wakeLoopForDown() {
        if (downWaiting.compareAndSet(true, false)) {
            scheduleLoop();
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Ending
    // -------------------------------------------------------------------------------------------------------------

    /**
     * Resets both sides, from any thread: the host socket with a RST, the program's connection at the loop's next
     * turn.
     *
     * @param reason why, for logs
     */
    void abort(String reason) {
        if (!aborted.compareAndSet(false, true)) {
            return;
        }
        abortReason = reason;
        relay.count(RelayEvent.TCP_ABORTS);
        LOG.log(System.Logger.Level.DEBUG, "mnet:relay: " + this + " aborted: " + reason);
        HostStream h = host;
        if (h != null) {
            h.reset(); // with RST, as the program's side ends
        }
        up.wakeAll();
        down.wakeAll();
        scheduleLoop();
    }

    /** One of the three parts ended; the last closes the runtime's flow and the host socket. */
    private void finishPart() {
        if (parts.decrementAndGet() == 0) {
            up.close(); // every part ended: nobody uses the rings any more
            down.close();
            closeQuietly();
            closeFlow();
            relay.ended(this);
        }
    }

    private void closeFlow() {
        TappedFlow f = flow;
        if (f != null) {
            try {
                f.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "mnet:relay: the customization runtime failed to close " + this,
                        e);
            }
        }
    }

    private void closeQuietly() {
        HostStream h = host;
        if (h != null) {
            h.close();
        }
    }

    @Override
    public String toString() {
        return "relayed tcp " + application + (outbound ? " -> " : " <- ") + peer;
    }
}
