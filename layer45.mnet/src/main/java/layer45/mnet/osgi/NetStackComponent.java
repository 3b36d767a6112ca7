package layer45.mnet.osgi;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import layer45.api.spi.FlowTap;
import layer45.mnet.NamespaceRequest;
import layer45.mnet.NetStack;
import layer45.mnet.NetStackStatus;
import layer45.mnet.NetworkProtocolHandler;
import layer45.mnet.TcpConnectionStatus;
import layer45.mnet.UdpFlowStatus;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.loop.StackOptions;
import layer45.mnet.phy.Device;
import layer45.mnet.phy.PcapWriterDevice;
import layer45.mnet.phy.linux.LinkConfigurator;
import layer45.mnet.phy.linux.TunAccess;
import layer45.mnet.phy.linux.TunException;
import layer45.mnet.phy.linux.TunLink;
import layer45.mnet.phy.linux.TunLinkOptions;
import layer45.mnet.socket.tcp.TcpSettings;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.Ipv6Address;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The network stack as a Declarative Services component: the composition root of {@code layer45.mnet}.
 *
 * <p>From its configuration ({@link NetConfig}, PID {@value #PID}) it sets up the TUN link in its namespace
 * ({@link TunLink}), starts the stack on it ({@link RunningStack}) with the customization runtime's
 * {@link FlowTap}, and plugs in every {@link NetworkProtocolHandler} service. It is registered as {@link NetStack}
 * whether or not the stack could start: when it cannot (no privilege to create a TUN device, a bad setting), the
 * component says so in one log line, with the fix, and its status carries the same line.
 */
@Component(configurationPid = NetStackComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = NetStack.class, immediate = true,
        property = Constants.SERVICE_DESCRIPTION + "=layer45 network stack")
@Designate(ocd = NetConfig.class)
public final class NetStackComponent implements NetStack {

    /** Configuration PID of the stack's settings. */
    public static final String PID = "layer45.net";

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    private static final Set<String> KEYS = Set.of("enabled", "netns", "tun", "mtu", "address4", "peer4",
            "address6", "peer6", "txqueuelen", "echo.port", "udp.max.flows", "udp.idle.s", "icmp.rate", "icmp.burst",
            "pcap", "tcp.max.connections", "tcp.send.buffer", "tcp.receive.buffer", "tcp.memory.mb", "tcp.congestion",
            "tcp.keepalive.s", "discard.port", "http.port", "http.bytes");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FlowTap tap;

    /** Set up on a thread of its own: creating the link takes a moment, and DS activation must not wait for it. */
    private final Thread setup;
    private final List<Plugged> protocols = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile TunLink link;
    private volatile RunningStack stack;
    private volatile NetStackStatus off = NetStackStatus.off(
            "it is still setting up its TUN link; ask again in a moment");
    private volatile boolean stopping;

    /** A plugged-in protocol and its service properties. */
    private record Plugged(NetworkProtocolHandler handler, Map<String, Object> properties) {
    }

    /**
     * Starts setting up the link and the stack, or records why not.
     *
     * @param config the settings
     * @param properties the same, raw: unknown keys are refused
     * @param context this bundle's context, for {@code layer45.home}
     */
    @Activate
    public NetStackComponent(NetConfig config, Map<String, Object> properties, BundleContext context) {
        this.setup = Thread.ofPlatform().name("layer45-net-setup").daemon(true)
                .start(() -> start(config, properties, home(context)));
    }

    private void start(NetConfig config, Map<String, Object> properties, Path home) {
        TunLink opened = null;
        try {
            String why = offReason(config, properties);
            if (why != null) {
                stopped(why);
                return;
            }
            opened = TunLink.open(linkOptions(config), new LinkConfigurator());
            Device device = opened.device();
            if (!config.pcap().isBlank()) {
                device = PcapWriterDevice.wrap(device, home.resolve(config.pcap()), Clock.SYSTEM);
            }
            RunningStack started = RunningStack.start(device, stackOptions(config), () -> tap, Clock.SYSTEM);
            synchronized (this) {
                link = opened;
                stack = started;
                if (stopping) {
                    return;
                }
            }
            for (Plugged plugged : protocols) {
                plug(started, plugged);
            }
            NetStackStatus status = started.status();
            LOG.log(Level.INFO, "layer45: network stack on " + config.tun()
                    + (config.netns().isBlank() ? "" : " in netns " + config.netns()) + ": "
                    + String.join(", ", status.addresses()) + " (MTU " + config.mtu() + "); programs there reach"
                    + " it, e.g. " + (config.netns().isBlank() ? "" : "ip netns exec " + config.netns() + " ")
                    + "ping " + IpCidr.parse(status.addresses().get(0)).address());
        } catch (TunException | RuntimeException e) {
            if (opened != null && stack == null) {
                opened.close();
            }
            stopped(e.getMessage());
        }
    }

    private void stopped(String why) {
        off = NetStackStatus.off(why);
        LOG.log(Level.WARNING, "layer45: network stack off: " + why);
    }

    /** Stops the stack, closes its flows, and removes the link and the namespace it created. */
    @Deactivate
    public void stop() {
        synchronized (this) {
            stopping = true;
        }
        try {
            setup.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stack != null) {
            stack.close();
        }
        if (link != null) {
            link.close();
        }
        off = NetStackStatus.off("the network stack was stopped");
        stack = null;
    }

    /**
     * Plugs a network protocol in.
     *
     * @param handler the protocol
     * @param properties its service properties ({@link layer45.mnet.NetworkProtocolService})
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProtocol")
    void addProtocol(NetworkProtocolHandler handler, Map<String, Object> properties) {
        Plugged plugged = new Plugged(handler, properties);
        protocols.add(plugged);
        RunningStack running = stack;
        if (running != null) {
            plug(running, plugged);
        }
    }

    void removeProtocol(NetworkProtocolHandler handler) {
        protocols.removeIf(plugged -> plugged.handler() == handler);
        RunningStack running = stack;
        if (running != null) {
            running.unplug(handler);
        }
    }

    private static void plug(RunningStack stack, Plugged plugged) {
        NetworkProtocolHandler handler = plugged.handler();
        try {
            List<Ipv6Address> addresses = strings(plugged.properties().get("layer45.mnet.addresses")).stream()
                    .map(Ipv6Address::parse).toList();
            List<IpCidr> routes = strings(plugged.properties().get("layer45.mnet.routes")).stream()
                    .map(IpCidr::parse).toList();
            stack.plug(handler, addresses, routes);
            LOG.log(Level.INFO, "layer45: network protocol " + handler.name() + " plugged in: addresses " + addresses
                    + ", routes " + routes);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "layer45: network protocol " + handler.getClass().getName() + " refused: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public NetStackStatus status() {
        RunningStack running = stack;
        return running == null ? off : running.status();
    }

    @Override
    public Map<String, Map<String, Long>> counters() {
        RunningStack running = stack;
        return running == null ? Map.of() : running.counters();
    }

    @Override
    public List<TcpConnectionStatus> tcpConnections() {
        RunningStack running = stack;
        return running == null ? List.of() : running.tcpConnections();
    }

    @Override
    public List<UdpFlowStatus> udpFlows() {
        RunningStack running = stack;
        return running == null ? List.of() : running.udpFlows();
    }

    @Override
    public NetStackStatus attach(NamespaceRequest request) {
        throw new IllegalStateException("attaching namespaces is not built yet");
    }

    @Override
    public boolean detach(String namespace) {
        return false;
    }

    @Override
    public List<NetStackStatus> links() {
        RunningStack running = stack;
        return running == null ? List.of() : List.of(running.status());
    }

    private static String offReason(NetConfig config, Map<String, Object> properties) {
        Set<String> unknown = new TreeSet<>();
        for (String key : properties.keySet()) {
            if (!KEYS.contains(key) && !key.startsWith("component.") && !key.startsWith("service.")
                    && !key.startsWith("felix.") && !key.startsWith("osgi.") && !key.equals(Constants.OBJECTCLASS)) {
                unknown.add("net." + key);
            }
        }
        if (!unknown.isEmpty()) {
            return "unknown setting(s) " + String.join(", ", unknown) + "; the stack knows net."
                    + String.join(", net.", new TreeSet<>(KEYS));
        }
        if (!config.enabled()) {
            return "disabled by net.enabled=false";
        }
        return TunAccess.unavailableReason();
    }

    private static TunLinkOptions linkOptions(NetConfig config) {
        List<String> peers = new ArrayList<>();
        peer(config.address4(), config.peer4(), peers);
        peer(config.address6(), config.peer6(), peers);
        int queue = config.txqueuelen() > 0 ? config.txqueuelen() : TunLinkOptions.queueLengthFor(config.mtu());
        String namespace = config.netns().isBlank() ? null : config.netns().strip();
        return new TunLinkOptions(config.tun(), namespace, config.mtu(), queue, peers, namespace != null);
    }

    /** The namespace's side of the link gets the peer address with the prefix length of the stack's address. */
    private static void peer(String address, String peer, List<String> peers) {
        if (address.isBlank() || peer.isBlank()) {
            return;
        }
        IpCidr own = IpCidr.parse(address.strip());
        IpCidr theirs = new IpCidr(layer45.mnet.wire.IpAddress.parse(peer.strip()), own.prefixLength());
        if (!own.network().equals(theirs.network()) || own.address().equals(theirs.address())) {
            throw new IllegalArgumentException("peer address " + peer + " must be another address in " + own.network()
                    + ", the stack's link");
        }
        peers.add(theirs.toString());
    }

    private static StackOptions stackOptions(NetConfig config) {
        List<IpCidr> addresses = new ArrayList<>();
        for (String address : List.of(config.address4(), config.address6())) {
            if (!address.isBlank()) {
                addresses.add(IpCidr.parse(address.strip()));
            }
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("the stack needs an address: set net.address4 or net.address6");
        }
        InterfaceConfig base = InterfaceConfig.of(addresses);
        InterfaceConfig iface = new InterfaceConfig(addresses, true, base.hopLimit(), config.icmp_rate(),
                config.icmp_burst(), base.ipv4Reassembly(), base.ipv6Reassembly());
        UdpSettings udp = new UdpSettings(config.udp_max_flows(), Duration.ofSeconds(config.udp_idle_s()));
        List<String> peers = new ArrayList<>();
        peer(config.address4(), config.peer4(), peers);
        peer(config.address6(), config.peer6(), peers);
        TcpSettings d = TcpSettings.DEFAULTS;
        TcpSettings tcp = new TcpSettings(config.tcp_max_connections(), config.tcp_send_buffer(),
                config.tcp_receive_buffer(), (long) config.tcp_memory_mb() << 20, d.synBacklog(), d.acceptBacklog(),
                d.minRto(), d.maxRto(), d.initialRto(), d.delayedAck(), d.synRetries(), d.dataRetries(),
                Duration.ofSeconds(config.tcp_keepalive_s()), d.keepAliveInterval(), d.keepAliveProbes(), d.timeWait(),
                d.finWait2Timeout(), config.tcp_congestion().strip(), d.sack(), d.timestamps(), d.windowScaling());
        return new StackOptions(iface, udp, tcp, config.echo_port(), config.discard_port(), config.http_port(),
                config.http_bytes(), config.tun(), config.netns().strip(), peers);
    }

    private static Path home(BundleContext context) {
        String home = context.getProperty("layer45.home");
        return Path.of(home == null || home.isBlank() ? "" : home).toAbsolutePath();
    }

    private static List<String> strings(Object value) {
        if (value instanceof String text) {
            return List.of(text);
        }
        if (value instanceof String[] texts) {
            return List.of(texts);
        }
        if (value instanceof java.util.Collection<?> items) {
            return items.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
