package layer45.mnet.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.ProcessOwner;
import layer45.api.Transport;
import layer45.api.spi.Direction;
import layer45.api.spi.FlowTap;
import layer45.api.spi.TappedFlow;
import layer45.mnet.iface.Unreachable;
import layer45.mnet.socket.udp.UdpFlow;
import layer45.mnet.socket.udp.UdpPeer;

/**
 * One UDP flow relayed between a program in the namespace and the host: to a destination through a connected host
 * socket of its own (outbound), or from a client of a forwarded host port (inbound, {@link UdpPortForward}).
 *
 * <p>The loop only queues datagrams. Two virtual threads run the customization chain, one per direction: "up" takes
 * the program's datagrams from their queue, customizes and sends them to the host; "down" receives from the host,
 * customizes, and queues the result for the loop to send to the program. Each datagram stays one datagram, however
 * the chain delivers it. A full queue drops the datagram and counts it, as a socket buffer would.
 */
final class RelayedUdp implements UdpPeer {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    private static final int MAX_DATAGRAM = 65535;
    /** Datagrams waiting per direction; UDP has no flow control, so a burst beyond it is dropped (and counted). */
    private static final int QUEUE = 64;
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final HostRelay relay;
    private final HostDatagrams host;
    private final boolean outbound;
    private final BlockingQueue<ByteBuffer> toHost = new ArrayBlockingQueue<>(QUEUE);
    private final BlockingQueue<ByteBuffer> toHostFree = new ArrayBlockingQueue<>(QUEUE);
    private final ConcurrentLinkedQueue<ByteBuffer> toApplication = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<ByteBuffer> toApplicationFree = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicBoolean loopScheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable loopTask = this::onLoop;
    private volatile UdpFlow flow;
    private volatile TappedFlow tapped;
    /** An ICMP error the host reported, for the loop to pass on to the program; {@code null} for none. */
    private volatile Unreachable unreachable;
    private int toHostAllocated;

    /**
     * @param relay the relay
     * @param host the host's side of the flow
     * @param outbound whether the program sent first (else a client of a forwarded port did)
     */
    RelayedUdp(HostRelay relay, HostDatagrams host, boolean outbound) {
        this.relay = relay;
        this.host = host;
        this.outbound = outbound;
    }

    /**
     * Starts relaying once the stack opened the flow (loop thread): the chain opens on a relay thread, before the
     * first datagram goes through it.
     *
     * @param opened the stack's flow
     */
    void start(UdpFlow opened) {
        this.flow = opened;
        relay.count(outbound ? RelayEvent.UDP_FLOWS : RelayEvent.UDP_FORWARDS);
        Thread.ofVirtual().name("layer45-relay-udp " + opened.deviceEndpoint()).start(this::runUp);
    }

    @Override
    public boolean customizes() {
        return true;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Loop side
    // -------------------------------------------------------------------------------------------------------------

    @Override
    public void datagram(UdpFlow from, ByteBuffer payload) {
        if (closed.get()) {
            return;
        }
        ByteBuffer copy = toHostFree.poll();
        if (copy == null) {
            if (toHostAllocated == QUEUE) {
                relay.count(RelayEvent.UDP_QUEUE_FULL);
                return;
            }
            toHostAllocated++;
            copy = ByteBuffer.allocate(MAX_DATAGRAM);
        }
        int length = payload.remaining();
        copy.clear().put(0, payload, payload.position(), length).limit(length);
        if (!toHost.offer(copy)) {
            toHostFree.offer(copy);
            relay.count(RelayEvent.UDP_QUEUE_FULL);
        }
    }

    @Override
    public void closed(UdpFlow from, String reason) {
        end();
    }

    private void onLoop() {
        loopScheduled.set(false);
        UdpFlow f = flow;
        Unreachable error = unreachable;
        if (error != null) {
            unreachable = null;
            relay.count(error == Unreachable.PORT ? RelayEvent.UDP_PORT_UNREACHABLE : RelayEvent.UDP_UNREACHABLE);
            f.unreachable(error);
        }
        for (ByteBuffer datagram; (datagram = toApplication.poll()) != null; ) {
            f.send(datagram);
            toApplicationFree.offer(datagram);
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

    /** Opens the chain and the host side, then customizes and sends the program's datagrams to the host. */
    private void runUp() {
        UdpFlow f = flow;
        if (!openFlow(f)) {
            f.abort("the customization runtime would not open the flow");
            return;
        }
        try {
            host.open();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "mnet:relay: " + this + ": " + e);
            f.abort("the host socket could not be opened: " + e.getMessage());
            closeTapped();
            return;
        }
        Thread.ofVirtual().name("layer45-relay-udp-down " + f.deviceEndpoint()).start(this::runDown);
        ChainStage stage = new ChainStage(tapped, Direction.SEND, 2048);
        ByteBuffer gather = ByteBuffer.allocate(MAX_DATAGRAM);
        ByteBuffer[] one = new ByteBuffer[1];
        try {
            while (true) {
                ByteBuffer datagram = toHost.take();
                if (datagram == END) {
                    return;
                }
                int length = datagram.remaining();
                one[0] = datagram;
                ByteBuffer out = customized(stage, stage.process(one, 1), gather);
                if (out != null) {
                    try {
                        host.send(out);
                        relay.add(RelayEvent.BYTES_OUT, length);
                    } catch (IOException e) {
                        hostReported(e);
                    }
                }
                toHostFree.offer(datagram);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failed(f, e);
        }
    }

    /** Receives from the host, customizes, and queues for the loop to send to the program. */
    private void runDown() {
        UdpFlow f = flow;
        ChainStage stage = new ChainStage(tapped, Direction.RECV, 2048);
        ByteBuffer in = ByteBuffer.allocate(MAX_DATAGRAM);
        ByteBuffer gather = ByteBuffer.allocate(MAX_DATAGRAM);
        ByteBuffer[] one = {in};
        try {
            while (!closed.get()) {
                in.clear();
                try {
                    if (!host.receive(in)) {
                        return;
                    }
                } catch (IOException e) {
                    hostReported(e);
                    continue;
                }
                in.flip();
                relay.add(RelayEvent.BYTES_IN, in.remaining());
                ByteBuffer out = customized(stage, stage.process(one, 1), gather);
                if (out == null) {
                    continue;
                }
                ByteBuffer copy = toApplicationFree.poll();
                if (copy == null) {
                    if (toApplication.size() >= QUEUE) {
                        relay.count(RelayEvent.UDP_QUEUE_FULL);
                        continue;
                    }
                    copy = ByteBuffer.allocate(MAX_DATAGRAM);
                }
                int length = out.remaining();
                copy.clear().put(0, out, out.position(), length).limit(length);
                toApplication.add(copy);
                scheduleLoop();
            }
        } catch (IOException | RuntimeException e) {
            failed(f, e);
        } finally {
            closeTapped();
        }
    }

    /** A relay thread ended on a failure: the flow is aborted with why, unless it was closing anyway. */
    private void failed(UdpFlow f, Exception e) {
        switch (e) {
            case AbortedByChain chain -> f.abort(chain.getMessage());
            case IOException io -> {
                if (!closed.get()) {
                    f.abort("the host socket failed: " + io.getMessage());
                }
            }
            default -> {
                LOG.log(System.Logger.Level.WARNING, "mnet:relay: " + this + " failed", e);
                f.abort("the relay failed: " + e);
            }
        }
    }

    /**
     * Passes an ICMP error the host socket reported on to the program, at the loop's next turn.
     *
     * @throws IOException {@code e} itself, when it is no such error: the socket failed
     */
    private void hostReported(IOException e) throws IOException {
        if (!HostErrors.datagramUnreachable(e) || closed.get()) {
            throw e;
        }
        unreachable = e instanceof PortUnreachableException ? Unreachable.PORT : Unreachable.HOST;
        scheduleLoop();
    }

    /** @return the one datagram to send for a chunk's result, or {@code null} for none */
    private static ByteBuffer customized(ChainStage stage, ChainStage.Result result, ByteBuffer gather) {
        switch (result) {
            case ABORT -> throw new AbortedByChain("aborted by its customization: " + stage.abortReason());
            case NOTHING -> {
                return null;
            }
            default -> {
                if (stage.outputCount() == 1) {
                    return stage.output()[0]; // the datagram or the stage's own buffer: ours to move
                }
                gather.clear();
                for (int i = 0; i < stage.outputCount(); i++) {
                    ByteBuffer part = stage.output()[i];
                    if (part.remaining() > gather.remaining()) {
                        return null; // larger than a datagram can be
                    }
                    gather.put(part);
                }
                return gather.flip();
            }
        }
    }

    private boolean openFlow(UdpFlow f) {
        FlowTap runtime = relay.tap();
        if (runtime == null) {
            return true;
        }
        InetSocketAddress application = f.deviceEndpoint();
        InetSocketAddress peer = f.stackEndpoint();
        ProcessOwner owner = relay.owner(Transport.UDP, application, peer);
        FlowInfo info = new FlowInfo(Transport.UDP, relay.networkOf(application), application, peer,
                outbound ? Initiator.LOCAL : Initiator.REMOTE, owner);
        try {
            tapped = runtime.open(info, f::abort);
            f.runtimeId(tapped.id());
            return true;
        } catch (RuntimeException e) {
            relay.count(RelayEvent.TAP_FAILED);
            LOG.log(System.Logger.Level.WARNING, "mnet:relay: the customization runtime could not open " + info
                    + "; the flow is refused", e);
            return false;
        }
    }

    /** The stack closed the flow (idle, aborted, stopping): the relay threads end and the host side closes. */
    private void end() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        toHost.clear();
        toHost.offer(END);
        host.close();
        relay.ended(this);
    }

    private void closeTapped() {
        TappedFlow t = tapped;
        if (t != null) {
            t.close();
        }
    }

    @Override
    public String toString() {
        UdpFlow f = flow;
        return "relayed udp " + (f == null ? "(opening)" : f.deviceEndpoint() + (outbound ? " -> " : " <- ")
                + f.stackEndpoint());
    }

    /** A customization aborted the flow. */
    private static final class AbortedByChain extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AbortedByChain(String message) {
            super(message, null, false, false);
        }
    }
}
