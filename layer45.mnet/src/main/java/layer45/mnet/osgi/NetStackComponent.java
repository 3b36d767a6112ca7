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
import layer45.mnet.mhost.HostTable;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.loop.StackOptions;
import layer45.mnet.phy.Device;
import layer45.mnet.phy.PcapWriterDevice;
import layer45.mnet.phy.linux.LinkConfigurator;
import layer45.mnet.phy.linux.TunAccess;
import layer45.mnet.phy.linux.TunException;
import layer45.mnet.phy.linux.TunLink;
import layer45.mnet.phy.linux.TunLinkOptions;
import layer45.mnet.phy.linux.NetnsEtc;
import layer45.mnet.owner.OwnerLimits;
import layer45.mnet.owner.OwnerLookup;
import layer45.mnet.owner.OwnerResult;
import layer45.mnet.relay.OwnerSource;
import layer45.mnet.relay.PortForward;
import layer45.mnet.relay.RelaySettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import layer45.mnet.socket.tcp.TcpSettings;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpCidr;
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
 * {@link FlowTap}, and plugs in every {@link NetworkProtocolHandler} service its device can carry (a TUN device: none;
 * peer links, {@link PeerLinksComponent}, carry them). It is registered as {@link NetStack}
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
            "tcp.keepalive.s", "discard.port", "http.port", "http.bytes", "forwards", "host.loopback4",
            "host.loopback6", "dns", "relay.foreign", "relay.connect.timeout.s", "relay.buffer", "drain.s");
    /** The host's resolver configuration: where the relay sends DNS by default, and what the namespace keeps. */
    private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
    /** The name programs in a namespace know the host by (its loopback, as mapped). */
    private static final String HOST_NAME = "host.layer45";
    /** The name {@code ./layer45 exec} gives a namespace of its own: l45- and the client's pid. */
    private static final java.util.regex.Pattern EXEC_NAMESPACE = java.util.regex.Pattern.compile("l45-(\\d{1,9})");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FlowTap tap;

    /** The host-identifier table ({@link MhostComponent}), read for each new flow; see {@link #bindHosts}. */
    private volatile HostTable hosts;

    /** Set up on a thread of its own: creating the link takes a moment, and DS activation must not wait for it. */
    private final Thread setup;
    private final ProtocolPlugs plugs = new ProtocolPlugs();
    private final NetConfig config;
    /**
     * Removes the namespaces, links and /etc/netns files this component made when the JVM is told to exit (SIGTERM,
     * SIGINT) without the framework being stopped first: they are the system's, and would outlive the process.
     */
    private final Thread cleanUpAtExit = new Thread(this::closeAllAtExit, "layer45-net-cleanup");
    private final Object closing = new Object();
    /** Every attached namespace's link and stack, the configured one first; guarded by {@code this}. */
    private final Map<String, Attached> attached = new java.util.LinkedHashMap<>();
    private volatile RunningStack stack;
    private volatile NetStackStatus off = NetStackStatus.off(
            "it is still setting up its TUN link; ask again in a moment");
    private volatile boolean stopping;
    private final FollowingSockets sockets = new FollowingSockets(() -> stack, () -> off.reason());

    /** One namespace wired to the stack: its link, its stack with the relay, and the files of its /etc. */
    private record Attached(String namespace, TunLink link, RunningStack stack, NetnsEtc etc, OwnerLookup owners) {

        void close() {
            try {
                stack.close();
                if (owners != null) {
                    owners.close();
                }
            } finally {
                try {
                    link.close();
                } finally {
                    if (etc != null) {
                        etc.remove();
                    }
                }
            }
        }
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
        this.config = config;
        this.setup = Thread.ofPlatform().name("layer45-net-setup").daemon(true)
                .start(() -> start(config, properties, home(context)));
        Runtime.getRuntime().addShutdownHook(cleanUpAtExit);
    }

    private void start(NetConfig config, Map<String, Object> properties, Path home) {
        try {
            String why = offReason(config, properties);
            if (why != null) {
                stopped(why);
                return;
            }
            sweepOrphans();
            String namespace = config.netns().strip();
            Attached main = open(namespace, true, split(config.forwards()), home);
            synchronized (this) {
                if (stopping) {
                    plugs.removeStack(main.stack());
                    main.close();
                    return;
                }
                attached.put(namespace, main);
                stack = main.stack();
            }
            NetStackStatus status = main.stack().status();
            LOG.log(Level.INFO, "layer45: network stack on " + config.tun()
                    + (namespace.isEmpty() ? "" : " in netns " + namespace) + ": "
                    + String.join(", ", status.addresses()) + " (MTU " + config.mtu() + "); programs there reach"
                    + " it, e.g. " + (namespace.isEmpty() ? "" : "ip netns exec " + namespace + " ")
                    + "ping " + IpCidr.parse(status.addresses().get(0)).address() + ", and reach the host's"
                    + " loopback at " + hostLoopbacks(config));
        } catch (TunException | RuntimeException e) {
            stopped(e.getMessage());
        }
    }

    /**
     * Sets up one namespace: the link, the stack with its relay and forwards, the plugged protocols, its /etc files.
     *
     * @param namespace the namespace, "" for the runtime's own
     * @param create whether to create it when missing
     * @param forwards port forwards into it
     * @param home where relative paths (the capture file) start; {@code null} for no capture
     * @return the attached namespace; nothing is left behind when this throws
     */
    private Attached open(String namespace, boolean create, List<String> forwards, Path home) throws TunException {
        if (!namespace.isEmpty() && !create && !layer45.mnet.phy.linux.NetworkNamespace.exists(namespace)) {
            throw new IllegalArgumentException("network namespace " + namespace + " does not exist (ip netns list"
                    + " shows those that do); create it with ip netns add " + namespace + ", or attach with --create");
        }
        TunLink opened = TunLink.open(linkOptions(config, namespace), new LinkConfigurator());
        RunningStack started = null;
        NetnsEtc etc = null;
        OwnerLookup owners = openOwners(namespace);
        try {
            Device device = opened.device();
            if (home != null && !config.pcap().isBlank()) {
                device = PcapWriterDevice.wrap(device, home.resolve(config.pcap()), Clock.SYSTEM);
            }
            List<PortForward> parsed = forwards.stream().map(PortForward::parse).toList();
            started = RunningStack.start(device, stackOptions(config, namespace), () -> tap, Clock.SYSTEM,
                    relaySettings(config, parsed), ownerSource(owners), () -> hosts);
            plugs.addStack(started, describe(namespace), Map.of());
            if (!namespace.isEmpty()) {
                etc = NetnsEtc.write(namespace, ownAddresses(config), HOST_RESOLV_CONF, hostNames(config));
            }
            return new Attached(namespace, opened, started, etc, owners);
        } catch (RuntimeException e) {
            if (started != null) {
                plugs.removeStack(started);
                started.close();
            }
            if (owners != null) {
                owners.close();
            }
            opened.close();
            throw e;
        }
    }

    /**
     * Deletes the namespaces {@code ./layer45 exec} made for a program ({@code l45-<its pid>}) that a runtime which
     * ended without stopping (killed, crashed) left behind: their program is gone, and nothing else uses them.
     */
    private static void sweepOrphans() {
        for (String name : layer45.mnet.phy.linux.NetworkNamespace.list()) {
            java.util.regex.Matcher m = EXEC_NAMESPACE.matcher(name);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                try {
                    layer45.mnet.phy.linux.NetworkNamespace.delete(name);
                    NetnsEtc.removeLeftovers(name);
                    LOG.log(Level.INFO, "layer45: deleted network namespace " + name + ", left by an earlier runtime"
                            + " for a program that is gone");
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "layer45: could not delete the leftover namespace " + name + ": "
                            + e.getMessage());
                }
            }
        }
    }

    /** @return the lookup of flows' owning programs in a namespace, or {@code null} if it cannot work there */
    private static OwnerLookup openOwners(String namespace) {
        try {
            return namespace.isEmpty() ? OwnerLookup.forOwnNamespace(OwnerLimits.DEFAULTS)
                    : OwnerLookup.forNamespace(namespace, OwnerLimits.DEFAULTS);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "layer45: the owners of flows in " + describe(namespace) + " cannot be found ("
                    + e.getMessage() + "); modules that match a process or thread name will not match there");
            return null;
        }
    }

    private static OwnerSource ownerSource(OwnerLookup owners) {
        if (owners == null) {
            return OwnerSource.NONE;
        }
        return (transport, application, peer) -> {
            OwnerResult result = owners.find(transport, application, peer);
            if (!result.reason().isEmpty()) {
                LOG.log(Level.DEBUG, "layer45: owner of " + transport + " " + application + " -> " + peer + ": "
                        + result.owner() + " (" + result.reason() + ")");
            }
            return result.owner();
        };
    }

    private void stopped(String why) {
        off = NetStackStatus.off(why);
        LOG.log(Level.WARNING, "layer45: network stack off: " + why);
    }

    /**
     * Stops gracefully: refuses new flows, gives open connections {@code net.drain.s} to close, resets the rest,
     * and removes the links and the namespaces created for them.
     */
    @Deactivate
    public void stop() {
        boolean exiting = false;
        try {
            Runtime.getRuntime().removeShutdownHook(cleanUpAtExit);
        } catch (IllegalStateException e) {
            exiting = true; // the JVM is exiting (SIGTERM): logging may be gone already
        }
        closeAll(exiting ? NetStackComponent::toStandardError : message -> LOG.log(Level.INFO, message));
    }

    /**
     * Closes everything once, after draining; a second caller (the exit hook while the framework stops, or the other
     * way round) waits until the first is done, so the JVM does not end while namespaces are being removed.
     *
     * @param report where the lines about the drain go
     */
    private void closeAll(java.util.function.Consumer<String> report) {
        synchronized (closing) {
            drainAll(report);
            closeAllOnce();
        }
    }

    /** A line for the operator while the JVM exits, when logging has been shut down already. */
    private static void toStandardError(String message) {
        System.err.println(message);
        System.err.flush();
    }

    /**
     * Refuses new flows in every attached namespace and waits, up to {@code net.drain.s} in all, for their open TCP
     * connections to close; one line says what was open, one what was left to reset.
     */
    private void drainAll(java.util.function.Consumer<String> report) {
        List<Attached> all;
        synchronized (this) {
            all = List.copyOf(attached.values());
        }
        if (all.isEmpty()) {
            return;
        }
        Duration limit = Duration.ofSeconds(Math.max(0, config.drain_s()));
        long start = System.nanoTime();
        int open = all.stream().mapToInt(a -> a.stack().openConnections()).sum();
        report.accept("layer45: stopping the network stack: new flows refused; " + open + " open TCP connection"
                + (open == 1 ? "" : "s") + (open == 0 ? "" : ", given up to " + limit.toSeconds() + " s to close"));
        int left = 0;
        try {
            for (Attached a : all) {
                Duration remaining = limit.minusNanos(System.nanoTime() - start);
                left += a.stack().drain(remaining.isNegative() ? Duration.ZERO : remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (open > 0) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            report.accept(left == 0 ? "layer45: drained: every connection closed within " + millis + " ms"
                    : "layer45: drain time over (" + limit.toSeconds() + " s): resetting " + left
                            + " connection" + (left == 1 ? "" : "s") + " still open");
        }
    }

    /** The exit hook: logging may be gone by now, so what it does goes to standard error. */
    private void closeAllAtExit() {
        List<String> namespaces;
        synchronized (this) {
            namespaces = List.copyOf(attached.keySet());
        }
        try {
            closeAll(NetStackComponent::toStandardError);
            if (namespaces.isEmpty()) {
                return; // the stack was off: nothing was attached
            }
            List<String> left = namespaces.stream().filter(n -> !n.isEmpty())
                    .filter(layer45.mnet.phy.linux.NetworkNamespace::exists).toList();
            System.err.println("layer45: exiting: detached " + namespaces.stream().map(NetStackComponent::describe)
                    .collect(java.util.stream.Collectors.joining(", "))
                    + (left.isEmpty() ? "" : "; still there: " + left + " (ip netns del NAME removes them)"));
        } catch (RuntimeException | Error e) {
            System.err.println("layer45: exiting: detaching " + namespaces + " failed: " + e);
            throw e;
        }
    }

    private void closeAllOnce() {
        synchronized (this) {
            stopping = true;
        }
        try {
            setup.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Attached> all;
        synchronized (this) {
            all = new ArrayList<>(attached.values());
            attached.clear();
            stack = null;
        }
        for (Attached a : all.reversed()) {
            try {
                plugs.removeStack(a.stack());
                a.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "layer45: detaching " + describe(a.namespace()) + " failed: " + e.getMessage(),
                        e);
            }
        }
        off = NetStackStatus.off("the network stack was stopped");
    }

    /**
     * Plugs a network protocol into the stacks whose device can carry it (a TUN device carries only IPv4 and IPv6).
     *
     * @param handler the protocol
     * @param properties its service properties ({@link layer45.mnet.NetworkProtocolService})
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProtocol")
    void addProtocol(NetworkProtocolHandler handler, Map<String, Object> properties) {
        plugs.addHandler(handler, properties);
    }

    void removeProtocol(NetworkProtocolHandler handler) {
        plugs.removeHandler(handler);
    }

    /** @param table the host-identifier table: told which plugged-in protocols the stacks carry */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindHosts")
    void bindHosts(HostTable table) {
        hosts = table;
        plugs.hosts(table);
    }

    void unbindHosts(HostTable table) {
        if (hosts == table) {
            hosts = null;
            plugs.hosts(null);
        }
    }

    @Override
    public NetStackStatus status() {
        RunningStack running = stack;
        return running == null ? off : running.status();
    }

    /** Sums each counter over every attached namespace's stack. */
    @Override
    public Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> sums = new java.util.LinkedHashMap<>();
        List<Attached> all;
        synchronized (this) {
            all = List.copyOf(attached.values());
        }
        for (Attached a : all) {
            Map<String, Map<String, Long>> counters = new java.util.LinkedHashMap<>(a.stack().counters());
            if (a.owners() != null) {
                counters.put("owner", a.owners().counters());
            }
            counters.forEach((layer, values) -> {
                Map<String, Long> sum = sums.computeIfAbsent(layer, k -> new java.util.LinkedHashMap<>());
                values.forEach((name, value) -> sum.merge(name, value, Long::sum));
            });
        }
        return sums;
    }

    @Override
    public List<TcpConnectionStatus> tcpConnections() {
        List<TcpConnectionStatus> all = new ArrayList<>();
        for (RunningStack running : stacks()) {
            all.addAll(running.tcpConnections());
        }
        return all;
    }

    @Override
    public List<UdpFlowStatus> udpFlows() {
        List<UdpFlowStatus> all = new ArrayList<>();
        for (RunningStack running : stacks()) {
            all.addAll(running.udpFlows());
        }
        return all;
    }

    @Override
    public NetStackStatus attach(NamespaceRequest request) {
        synchronized (this) {
            if (stack == null || stopping) {
                throw new IllegalStateException("the network stack is off: " + status().reason());
            }
            if (attached.containsKey(request.name())) {
                throw new IllegalStateException("network namespace " + request.name() + " is attached already;"
                        + " detach it first, or pick another name");
            }
            Attached a;
            try {
                a = open(request.name(), request.create(), request.forwards(), null);
            } catch (TunException e) {
                throw new IllegalStateException("cannot attach " + request.name() + ": " + e.getMessage(), e);
            }
            attached.put(request.name(), a);
            LOG.log(Level.INFO, "layer45: network namespace " + request.name() + " attached"
                    + (request.forwards().isEmpty() ? "" : ", forwarding " + String.join(", ", request.forwards())));
            return a.stack().status();
        }
    }

    @Override
    public boolean detach(String namespace) {
        Attached a;
        synchronized (this) {
            if (namespace.equals(config.netns().strip())) {
                throw new IllegalArgumentException("network namespace " + namespace + " is the configured one"
                        + " (net.netns); it stays attached while the stack runs");
            }
            a = attached.remove(namespace);
        }
        if (a == null) {
            return false;
        }
        plugs.removeStack(a.stack());
        a.close();
        LOG.log(Level.INFO, "layer45: network namespace " + namespace + " detached");
        return true;
    }

    /** The sockets of the configured namespace's stack (the runtime's own namespace unless net.netns says). */
    @Override
    public layer45.mnet.HostSockets sockets() {
        return sockets;
    }

    @Override
    public List<NetStackStatus> links() {
        return stacks().stream().map(RunningStack::status).toList();
    }

    private synchronized List<RunningStack> stacks() {
        return attached.values().stream().map(Attached::stack).toList();
    }

    private static String describe(String namespace) {
        return namespace.isEmpty() ? "the runtime's own namespace" : "network namespace " + namespace;
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

    private static TunLinkOptions linkOptions(NetConfig config, String netns) {
        List<String> peers = new ArrayList<>();
        peer(config.address4(), config.peer4(), peers);
        peer(config.address6(), config.peer6(), peers);
        int queue = config.txqueuelen() > 0 ? config.txqueuelen() : TunLinkOptions.queueLengthFor(config.mtu());
        String namespace = netns.isEmpty() ? null : netns;
        return new TunLinkOptions(config.tun(), namespace, config.mtu(), queue, peers, namespace != null);
    }

    /** The relay's settings: the host-loopback addresses, where DNS goes, the forwards. */
    private static RelaySettings relaySettings(NetConfig config, List<PortForward> forwards) {
        List<InetSocketAddress> dns;
        String setting = config.dns().strip();
        if (setting.equals("auto")) {
            dns = NetnsEtc.nameservers(HOST_RESOLV_CONF);
        } else {
            dns = new ArrayList<>();
            for (String server : split(setting)) {
                dns.add(dnsServer(server));
            }
        }
        return new RelaySettings(Duration.ofSeconds(config.relay_connect_timeout_s()), config.relay_buffer(),
                optionalAddress(config.host_loopback4()), optionalAddress(config.host_loopback6()), dns,
                config.relay_foreign(), forwards);
    }

    /** The stack's own addresses, which the namespace uses as its resolver. */
    private static List<InetAddress> ownAddresses(NetConfig config) {
        List<InetAddress> own = new ArrayList<>();
        for (String address : List.of(config.address4(), config.address6())) {
            if (!address.isBlank()) {
                own.add(IpCidr.parse(address.strip()).address().toInetAddress());
            }
        }
        return own;
    }

    /** The name the namespace knows the host by: its loopback as mapped. */
    private static Map<InetAddress, String> hostNames(NetConfig config) {
        Map<InetAddress, String> names = new java.util.LinkedHashMap<>();
        for (String address : List.of(config.host_loopback4(), config.host_loopback6())) {
            InetAddress parsed = optionalAddress(address);
            if (parsed != null) {
                names.put(parsed, HOST_NAME);
            }
        }
        return names;
    }

    private static String hostLoopbacks(NetConfig config) {
        List<String> mapped = hostNames(config).keySet().stream()
                .map(a -> layer45.mnet.wire.IpAddress.of(a).toString()).toList();
        return mapped.isEmpty() ? "(no address: net.host.loopback4/6 are empty)"
                : String.join(" and ", mapped) + " (" + HOST_NAME + ")";
    }

    /** @return a DNS server written as ADDRESS, ADDRESS:PORT or [IPv6]:PORT, on port 53 unless it says */
    private static InetSocketAddress dnsServer(String text) {
        layer45.mnet.HostAddress server;
        try {
            server = layer45.mnet.HostAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("net.dns server " + e.getMessage(), e);
        }
        if (!server.protocol().equals(layer45.mnet.HostAddress.IPV4)
                && !server.protocol().equals(layer45.mnet.HostAddress.IPV6)) {
            throw new IllegalArgumentException("net.dns server " + text + " must be an IPv4 or IPv6 address");
        }
        return server.socketAddress(53);
    }

    private static InetAddress optionalAddress(String text) {
        return text.isBlank() ? null : layer45.mnet.wire.IpAddress.parse(text.strip()).toInetAddress();
    }

    /** @return the items of a list setting, separated by commas or spaces */
    private static List<String> split(String list) {
        return java.util.Arrays.stream(list.split("[,\\s]+")).filter(item -> !item.isBlank()).toList();
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

    private static StackOptions stackOptions(NetConfig config, String namespace) {
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
                config.http_bytes(), config.tun(), namespace, peers);
    }

    private static Path home(BundleContext context) {
        String home = context.getProperty("layer45.home");
        return Path.of(home == null || home.isBlank() ? "" : home).toAbsolutePath();
    }
}
