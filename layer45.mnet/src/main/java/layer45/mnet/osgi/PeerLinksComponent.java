package layer45.mnet.osgi;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import layer45.api.spi.FlowTap;
import layer45.mnet.HostAddress;
import layer45.mnet.NetStack;
import layer45.mnet.NetStackStatus;
import layer45.mnet.NetworkProtocolHandler;
import layer45.mnet.PeerLinkStatus;
import layer45.mnet.PeerLinks;
import layer45.mnet.iface.Interface;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.loop.StackOptions;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.phy.linux.UdpTunnelDevice;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.socket.udp.UdpSocket;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpAddress;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv6Address;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The peer links as a component: each link a stack on a {@link UdpTunnelDevice} to another layer45, with its own
 * addresses, the customization runtime's {@link FlowTap}, and every {@link NetworkProtocolHandler} its tunnel can
 * carry (all of them) plugged in; each registered as a {@link NetStack} service with {@value PeerLinks#LINK_PROPERTY}
 * naming it (and a low ranking, so that whoever asks for "the" stack gets the runtime's TUN stack).
 *
 * <p>The links come from the configuration (PID {@value PeerLinkSpec#PID}, one key per link; a change applies at
 * once: changed links are reopened, others are left alone) and from operators ({@link #add}, {@link #remove}),
 * whose edits stay above the configuration until the runtime stops. A link that cannot open is listed with the
 * reason.
 */
@Component(configurationPid = PeerLinkSpec.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = PeerLinks.class, immediate = true,
        property = Constants.SERVICE_DESCRIPTION + "=layer45 peer links")
public final class PeerLinksComponent implements PeerLinks {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    private static final List<String> RESERVED = List.of("component.", "service.", "felix.", "osgi.",
            Constants.OBJECTCLASS);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FlowTap tap;

    private final BundleContext context;
    private final ProtocolPlugs plugs = new ProtocolPlugs();
    /** Guarded by this: the links by name, open or failed. */
    private final Map<String, Link> links = new TreeMap<>();
    /** Guarded by this: the configuration's specifications by name. */
    private Map<String, String> configured = Map.of();
    /** Guarded by this: operators' edits by name, a specification or {@code null} for a removal. */
    private final Map<String, String> edits = new HashMap<>();
    private boolean stopped;

    /** A link: its specification and, when it runs, its stack and registration; else why it does not. */
    private record Link(String name, String text, String source, PeerLinkSpec spec, RunningStack stack,
            ServiceRegistration<NetStack> registration, String failure) {

        PeerLinkStatus status() {
            NetStackStatus status = stack == null ? NetStackStatus.off(failure) : stack.status();
            return new PeerLinkStatus(name, text, source,
                    spec == null ? "" : endpoint(spec.tunnel().local()),
                    spec == null ? "" : endpoint(spec.tunnel().remote()),
                    spec == null ? List.of() : spec.addresses(), status);
        }

        void close() {
            if (registration != null) {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // the bundle is stopping and took it already
                }
            }
            if (stack != null) {
                stack.close();
            }
        }
    }

    /**
     * Opens the configured links.
     *
     * @param properties the configuration: one key per link
     * @param context this bundle's context, to register each link's stack
     */
    @Activate
    public PeerLinksComponent(Map<String, Object> properties, BundleContext context) {
        this.context = context;
        modified(properties);
    }

    /** @param properties the changed configuration: links that changed are reopened */
    @Modified
    synchronized void modified(Map<String, Object> properties) {
        Map<String, String> specs = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (RESERVED.stream().noneMatch(key::startsWith)) {
                specs.put(key, String.valueOf(value));
            }
        });
        configured = specs;
        reconcile();
    }

    /** Closes every link. */
    @Deactivate
    synchronized void stop() {
        stopped = true;
        for (Link link : links.values()) {
            close(link);
        }
        links.clear();
    }

    /**
     * @param handler a network protocol: plugged into every link
     * @param properties its service properties
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProtocol")
    void addProtocol(NetworkProtocolHandler handler, Map<String, Object> properties) {
        plugs.addHandler(handler, properties);
    }

    void removeProtocol(NetworkProtocolHandler handler) {
        plugs.removeHandler(handler);
    }

    /** @param table the host-identifier table: told which plugged-in protocols the links carry */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindHosts")
    void bindHosts(HostTable table) {
        plugs.hosts(table);
    }

    void unbindHosts(HostTable table) {
        plugs.hosts(null);
    }

    @Override
    public synchronized List<PeerLinkStatus> list() {
        return links.values().stream().map(Link::status).toList();
    }

    @Override
    public synchronized PeerLinkStatus add(String name, String spec) {
        PeerLinkSpec.parse(name, spec);
        edits.put(name, spec.strip());
        reconcile();
        Link link = links.get(name);
        if (link.stack() == null) {
            throw new IllegalStateException(link.failure());
        }
        return link.status();
    }

    @Override
    public synchronized boolean remove(String name) {
        boolean known = links.containsKey(name);
        edits.put(name, null);
        reconcile();
        return known;
    }

    @Override
    public Optional<Duration> echo(String name, HostAddress destination, Duration timeout) {
        RunningStack stack;
        synchronized (this) {
            Link link = links.get(name);
            if (link == null || link.stack() == null) {
                throw new IllegalArgumentException(link == null ? "no peer link " + name + " (l45:peer lists them)"
                        : "peer link " + name + " is not running: " + link.failure());
            }
            stack = link.stack();
        }
        return echo(stack, name, destination, timeout);
    }

    /** Opens, reopens and closes links until they match the configuration with operators' edits above it. */
    private void reconcile() {
        if (stopped) {
            return;
        }
        Map<String, String> wanted = new TreeMap<>(configured);
        Map<String, String> sources = new HashMap<>();
        wanted.keySet().forEach(name -> sources.put(name, "config"));
        edits.forEach((name, text) -> {
            if (text == null) {
                wanted.remove(name);
            } else {
                wanted.put(name, text);
                sources.put(name, "shell");
            }
        });
        for (Link link : new ArrayList<>(links.values())) {
            if (!link.text().equals(wanted.get(link.name()))) {
                links.remove(link.name());
                close(link);
            }
        }
        wanted.forEach((name, text) -> {
            if (!links.containsKey(name)) {
                links.put(name, open(name, text, sources.get(name)));
            }
        });
    }

    private Link open(String name, String text, String source) {
        PeerLinkSpec spec;
        try {
            spec = PeerLinkSpec.parse(name, text);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "layer45: peer link " + name + " not opened: " + e.getMessage());
            return new Link(name, text, source, null, null, null, e.getMessage());
        }
        UdpTunnelDevice tunnel;
        try {
            tunnel = UdpTunnelDevice.open(spec.tunnel());
        } catch (IOException | RuntimeException e) {
            String why = "cannot open its tunnel: " + e.getMessage();
            LOG.log(Level.WARNING, "layer45: peer link " + name + " not opened: " + why);
            return new Link(name, text, source, spec, null, null, why);
        }
        RunningStack stack = RunningStack.start(tunnel, new StackOptions(InterfaceConfig.of(spec.ipAddresses()),
                UdpSettings.DEFAULTS, spec.echoPort(), "peer " + name,
                spec.tunnel().namespace() == null ? "" : spec.tunnel().namespace(),
                List.of(endpoint(spec.tunnel().remote()))), () -> tap, Clock.SYSTEM);
        plugs.addStack(stack, "peer link " + name, spec.plugged());
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(PeerLinks.LINK_PROPERTY, name);
        properties.put(Constants.SERVICE_RANKING, -1);
        properties.put(Constants.SERVICE_DESCRIPTION, "layer45 network stack on peer link " + name);
        ServiceRegistration<NetStack> registration = context.registerService(NetStack.class, stack, properties);
        LOG.log(Level.INFO, "layer45: peer link " + name + " open: " + tunnel + ", addresses "
                + String.join(" ", spec.addresses()) + ", protocols " + String.join(" ", stack.protocolNames()));
        return new Link(name, text, source, spec, stack, registration, null);
    }

    private void close(Link link) {
        if (link.stack() != null) {
            plugs.removeStack(link.stack());
            LOG.log(Level.INFO, "layer45: peer link " + link.name() + " closed");
        }
        link.close();
    }

    /** @return an address and port as operators write them: 127.0.0.1:6081, [fd00::1]:6081 */
    private static String endpoint(java.net.InetSocketAddress endpoint) {
        HostAddress address = HostAddress.of(endpoint.getAddress());
        return new HostAddress(address.protocol(), address.address(), endpoint.getPort()).toString();
    }

    /** Sends one datagram to an echo service over the stack and waits for it to come back. */
    private static Optional<Duration> echo(RunningStack stack, String name, HostAddress destination,
            Duration timeout) {
        IpAddress address = IpAddress.of(destination.address());
        long high = address instanceof Ipv6Address v6 ? v6.high() : 0;
        long low = address instanceof Ipv6Address v6 ? v6.low() : ((Ipv4Address) address).bits() & 0xFFFF_FFFFL;
        int port = destination.port() == 0 ? 7 : destination.port();
        byte[] probe = ("layer45 peer echo " + System.nanoTime()).getBytes(UTF_8);
        CompletableFuture<Long> echoed = new CompletableFuture<>();
        long start = System.nanoTime();
        UdpSocket socket = stack.call((iface, udp) -> {
            NetworkLayer layer = layer(iface, destination.protocol(), address);
            if (layer == null) {
                throw new IllegalArgumentException("peer link " + name + " does not speak " + destination.protocol()
                        + "; it speaks " + String.join(", ", iface.layers().stream()
                                .map(l -> l.protocol().name()).toList()));
            }
            UdpSocket bound = udp.bindEphemeral((s, flow, payload) -> {
                if (payload.remaining() == probe.length && payload.equals(ByteBuffer.wrap(probe))) {
                    echoed.complete(System.nanoTime());
                }
            });
            bound.sendTo(layer, high, low, port, ByteBuffer.wrap(probe));
            return bound;
        });
        try {
            return Optional.of(Duration.ofNanos(echoed.get(timeout.toNanos(), TimeUnit.NANOSECONDS) - start));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            stack.call((iface, udp) -> {
                socket.close();
                return null;
            });
        }
    }

    /** @return the layer for a destination: the route for IPv4 and IPv6, the protocol by name for others */
    private static NetworkLayer layer(Interface iface, String protocol, IpAddress address) {
        if (protocol.equals(HostAddress.IPV4) || protocol.equals(HostAddress.IPV6)) {
            return iface.routes().lookup(address);
        }
        return iface.layers().stream().filter(l -> l.protocol().name().equals(protocol)).findFirst().orElse(null);
    }
}
