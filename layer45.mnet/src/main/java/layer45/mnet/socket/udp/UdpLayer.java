package layer45.mnet.socket.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.ProcessOwner;
import layer45.api.Transport;
import layer45.api.spi.ChunkResult;
import layer45.api.spi.ChunkSink;
import layer45.api.spi.Direction;
import layer45.api.spi.FlowTap;
import layer45.mnet.UdpFlowStatus;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.iface.TransportWriter;
import layer45.mnet.socket.FlowTable;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpAddress;
import layer45.mnet.wire.IpEndpoint;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.UdpPacket;
import layer45.mnet.wire.WireCheck;

/**
 * UDP (RFC 768) in the stack: checks datagrams, finds their flow by 5-tuple, opens flows for new ones (to a bound
 * {@link UdpSocket} on an own address, or through the {@link UdpForwarder} for foreign addresses), passes every
 * datagram through the customization runtime ({@link FlowTap}) in its direction, and closes idle flows.
 *
 * <p>A flow the runtime cannot open is refused (fail closed: a customization that encrypts must never be skipped by
 * accident). A datagram a customization rewrites is sent as one datagram, however many pieces the runtime delivers.
 *
 * <p>Loop thread only, except {@link #abortLater(UdpFlow)}; nothing is allocated per datagram.
 */
public final class UdpLayer implements layer45.mnet.iface.Transport {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    /** The largest UDP payload over IPv6 without jumbograms; IPv4's network layer refuses what it cannot carry. */
    private static final int MAX_PAYLOAD = 65535 - UdpPacket.HEADER_LENGTH;
    private static final int EPHEMERAL_FIRST = 32768;
    private static final int EPHEMERAL_LAST = 60999;

    private final Clock clock;
    private final Supplier<FlowTap> tap;
    private final Runnable wakeup;
    private final long idleNanos;
    private final long sweepNanos;
    private final FlowTable<UdpFlow> flows;
    private final List<UdpSocket> sockets = new ArrayList<>();
    private final Queue<UdpFlow> aborts = new ConcurrentLinkedQueue<>();
    private final EnumCounters<WireCheck> malformed = new EnumCounters<>(WireCheck.class);
    private final EnumCounters<UdpEvent> events = new EnumCounters<>(UdpEvent.class);
    private final UdpPacket rx = new UdpPacket();
    private final Gather fromDevice = new Gather();
    private final Gather fromStack = new Gather();
    private final DatagramWriter writer = new DatagramWriter();
    private final long[] source = new long[2];
    /** The header of a datagram an ICMP error quotes ({@link #unreachable}). */
    private final ByteBuffer quoted = ByteBuffer.allocate(UdpPacket.HEADER_LENGTH);
    private final UdpPacket quotedHeader = new UdpPacket();
    private UdpForwarder forwarder;
    /** Set when the stack stops: new flows are refused while open ones drain. */
    private boolean refusingNew;
    private long nextSweep;

    /**
     * @param settings bounds
     * @param clock the stack's clock
     * @param tap the customization runtime, read for each new flow; it may supply {@code null} (no runtime: flows
     *        pass unchanged)
     * @param wakeup makes the loop run soon; called from other threads when a flow must be aborted
     */
    public UdpLayer(UdpSettings settings, Clock clock, Supplier<FlowTap> tap, Runnable wakeup) {
        this.clock = clock;
        this.tap = tap;
        this.wakeup = wakeup;
        this.idleNanos = settings.idleTimeout().toNanos();
        this.sweepNanos = Math.min(TimeUnit.SECONDS.toNanos(1), Math.max(idleNanos / 4, 1));
        this.flows = new FlowTable<>(settings.maxFlows());
        this.nextSweep = clock.nanos() + sweepNanos;
    }

    @Override
    public int protocolNumber() {
        return IpProtocol.UDP;
    }

    /**
     * Binds a socket on one of the stack's own addresses, or all of them.
     *
     * @param network the network layer, or {@code null} for every one
     * @param high the address's high 64 bits (ignored when {@code anyAddress})
     * @param low its low 64 bits
     * @param anyAddress whether to take every own address
     * @param port the port, 1 to 65535
     * @param receiver takes the datagrams
     * @return the socket
     * @throws IllegalStateException if another socket has the port on an overlapping address
     */
    public UdpSocket bind(NetworkLayer network, long high, long low, boolean anyAddress, int port,
            UdpReceiver receiver) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("UDP port " + port + " is outside 1..65535");
        }
        for (UdpSocket socket : sockets) {
            boolean sameNetwork = socket.network() == null || network == null || socket.network() == network;
            boolean sameAddress = socket.anyAddress() || anyAddress
                    || socket.addressHigh() == high && socket.addressLow() == low;
            if (socket.port() == port && sameNetwork && sameAddress) {
                throw new IllegalStateException("UDP port " + port + " is already bound in the stack by " + socket
                        + "; close it first or pick another port");
            }
        }
        UdpSocket socket = new UdpSocket(this, network, high, low, anyAddress, port, receiver);
        sockets.add(socket);
        return socket;
    }

    /**
     * Binds a socket on every own address and a free port of the dynamic range (RFC 6335), tried at random a
     * bounded number of times: for a client of the stack's own (a probe, a relayed flow's path).
     *
     * @param receiver takes the datagrams
     * @return the socket
     * @throws IllegalStateException if no free port was found
     */
    public UdpSocket bindEphemeral(UdpReceiver receiver) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 32; attempt++) {
            try {
                return bind(null, 0, 0, true, java.util.concurrent.ThreadLocalRandom.current().nextInt(49152, 65536),
                        receiver);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    /** @param forwarder decides about flows to foreign addresses; {@code null} refuses them all */
    public void forwarder(UdpForwarder forwarder) {
        this.forwarder = forwarder;
    }

    @Override
    public int receive(NetworkLayer layer, long srcHigh, long srcLow, long dstHigh, long dstLow,
            boolean ownDestination, ByteBuffer buffer, int offset, int length, long pseudoHeaderSum) {
        rx.wrap(buffer, offset, length);
        WireCheck check = rx.check();
        if (!check.valid()) {
            malformed.increment(check);
            return DELIVERED;
        }
        if (rx.checksumOmitted()) {
            if (layer.protocol() == layer45.api.NetworkProtocol.IPV6) {
                events.increment(UdpEvent.ZERO_CHECKSUM_IPV6);
                return DELIVERED;
            }
        } else if (!rx.verifyChecksum(rx.udpLength() == length ? pseudoHeaderSum
                : layer.pseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, IpProtocol.UDP, rx.udpLength()))) {
            // The checksum covers the datagram as its length field says, without bytes that trail it in the IP
            // payload (RFC 768): the network layer's sum was for the whole payload.
            events.increment(UdpEvent.BAD_CHECKSUM);
            return DELIVERED;
        }
        int srcPort = rx.srcPort();
        int dstPort = rx.dstPort();
        if (dstPort == 0) {
            events.increment(UdpEvent.BAD_PORT);
            return DELIVERED;
        }
        UdpFlow flow = flows.get(layer.linkProtocol(), srcHigh, srcLow, srcPort, dstHigh, dstLow, dstPort);
        if (flow == null) {
            if (refusingNew) {
                events.increment(UdpEvent.REFUSED_STOPPING);
                return ownDestination ? PORT_UNREACHABLE : HOST_UNREACHABLE;
            }
            if (flows.size() == flows.maxFlows()) {
                events.increment(UdpEvent.FLOW_TABLE_FULL);
                return DELIVERED;
            }
            UdpPeer peer = ownDestination ? socketFor(layer, dstHigh, dstLow, dstPort) : null;
            if (peer == null && forwarder == null) {
                events.increment(ownDestination ? UdpEvent.NO_LISTENER : UdpEvent.NO_RELAY);
                return ownDestination ? PORT_UNREACHABLE : HOST_UNREACHABLE;
            }
            flow = open(layer, srcHigh, srcLow, srcPort, dstHigh, dstLow, dstPort, false, Initiator.LOCAL, peer);
            if (flow == null) {
                return DELIVERED;
            }
            if (flow.peer == null) {
                return ownDestination ? PORT_UNREACHABLE : HOST_UNREACHABLE;
            }
        }
        events.increment(UdpEvent.DATAGRAMS_RECEIVED);
        events.add(UdpEvent.BYTES_RECEIVED, rx.payloadLength());
        flow.lastActive = clock.nanos();
        flow.fromDevice++;
        int position = buffer.position();
        int limit = buffer.limit();
        try {
            buffer.limit(rx.payloadOffset() + rx.payloadLength()).position(rx.payloadOffset());
            deliverFromDevice(flow, buffer);
        } finally {
            buffer.limit(limit).position(position);
        }
        return DELIVERED;
    }

    @Override
    public void maintain() {
        for (UdpFlow flow; (flow = aborts.poll()) != null; ) {
            if (!flow.closed) {
                events.increment(UdpEvent.FLOWS_ABORTED);
                close(flow, "aborted: " + flow.abortReason);
            }
        }
        long now = clock.nanos();
        if (now - nextSweep >= 0) {
            nextSweep = now + sweepNanos;
            flows.removeIf(flow -> now - flow.lastActive >= idleNanos, flow -> {
                events.increment(UdpEvent.FLOWS_IDLE);
                finish(flow, "idle for " + TimeUnit.NANOSECONDS.toSeconds(idleNanos) + " s");
            });
        }
    }

    @Override
    public long nextDeadline() {
        return aborts.isEmpty() ? nextSweep : clock.nanos();
    }

    /** @return the counters of malformed headers, by check */
    public EnumCounters<WireCheck> malformed() {
        return malformed;
    }

    /** @return the UDP counters */
    public EnumCounters<UdpEvent> events() {
        return events;
    }

    /** @return the open flows, described; loop thread */
    public List<UdpFlowStatus> status() {
        long now = clock.nanos();
        List<UdpFlowStatus> status = new ArrayList<>();
        flows.forEach(flow -> status.add(new UdpFlowStatus(flow.network.protocol().name(),
                format(flow.info.local()), format(flow.info.remote()), flow.runtimeId(), flow.applicationInStack
                        ? flow.toDevice : flow.fromDevice, flow.applicationInStack ? flow.fromDevice : flow.toDevice,
                TimeUnit.NANOSECONDS.toMillis(now - flow.lastActive))));
        return status;
    }

    /** Refuses every new flow from now on (the stack is stopping); open flows go on until closed. Loop thread. */
    public void refuseNew() {
        refusingNew = true;
    }

    /** @return the flows open now; loop thread */
    public int flowCount() {
        return flows.size();
    }

    /** Closes every flow (the stack stops). */
    public void closeAll() {
        flows.removeIf(flow -> true, flow -> {
            events.increment(UdpEvent.FLOWS_CLOSED);
            finish(flow, "the network stack stopped");
        });
    }

    @Override
    public void unreachable(NetworkLayer layer, layer45.mnet.iface.Unreachable why, long srcHigh, long srcLow,
            long dstHigh, long dstLow, ByteBuffer buffer, int offset, int length) {
        int srcPort = buffer.getShort(offset) & 0xFFFF;
        int dstPort = buffer.getShort(offset + 2) & 0xFFFF;
        UdpFlow flow = flows.get(layer.linkProtocol(), dstHigh, dstLow, dstPort, srcHigh, srcLow, srcPort);
        if (flow == null || flow.peer == null) {
            events.increment(UdpEvent.UNREACHABLE_NO_FLOW);
            return;
        }
        events.increment(UdpEvent.UNREACHABLE_RECEIVED);
        try {
            flow.peer.unreachable(flow, why);
        } catch (RuntimeException e) {
            events.increment(UdpEvent.PEER_FAILED);
            LOG.log(System.Logger.Level.WARNING, "mnet:udp: " + flow.peer + " failed on an ICMP error about " + flow, e);
        }
    }

    /**
     * Closes the flows over one network layer: a plugged-in protocol was unplugged, and they cannot go on.
     *
     * @param layer the layer
     * @return how many flows were closed
     */
    public int closeFlowsOver(layer45.mnet.iface.NetworkLayer layer) {
        return flows.removeIf(flow -> flow.network == layer, flow -> {
            events.increment(UdpEvent.FLOWS_CLOSED);
            finish(flow, "its network protocol " + layer.protocol() + " was unplugged");
        });
    }

    void unreachable(UdpFlow flow, layer45.mnet.iface.Unreachable why) {
        if (flow.closed) {
            return;
        }
        quoted.clear();
        UdpPacket header = quotedHeader.wrap(quoted, 0, UdpPacket.HEADER_LENGTH);
        header.setSrcPort(flow.devicePort);
        header.setDstPort(flow.stackPort);
        header.setUdpLength(UdpPacket.HEADER_LENGTH);
        header.setChecksum(0);
        flow.network.unreachable(why, flow.deviceHigh, flow.deviceLow, flow.stackHigh, flow.stackLow, IpProtocol.UDP,
                quoted, 0, UdpPacket.HEADER_LENGTH);
    }

    void abortLater(UdpFlow flow) {
        aborts.add(flow);
        wakeup.run();
    }

    void unbind(UdpSocket socket) {
        sockets.remove(socket);
        flows.removeIf(flow -> flow.peer == socket, flow -> {
            events.increment(UdpEvent.FLOWS_CLOSED);
            finish(flow, "its socket closed");
        });
    }

    /**
     * Opens a flow from an ephemeral port of the stack's own address toward an endpoint beyond the device, whose
     * application is that endpoint (a server in the namespace): for a relay that forwards a host port to it.
     *
     * @param layer the network layer
     * @param high the endpoint's address, high 64 bits
     * @param low its low 64 bits
     * @param port its port
     * @param peer takes the datagrams the endpoint sends back
     * @return the flow, or {@code null} if no source address, port or table slot is left, or the customization
     *         runtime refused it
     */
    public UdpFlow connect(NetworkLayer layer, long high, long low, int port, UdpPeer peer) {
        if (flows.size() == flows.maxFlows()) {
            events.increment(UdpEvent.FLOW_TABLE_FULL);
            return null;
        }
        if (!layer.sourceFor(high, low, source)) {
            return null;
        }
        long srcHigh = source[0];
        long srcLow = source[1];
        int span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(span);
        for (int k = 0; k < span; k++) {
            int candidate = EPHEMERAL_FIRST + (start + k) % span;
            if (flows.get(layer.linkProtocol(), high, low, port, srcHigh, srcLow, candidate) == null
                    && socketFor(layer, srcHigh, srcLow, candidate) == null) {
                return open(layer, high, low, port, srcHigh, srcLow, candidate, false, Initiator.REMOTE, peer);
            }
        }
        return null;
    }

    UdpFlow flowFromSocket(UdpSocket socket, NetworkLayer layer, long high, long low, int port) {
        if (socket.network() != null && socket.network() != layer) {
            throw new IllegalArgumentException(socket + " is bound to " + socket.network().protocol()
                    + " and cannot send on " + layer.protocol() + "; send on its network, or bind to every network");
        }
        if (socket.anyAddress()) {
            if (!layer.sourceFor(high, low, source)) {
                throw new IllegalStateException("the stack has no " + layer.protocol()
                        + " address to send from; configure one");
            }
        } else {
            if (!layer.isOwnAddress(socket.addressHigh(), socket.addressLow())) {
                throw new IllegalArgumentException(socket + " is bound to an address that is not an own "
                        + layer.protocol() + " address; send on the network of its address, or bind to every address");
            }
            source[0] = socket.addressHigh();
            source[1] = socket.addressLow();
        }
        UdpFlow flow = flows.get(layer.linkProtocol(), high, low, port, source[0], source[1], socket.port());
        if (flow == null) {
            if (flows.size() == flows.maxFlows()) {
                events.increment(UdpEvent.FLOW_TABLE_FULL);
                return null;
            }
            flow = open(layer, high, low, port, source[0], source[1], socket.port(), true, Initiator.LOCAL, socket);
        }
        return flow;
    }

    boolean fromStack(UdpFlow flow, ByteBuffer payload) {
        if (flow.closed) {
            return false;
        }
        flow.lastActive = clock.nanos();
        ByteBuffer out = payload;
        if (flow.tapped != null) {
            Direction direction = flow.applicationInStack ? Direction.SEND : Direction.RECV;
            ChunkResult result = flow.tapped.process(direction, payload, fromStack.start());
            if (!passed(flow, result, fromStack)) {
                return false;
            }
            out = fromStack.flip();
        }
        int length = out.remaining();
        writer.set(flow.stackPort, flow.devicePort, out);
        if (!flow.network.send(flow.stackHigh, flow.stackLow, flow.deviceHigh, flow.deviceLow, IpProtocol.UDP,
                UdpPacket.HEADER_LENGTH + length, writer)) {
            events.increment(UdpEvent.SEND_FAILED);
            return false;
        }
        flow.toDevice++;
        events.increment(UdpEvent.DATAGRAMS_SENT);
        events.add(UdpEvent.BYTES_SENT, length);
        return true;
    }

    private void deliverFromDevice(UdpFlow flow, ByteBuffer payload) {
        ByteBuffer in = payload;
        if (flow.tapped != null) {
            Direction direction = flow.applicationInStack ? Direction.RECV : Direction.SEND;
            ChunkResult result = flow.tapped.process(direction, payload, fromDevice.start());
            if (!passed(flow, result, fromDevice)) {
                return;
            }
            in = fromDevice.flip();
        }
        try {
            flow.peer.datagram(flow, in);
        } catch (RuntimeException e) {
            events.increment(UdpEvent.PEER_FAILED);
            LOG.log(System.Logger.Level.WARNING, "mnet:udp: " + flow.peer + " failed on a datagram of " + flow
                    + "; the flow is closed", e);
            flows.remove(flow.network.linkProtocol(), flow.deviceHigh, flow.deviceLow, flow.devicePort,
                    flow.stackHigh, flow.stackLow, flow.stackPort);
            finish(flow, "its peer failed: " + e);
        }
    }

    /** @return whether the customized datagram is to be sent on; counts and closes otherwise */
    private boolean passed(UdpFlow flow, ChunkResult result, Gather gather) {
        switch (result.outcome()) {
            case ORIGINAL, CUSTOMIZED, BYPASSED -> {
                if (gather.overflowed) {
                    events.increment(UdpEvent.CUSTOMIZED_TOO_LARGE);
                    return false;
                }
                return true;
            }
            case ABORTED -> {
                events.increment(UdpEvent.FLOWS_ABORTED);
                close(flow, "aborted by its customization: " + result.abortReason());
                return false;
            }
            default -> {
                events.increment(UdpEvent.CUSTOMIZATION_DROPPED);
                return false;
            }
        }
    }

    private UdpFlow open(NetworkLayer layer, long deviceHigh, long deviceLow, int devicePort, long stackHigh,
            long stackLow, int stackPort, boolean applicationInStack, Initiator initiator, UdpPeer peer) {
        InetSocketAddress device = new InetSocketAddress(layer.toInetAddress(deviceHigh, deviceLow), devicePort);
        InetSocketAddress stack = new InetSocketAddress(layer.toInetAddress(stackHigh, stackLow), stackPort);
        FlowInfo info = applicationInStack
                ? new FlowInfo(Transport.UDP, layer.protocol(), stack, device, initiator, ProcessOwner.UNKNOWN)
                : new FlowInfo(Transport.UDP, layer.protocol(), device, stack, initiator, ProcessOwner.UNKNOWN);
        UdpFlow flow = new UdpFlow(this, layer, deviceHigh, deviceLow, devicePort, stackHigh, stackLow, stackPort,
                applicationInStack, info, clock.nanos());
        if (peer == null) {
            try {
                peer = forwarder.open(flow);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "mnet:udp: the relay failed to open " + info + "; the flow is refused", e);
                peer = null;
            }
            if (peer == null) {
                events.increment(UdpEvent.NO_RELAY);
                return flow;
            }
        }
        FlowTap runtime = peer.customizes() ? null : tap.get();
        if (runtime != null) {
            try {
                flow.tapped = runtime.open(info, flow::abort);
            } catch (RuntimeException e) {
                events.increment(UdpEvent.TAP_FAILED);
                LOG.log(System.Logger.Level.WARNING, "mnet:udp: the customization runtime could not open " + info
                        + "; the flow is refused", e);
                peer.closed(flow, "the customization runtime could not open it");
                return null;
            }
        }
        flow.peer = peer;
        flows.put(layer.linkProtocol(), deviceHigh, deviceLow, devicePort, stackHigh, stackLow, stackPort, flow);
        events.increment(UdpEvent.FLOWS_OPENED);
        return flow;
    }

    private UdpSocket socketFor(NetworkLayer layer, long high, long low, int port) {
        for (UdpSocket socket : sockets) {
            if (socket.accepts(layer, high, low, port)) {
                return socket;
            }
        }
        return null;
    }

    private void close(UdpFlow flow, String reason) {
        flows.remove(flow.network.linkProtocol(), flow.deviceHigh, flow.deviceLow, flow.devicePort, flow.stackHigh,
                flow.stackLow, flow.stackPort);
        finish(flow, reason);
    }

    /** Ends a flow already out of the table. */
    private void finish(UdpFlow flow, String reason) {
        if (flow.closed) {
            return;
        }
        flow.closed = true;
        closeTapped(flow);
        try {
            flow.peer.closed(flow, reason);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "mnet:udp: " + flow.peer + " failed while " + flow + " closed", e);
        }
    }

    private static void closeTapped(UdpFlow flow) {
        if (flow.tapped != null) {
            try {
                flow.tapped.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "mnet:udp: the customization runtime failed to close " + flow, e);
            }
        }
    }

    private static String format(InetSocketAddress address) {
        return new IpEndpoint(IpAddress.of(address.getAddress()), address.getPort()).toString();
    }

    /** Collects what the runtime delivers for one datagram into one buffer. */
    private static final class Gather implements ChunkSink {

        private final ByteBuffer buffer = ByteBuffer.allocate(MAX_PAYLOAD);
        boolean overflowed;

        Gather start() {
            buffer.clear();
            overflowed = false;
            return this;
        }

        ByteBuffer flip() {
            return buffer.flip();
        }

        @Override
        public void accept(ByteBuffer bytes) {
            int length = bytes.remaining();
            if (length > buffer.remaining()) {
                overflowed = true;
                return;
            }
            buffer.put(buffer.position(), bytes, bytes.position(), length);
            buffer.position(buffer.position() + length);
        }
    }

    /** Writes a UDP header and payload, checksum included. */
    private static final class DatagramWriter implements TransportWriter {

        private final UdpPacket tx = new UdpPacket();
        private int srcPort;
        private int dstPort;
        private ByteBuffer payload;

        void set(int srcPort, int dstPort, ByteBuffer payload) {
            this.srcPort = srcPort;
            this.dstPort = dstPort;
            this.payload = payload;
        }

        @Override
        public void write(ByteBuffer buffer, int offset, int length, long pseudoHeaderSum) {
            tx.wrap(buffer, offset, length);
            tx.setSrcPort(srcPort);
            tx.setDstPort(dstPort);
            tx.setUdpLength(length);
            tx.setChecksum(0);
            buffer.put(offset + UdpPacket.HEADER_LENGTH, payload, payload.position(), payload.remaining());
            tx.fillChecksum(pseudoHeaderSum);
        }
    }
}
