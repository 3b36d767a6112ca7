package layer45.mnet.relay;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import layer45.api.NetworkProtocol;
import layer45.api.ProcessOwner;
import layer45.api.Transport;
import layer45.api.spi.FlowTap;
import layer45.mnet.iface.EchoForwarder;
import layer45.mnet.iface.Interface;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.mhost.NameService;
import layer45.mnet.mhost.TranslatedFlow;
import layer45.mnet.mhost.Translation;
import layer45.mnet.socket.PagePool;
import layer45.mnet.socket.tcp.TcpConnectRequest;
import layer45.mnet.socket.tcp.TcpForwarder;
import layer45.mnet.socket.tcp.TcpLayer;
import layer45.mnet.socket.udp.UdpFlow;
import layer45.mnet.socket.udp.UdpForwarder;
import layer45.mnet.socket.udp.UdpLayer;
import layer45.mnet.socket.udp.UdpPeer;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.wire.IpAddress;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv6Address;

/**
 * A stack's relay to the host: it takes the TCP connections and UDP flows no service in the stack takes
 * ({@link TcpForwarder}, {@link UdpForwarder}), finds where they go on the host ({@link Destinations}), and relays
 * each through a host socket of its own ({@link RelayedTcp}, {@link RelayedUdp}); and it listens on the host ports
 * forwarded into the namespace ({@link TcpPortForward}, {@link UdpPortForward}).
 *
 * <p>The forwarder calls come on the stack's loop thread and return at once; everything that waits runs on virtual
 * threads. Counters may be read from any thread.
 */
public final class HostRelay implements TcpForwarder, UdpForwarder, EchoForwarder, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    /** Pings on their way at once; more are dropped, as a busy host would. */
    private static final int MAX_PINGS = 64;
    private static final int PING_TIMEOUT_MILLIS = 3000;
    private static final int DNS = 53;

    /** Bytes per page of the rings: a host read's worth, so a bulk chunk is at most two pages. */
    private static final int RING_PAGE = 65536;
    /** Bytes of free ring pages kept for the next flows. */
    private static final long RING_PAGES_KEPT = 32L << 20;
    private final RelaySettings settings;
    private final Executor loop;
    private final Interface iface;
    private final TcpLayer tcp;
    private final UdpLayer udp;
    private final Supplier<FlowTap> tap;
    private final OwnerSource owners;
    private final Destinations destinations;
    private final Supplier<HostTable> hosts;
    private final String namespace;
    private final NameService.Counters dnsCounters = new NameService.Counters();
    private final InetAddress namespace4;
    private final InetAddress namespace6;
    private final EnumCounters<RelayEvent> events = new EnumCounters<>(RelayEvent.class);
    private final Set<Object> flows = ConcurrentHashMap.newKeySet();
    private final List<AutoCloseable> listeners = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
    /** The pages of the TCP flows' rings and read buffers: held while they hold bytes, kept for reuse after. */
    private final PagePool ringPages;

    /**
     * @param settings how it relays
     * @param loop runs tasks on the stack's loop thread
     * @param iface the stack's interface
     * @param tcp the stack's TCP
     * @param udp the stack's UDP
     * @param tap the customization runtime; may supply {@code null}
     * @param owners finds the program owning a flow
     * @param namespace4 the namespace's IPv4 address on the link (where forwards go), or {@code null}
     * @param namespace6 the namespace's IPv6 address on the link, or {@code null}
     * @param hosts the host-identifier table, read for each new flow; may supply {@code null} (no virtual
     *        addresses, and DNS goes upstream as it is)
     * @param namespace the namespace's name, for operators; "" for the runtime's own
     */
    public HostRelay(RelaySettings settings, Executor loop, Interface iface, TcpLayer tcp, UdpLayer udp,
            Supplier<FlowTap> tap, OwnerSource owners, InetAddress namespace4, InetAddress namespace6,
            Supplier<HostTable> hosts, String namespace) {
        this.settings = settings;
        this.loop = loop;
        this.iface = iface;
        this.tcp = tcp;
        this.udp = udp;
        this.tap = tap;
        this.owners = owners;
        this.destinations = new Destinations(settings);
        this.namespace4 = namespace4;
        this.namespace6 = namespace6;
        this.hosts = hosts;
        this.namespace = namespace;
        this.ringPages = new PagePool(Math.min(settings.ringBytes(), RING_PAGE), Long.MAX_VALUE, RING_PAGES_KEPT);
    }

    /**
     * Opens the host ports of the forwards. Call before the relay is given to the layers; any thread.
     *
     * @throws IllegalArgumentException if a host port cannot be opened (taken, no permission); nothing stays open
     */
    public void openForwards() {
        try {
            for (PortForward forward : settings.forwards()) {
                InetAddress target = forward.listen().getAddress() instanceof Inet4Address || namespace6 == null
                        ? namespace4 : namespace6;
                if (target == null) {
                    throw new IllegalArgumentException("port forward " + forward + " has no namespace address to go"
                            + " to: configure one for its address family");
                }
                InetSocketAddress to = new InetSocketAddress(target, forward.namespacePort());
                listeners.add(forward.transport() == Transport.TCP ? TcpPortForward.open(this, forward, to)
                        : UdpPortForward.open(this, forward, to));
            }
        } catch (IOException e) {
            close();
            throw new IllegalArgumentException("a port forward cannot listen on the host: " + e.getMessage()
                    + "; pick another host port or stop what uses it", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Outbound: the stack's forwarders, on the loop thread
    // -------------------------------------------------------------------------------------------------------------

    @Override
    public boolean connect(TcpConnectRequest request) {
        HostConnector connector = tcpConnector(request);
        if (connector == null) {
            events.increment(RelayEvent.TCP_NOT_RELAYED);
            return false;
        }
        RelayedTcp relayed = new RelayedTcp(this, true, request.application(), request.destination(), null);
        flows.add(relayed);
        request.whenCancelled(relayed::cancelled);
        relayed.connectOutbound(request, connector);
        return true;
    }

    /**
     * @return how a connection from the namespace reaches the host: the name service for DNS to the stack when
     *         there is a table, a host identifier's addresses for a virtual address, else its destination on the
     *         host; {@code null} if it is not relayed
     */
    private HostConnector tcpConnector(TcpConnectRequest request) {
        InetSocketAddress destination = request.destination();
        HostTable table = hosts.get();
        if (table != null && request.ownDestination() && destination.getPort() == DNS) {
            InetSocketAddress upstream = destinations.hostFor(destination, true);
            return new ResolvingConnector(new NameService(table, dnsCounters),
                    upstream == null ? null : new DirectConnector(upstream, settings.connectTimeout()));
        }
        Translation translation = table == null ? null : table.translate(destination.getAddress());
        if (translation != null) {
            TranslatedFlow translated = translated(table, translation, "tcp", request.application(), destination);
            return translated == null ? null
                    : new FailoverConnector(translated, table.settings().connectTimeout());
        }
        InetSocketAddress target = destinations.hostFor(destination, request.ownDestination());
        return target == null ? null : new DirectConnector(target, settings.connectTimeout());
    }

    @Override
    public UdpPeer open(UdpFlow flow) {
        HostDatagrams host = hostDatagrams(flow);
        if (host == null) {
            events.increment(RelayEvent.UDP_NOT_RELAYED);
            return null;
        }
        RelayedUdp relayed = new RelayedUdp(this, host, true);
        flows.add(relayed);
        relayed.start(flow);
        return relayed;
    }

    /** @return the host's side of a new UDP flow, chosen as for TCP ({@link #tcpConnector}); {@code null} for none */
    private HostDatagrams hostDatagrams(UdpFlow flow) {
        InetSocketAddress destination = flow.stackEndpoint();
        boolean own = flow.network().isOwnAddress(high(destination.getAddress()), low(destination.getAddress()));
        HostTable table = hosts.get();
        if (table != null && own && destination.getPort() == DNS) {
            InetSocketAddress upstream = destinations.hostFor(destination, true);
            return new ResolvingDatagrams(new NameService(table, dnsCounters),
                    upstream == null ? null : new ConnectedDatagrams(upstream));
        }
        Translation translation = table == null ? null : table.translate(destination.getAddress());
        if (translation != null) {
            TranslatedFlow translated = translated(table, translation, "udp", flow.deviceEndpoint(), destination);
            return translated == null ? null : new FailoverDatagrams(translated);
        }
        InetSocketAddress target = destinations.hostFor(destination, own);
        return target == null ? null : new ConnectedDatagrams(target);
    }

    /**
     * @return the flow to a virtual address, to be carried to the identifier's addresses; {@code null} when no
     *         identifier has that address or none of its addresses is usable (the program hears "unreachable")
     */
    private TranslatedFlow translated(HostTable table, Translation translation, String transport,
            InetSocketAddress application, InetSocketAddress destination) {
        if (translation.identifier() == null) {
            events.increment(RelayEvent.MHOST_UNKNOWN);
            LOG.log(System.Logger.Level.DEBUG, "mnet:mhost: " + transport + " " + application + " -> " + destination
                    + ": no host identifier has this virtual address");
            return null;
        }
        TranslatedFlow flow = new TranslatedFlow(table, translation, transport, namespace, application, destination);
        if (translation.usable().isEmpty()) {
            events.increment(RelayEvent.MHOST_UNREACHABLE);
            flow.chose(null, null, "no usable address", false);
            return null;
        }
        events.increment(transport.equals("tcp") ? RelayEvent.MHOST_TCP : RelayEvent.MHOST_UDP);
        return flow;
    }

    /**
     * Pings the destination from the host ({@link InetAddress#isReachable}: an ICMP echo when the runtime may send
     * one) and replies to the program when it answered; the host's loopback, as mapped, always answers.
     */
    @Override
    public boolean forward(InetAddress destination, Runnable reply) {
        InetSocketAddress target = echoTarget(destination);
        if (target == null) {
            events.increment(RelayEvent.ECHO_NOT_RELAYED);
            return false;
        }
        if (pings.incrementAndGet() > MAX_PINGS) {
            pings.decrementAndGet();
            events.increment(RelayEvent.ECHO_NOT_RELAYED);
            return false;
        }
        events.increment(RelayEvent.ECHOES);
        Thread.ofVirtual().name("layer45-relay-ping " + destination.getHostAddress()).start(() -> {
            try {
                if (target.getAddress().isReachable(PING_TIMEOUT_MILLIS)) {
                    count(RelayEvent.ECHOES_ANSWERED);
                    loop.execute(reply);
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "mnet:relay: ping " + target.getAddress() + ": " + e.getMessage());
            } finally {
                pings.decrementAndGet();
            }
        });
        return true;
    }

    /** @return where a ping goes on the host: a virtual address's first usable address, or as for flows */
    private InetSocketAddress echoTarget(InetAddress destination) {
        HostTable table = hosts.get();
        Translation translation = table == null ? null : table.translate(destination);
        if (translation != null) {
            return translation.usable().isEmpty() ? null : translation.usable().get(0).socketAddress(0);
        }
        return destinations.hostFor(new InetSocketAddress(destination, 0), false);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Inbound: from the forwards' threads
    // -------------------------------------------------------------------------------------------------------------

    /** A host client connected to a forwarded TCP port: connect to the program in the namespace. */
    void forward(java.nio.channels.SocketChannel client, InetSocketAddress to) {
        // the stack's end is known once it connected; until then the flow is named after the host client
        RelayedTcp relayed = new RelayedTcp(this, false, to, (InetSocketAddress) remoteOf(client),
                new SocketStream(client, () -> { }));
        flows.add(relayed);
        count(RelayEvent.TCP_FORWARDS);
        loop.execute(() -> {
            NetworkLayer network = layerFor(to.getAddress());
            try {
                tcp.connect(network, 0, high(to.getAddress()), low(to.getAddress()), to.getPort(), relayed, false);
                tcp.flush();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "mnet:relay: cannot forward to " + to + ": " + e.getMessage());
                relayed.notOpened("the stack cannot connect to " + to + ": " + e.getMessage());
            }
        });
    }

    /**
     * A new host client sent to a forwarded UDP port: opens a flow toward the program in the namespace.
     *
     * @param relayed the flow's relay
     * @param to the program's endpoint
     * @param refused runs (on the loop) if the stack cannot open it
     */
    void forward(RelayedUdp relayed, InetSocketAddress to, Runnable refused) {
        flows.add(relayed);
        loop.execute(() -> {
            UdpFlow flow = udp.connect(layerFor(to.getAddress()), high(to.getAddress()), low(to.getAddress()),
                    to.getPort(), relayed);
            if (flow == null) {
                refused.run();
                ended(relayed);
            } else {
                relayed.start(flow);
            }
        });
    }

    // -------------------------------------------------------------------------------------------------------------
    // For the relayed flows
    // -------------------------------------------------------------------------------------------------------------

    RelaySettings settings() {
        return settings;
    }

    PagePool ringPages() {
        return ringPages;
    }

    Executor loop() {
        return loop;
    }

    FlowTap tap() {
        return tap.get();
    }

    ProcessOwner owner(Transport transport, InetSocketAddress application, InetSocketAddress peer) {
        try {
            return owners.find(transport, application, peer);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "mnet:relay: finding the owner of " + application + " failed", e);
            return ProcessOwner.UNKNOWN;
        }
    }

    NetworkProtocol networkOf(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? NetworkProtocol.IPV4 : NetworkProtocol.IPV6;
    }

    void count(RelayEvent event) {
        events.incrementShared(event);
    }

    void add(RelayEvent event, long delta) {
        events.addShared(event, delta);
    }

    void ended(Object flow) {
        flows.remove(flow);
    }

    private static java.net.SocketAddress remoteOf(java.nio.channels.SocketChannel client) {
        try {
            return client.getRemoteAddress();
        } catch (IOException e) {
            return new InetSocketAddress(0);
        }
    }

    private NetworkLayer layerFor(InetAddress address) {
        return address instanceof Inet4Address ? iface.ipv4() : iface.ipv6();
    }

    private static long high(InetAddress address) {
        return IpAddress.of(address) instanceof Ipv6Address v6 ? v6.high() : 0;
    }

    private static long low(InetAddress address) {
        return switch (IpAddress.of(address)) {
            case Ipv4Address v4 -> v4.bits() & 0xFFFF_FFFFL;
            case Ipv6Address v6 -> v6.low();
        };
    }

    // -------------------------------------------------------------------------------------------------------------
    // Operators
    // -------------------------------------------------------------------------------------------------------------

    /** @return the relay's counters by name */
    public Map<String, Long> counters() {
        Map<String, Long> counters = events.snapshot();
        counters.put("open-flows", (long) flows.size());
        counters.put("ring-bytes-held", ringPages.bytesInUse());
        counters.put("ring-bytes-allocated", ringPages.bytesAllocated());
        return counters;
    }

    /** @return the name service's counters: its answers, and the queries it could not read by reason */
    public Map<String, Long> dnsCounters() {
        return dnsCounters.snapshot();
    }

    /** @return the forwards listening */
    public List<PortForward> forwards() {
        return settings.forwards();
    }

    /** Stops listening on the forwarded ports; the flows end with the stack's (it resets them at stop). */
    @Override
    public void close() {
        for (AutoCloseable listener : listeners) {
            try {
                listener.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "mnet:relay: closing " + listener + " failed", e);
            }
        }
        listeners.clear();
    }
}
