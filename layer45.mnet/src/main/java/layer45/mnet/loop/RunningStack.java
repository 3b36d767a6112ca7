package layer45.mnet.loop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import layer45.api.spi.FlowTap;
import layer45.mnet.NamespaceRequest;
import layer45.mnet.NetStack;
import layer45.mnet.HostSockets;
import layer45.mnet.NetStackStatus;
import layer45.mnet.NetworkProtocolHandler;
import layer45.mnet.TcpConnectionStatus;
import layer45.mnet.UdpFlowStatus;
import layer45.mnet.iface.Interface;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.phy.Device;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.relay.HostRelay;
import layer45.mnet.relay.HostDatagrams;
import layer45.mnet.relay.OwnerSource;
import layer45.mnet.relay.PluggedCarrier;
import layer45.mnet.relay.RelaySettings;
import layer45.mnet.service.TcpDiscard;
import layer45.mnet.service.TcpEcho;
import layer45.mnet.service.TcpFixedReply;
import layer45.mnet.socket.tcp.TcpLayer;
import layer45.mnet.sockets.LoopAccess;
import layer45.mnet.sockets.StackSockets;
import layer45.mnet.socket.udp.UdpLayer;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.Ipv6Address;

/**
 * A stack at work: one device, its {@link Interface} with UDP, the UDP echo service, and the {@link NetLoop} thread
 * that runs them. This is what the OSGi component starts; tests start it on an in-memory link.
 *
 * <p>Every method may be called from any thread: questions and changes are handed to the loop thread.
 */
public final class RunningStack implements NetStack, PluggedCarrier, AutoCloseable {

    private final Device device;
    private final StackOptions options;
    private final Interface iface;
    private final UdpLayer udp;
    private final TcpLayer tcp;
    private final NetLoop loop;
    private final HostRelay relay;
    private final StackSockets sockets;
    private final EnumCounters<PlugEvent> plugEvents = new EnumCounters<>(PlugEvent.class);

    private RunningStack(Device device, StackOptions options, Supplier<FlowTap> tap, Clock clock,
            RelaySettings relaySettings, OwnerSource owners, Supplier<HostTable> hosts) {
        this.device = device;
        this.options = options;
        this.iface = new Interface(device, options.iface(), clock);
        this.udp = new UdpLayer(options.udp(), clock, tap, device::wakeup);
        iface.transports().add(udp);
        this.tcp = new TcpLayer(options.tcp(), clock, tap, device::wakeup);
        iface.transports().add(tcp);
        if (options.echoPort() > 0) {
            udp.bind(null, 0, 0, true, options.echoPort(), (socket, flow, payload) -> flow.send(payload));
            tcp.listen(null, 0, 0, true, options.echoPort(), new TcpEcho(65536));
        }
        if (options.discardPort() > 0) {
            tcp.listen(null, 0, 0, true, options.discardPort(), new TcpDiscard());
        }
        if (options.httpPort() > 0) {
            tcp.listen(null, 0, 0, true, options.httpPort(),
                    new TcpFixedReply(TcpFixedReply.patternBody(options.httpBytes())));
        }
        this.loop = new NetLoop(iface, clock, "layer45-net " + options.deviceName());
        this.sockets = new StackSockets(new TcpFlushingLoop(), iface, udp, tcp, hosts, options.namespace(),
                () -> status().reason());
        if (relaySettings == null) {
            this.relay = null;
        } else {
            this.relay = new HostRelay(relaySettings, loop::execute, iface, tcp, udp, tap, owners,
                    peer(options, 4), peer(options, 6), hosts, options.namespace());
            relay.openForwards();
            tcp.forwarder(relay);
            udp.forwarder(relay);
            iface.ipv4().echoForwarder(relay);
            iface.ipv6().echoForwarder(relay);
        }
    }

    /** @return the namespace's address of one family on the link, from the options; {@code null} if none */
    private static java.net.InetAddress peer(StackOptions options, int version) {
        for (String peer : options.peerAddresses()) {
            IpCidr cidr = IpCidr.parse(peer);
            if (cidr.address().version() == version) {
                return cidr.address().toInetAddress();
            }
        }
        return null;
    }

    /**
     * Builds the stack on a device and starts its loop thread.
     *
     * @param device the device; closed by {@link #close()}
     * @param options addresses, limits and services
     * @param tap the customization runtime, read for each new flow; may supply {@code null}
     * @param clock the stack's clock
     * @return the running stack
     */
    public static RunningStack start(Device device, StackOptions options, Supplier<FlowTap> tap, Clock clock) {
        return start(device, options, tap, clock, null, OwnerSource.NONE);
    }

    /**
     * Builds the stack with a relay to the host: flows to destinations beyond the stack go on through host sockets,
     * and the relay's forwarded host ports listen.
     *
     * @param device the device; closed by {@link #close()}
     * @param options addresses, limits and services; the peer addresses are where forwards go
     * @param tap the customization runtime, read for each new flow; may supply {@code null}
     * @param clock the stack's clock
     * @param relay how the relay behaves, or {@code null} for none (foreign destinations are unreachable)
     * @param owners finds the program owning a relayed flow
     * @return the running stack
     * @throws IllegalArgumentException if a forward's host port cannot be opened
     */
    public static RunningStack start(Device device, StackOptions options, Supplier<FlowTap> tap, Clock clock,
            RelaySettings relay, OwnerSource owners) {
        return start(device, options, tap, clock, relay, owners, () -> null);
    }

    /**
     * Builds the stack with a relay to the host that also knows host identifiers: its DNS answers their names with
     * virtual addresses, and flows to those go to the identifiers' addresses.
     *
     * @param device the device; closed by {@link #close()}
     * @param options addresses, limits and services; the peer addresses are where forwards go
     * @param tap the customization runtime, read for each new flow; may supply {@code null}
     * @param clock the stack's clock
     * @param relay how the relay behaves, or {@code null} for none (foreign destinations are unreachable)
     * @param owners finds the program owning a relayed flow
     * @param hosts the host-identifier table, read for each new flow; may supply {@code null}
     * @return the running stack
     * @throws IllegalArgumentException if a forward's host port cannot be opened
     */
    public static RunningStack start(Device device, StackOptions options, Supplier<FlowTap> tap, Clock clock,
            RelaySettings relay, OwnerSource owners, Supplier<HostTable> hosts) {
        RunningStack stack = new RunningStack(device, options, tap, clock, relay, owners, hosts);
        stack.loop.start();
        return stack;
    }

    @Override
    public NetStackStatus status() {
        if (!loop.isRunning()) {
            String why = loop.failure() == null ? "the network stack was stopped"
                    : "the network stack stopped: " + loop.failure() + "; restart the runtime";
            return NetStackStatus.off(why);
        }
        List<String> protocols = loop.call(() -> iface.layers().stream().map(l -> l.protocol().name()).toList());
        return new NetStackStatus(true, "", options.deviceName(), options.namespace(), device.capabilities().mtu(),
                options.iface().addresses().stream().map(IpCidr::toString).toList(), options.peerAddresses(),
                protocols);
    }

    @Override
    public Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
        counters.put("device", device.countersByName());
        counters.putAll(loop.call(iface::counters));
        Map<String, Long> udpCounters = new LinkedHashMap<>(udp.events().snapshot());
        udp.malformed().snapshot().forEach((check, count) -> {
            if (!check.equals("valid")) {
                udpCounters.put("malformed-" + check, count);
            }
        });
        counters.put("udp", udpCounters);
        counters.put("protocols", plugEvents.snapshot());
        if (relay != null) {
            counters.put("relay", relay.counters());
            counters.put("dns", relay.dnsCounters());
        }
        counters.put("tcp", loop.call(() -> {
            Map<String, Long> tcpCounters = new LinkedHashMap<>(tcp.events().snapshot());
            tcp.malformed().snapshot().forEach((check, count) -> {
                if (!check.equals("valid")) {
                    tcpCounters.put("malformed-" + check, count);
                }
            });
            return tcpCounters;
        }));
        return counters;
    }

    @Override
    public List<TcpConnectionStatus> tcpConnections() {
        return loop.call(tcp::status).stream().map(c -> c.inNamespace(options.namespace())).toList();
    }

    @Override
    public List<UdpFlowStatus> udpFlows() {
        return loop.call(udp::status).stream().map(f -> f.inNamespace(options.namespace())).toList();
    }

    @Override
    public HostSockets sockets() {
        return sockets;
    }

    /** The loop as the sockets reach it: TCP sends what a task queued before the loop moves on. */
    private final class TcpFlushingLoop implements LoopAccess {

        @Override
        public <T> T call(Supplier<T> task) {
            return loop.call(() -> {
                T result = task.get();
                tcp.flush();
                return result;
            });
        }

        @Override
        public void execute(Runnable task) {
            loop.execute(() -> {
                task.run();
                tcp.flush();
            });
        }

        @Override
        public boolean running() {
            return loop.isRunning();
        }
    }

    /** A running stack is one namespace's link; {@link layer45.mnet.osgi.NetStackComponent} attaches more. */
    @Override
    public NetStackStatus attach(NamespaceRequest request) {
        throw new IllegalStateException("a single stack serves one link; attach namespaces through the NetStack"
                + " service of the runtime");
    }

    @Override
    public boolean detach(String namespace) {
        return false;
    }

    @Override
    public List<NetStackStatus> links() {
        return List.of(status());
    }

    /**
     * Plugs a network protocol in beside IPv4 and IPv6, if the stack's device can carry it.
     *
     * @param handler the protocol
     * @param ownAddresses the stack's own addresses on it
     * @param prefixes the destinations it carries
     * @return {@code null} once it is plugged in (or was already), else why it was not, for the log (counted under
     *         {@code protocols})
     */
    public String plug(NetworkProtocolHandler handler, List<Ipv6Address> ownAddresses, List<IpCidr> prefixes) {
        int number = handler.linkProtocol();
        if (!device.carries(number)) {
            plugEvents.increment(PlugEvent.NOT_PLUGGED_DEVICE_CANNOT_CARRY);
            return "device " + device.capabilities().name() + " cannot carry link protocol "
                    + layer45.mnet.phy.LinkProtocol.name(number) + " (a TUN device carries only IPv4 and IPv6;"
                    + " a peer link carries any)";
        }
        try {
            loop.call(() -> iface.plug(handler, ownAddresses, prefixes));
        } catch (RuntimeException e) {
            plugEvents.increment(PlugEvent.NOT_PLUGGED_REFUSED);
            return e.getMessage();
        }
        plugEvents.increment(PlugEvent.PLUGGED);
        return null;
    }

    /**
     * Unplugs a network protocol: its UDP flows and TCP connections end (the runtime is told), its routes go.
     *
     * @param handler a network protocol to unplug
     * @return whether it was plugged in here
     */
    public boolean unplug(NetworkProtocolHandler handler) {
        boolean unplugged = loop.call(() -> {
            NetworkLayer layer = iface.layerFor(handler.linkProtocol());
            if (!(layer instanceof layer45.mnet.iface.PluggedLayer plugged) || plugged.handler() != handler) {
                return false;
            }
            int ended = udp.closeFlowsOver(layer) + tcp.abortOver(layer);
            plugEvents.add(PlugEvent.FLOWS_ENDED_BY_UNPLUG, ended);
            return iface.unplug(handler);
        });
        if (unplugged) {
            plugEvents.increment(PlugEvent.UNPLUGGED);
        }
        return unplugged;
    }

    @Override
    public boolean reaches(layer45.mnet.HostAddress destination) {
        if (!loop.isRunning()
                || !(layer45.mnet.wire.IpAddress.of(destination.address()) instanceof Ipv6Address address)) {
            return false;
        }
        return loop.call(() -> {
            NetworkLayer layer = pluggedLayer(destination.protocol());
            return layer != null && !layer.isOwnAddress(address.high(), address.low());
        });
    }

    /** The relay of another stack reaches a plugged-in protocol's address through this one (a peer link). */
    @Override
    public HostDatagrams datagramsTo(layer45.mnet.HostAddress destination, int port) throws java.io.IOException {
        return new StackDatagrams(this, destination, port);
    }

    /**
     * @param protocol a plugged-in protocol's name
     * @return its layer here, or {@code null} if it is not plugged in; loop thread
     */
    NetworkLayer pluggedLayer(String protocol) {
        for (NetworkLayer layer : iface.layers()) {
            if (layer instanceof layer45.mnet.iface.PluggedLayer && layer.protocol().name().equals(protocol)) {
                return layer;
            }
        }
        return null;
    }

    /** @return whether the loop runs */
    boolean isRunning() {
        return loop.isRunning();
    }

    /** @return whether the stack's device can carry a link protocol ({@link Device#carries}) */
    public boolean carries(int linkProtocol) {
        return device.carries(linkProtocol);
    }

    /**
     * Runs a task on the loop thread and returns its result: the way to use the interface and UDP from outside.
     *
     * @param <T> the result type
     * @param task the task, given the interface and UDP
     * @return its result
     */
    public <T> T call(StackTask<T> task) {
        return loop.call(() -> task.run(iface, udp));
    }

    /**
     * Runs a task with TCP on the loop thread, then sends what it queued.
     *
     * @param <T> the result type
     * @param task the task
     * @return its result
     */
    public <T> T callTcp(java.util.function.Function<TcpLayer, T> task) {
        return loop.call(() -> {
            T result = task.apply(tcp);
            tcp.flush();
            return result;
        });
    }

    /** A piece of work on the loop thread, with the stack's parts at hand. */
    @FunctionalInterface
    public interface StackTask<T> {
        /**
         * @param iface the interface
         * @param udp UDP
         * @return a result
         */
        T run(Interface iface, UdpLayer udp);
    }

    /** @return the network layers' names, for logs */
    public List<String> protocolNames() {
        List<String> names = new ArrayList<>();
        for (NetworkLayer layer : loop.call(iface::layers)) {
            names.add(layer.protocol().name());
        }
        return names;
    }

    /**
     * The first step of a graceful stop: refuses new flows from now on (TCP with RST, UDP with ICMP unreachable,
     * forwarded host ports stop listening) and waits, up to a limit, for the open TCP connections to close. UDP flows
     * have no close and are not waited for. {@link #close()} then resets what is left.
     *
     * @param limit how long open connections may take to close
     * @return the TCP connections still open when the wait ended (0: all closed)
     * @throws InterruptedException if interrupted while waiting
     */
    public int drain(java.time.Duration limit) throws InterruptedException {
        if (relay != null) {
            relay.close();
        }
        loop.call(() -> {
            tcp.refuseNew();
            udp.refuseNew();
            return null;
        });
        long deadline = System.nanoTime() + limit.toNanos();
        int open = loop.call(tcp::openConnections);
        while (open > 0 && System.nanoTime() < deadline) {
            Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            open = loop.call(tcp::openConnections);
        }
        return open;
    }

    /** @return the TCP connections carrying data or closing now (TIME_WAIT not counted) */
    public int openConnections() {
        return loop.call(tcp::openConnections);
    }

    /** Stops the loop, closes every flow (telling the runtime), and closes the device. */
    @Override
    public void close() {
        sockets.closeAll();
        if (relay != null) {
            relay.close();
        }
        loop.call(() -> {
            udp.closeAll();
            tcp.closeAll();
            return null;
        });
        loop.stop(5_000);
        device.close();
    }
}
