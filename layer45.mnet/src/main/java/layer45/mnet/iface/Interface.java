package layer45.mnet.iface;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import layer45.mnet.NetworkProtocolHandler;
import layer45.mnet.phy.Device;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.phy.RxHandler;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv6Address;

/**
 * One device and the network layers on it: the stack's interface (smoltcp's {@code Interface}).
 *
 * <p>{@link #poll(int)} takes packets from the device and demultiplexes them by link protocol to IPv4, IPv6 or a
 * plugged-in protocol, which hand them to the transports; replies are sent on the way. It then runs the timers
 * that are due. {@link #pollAt()} says when the next timer is due, so the loop knows how long it may wait.
 *
 * <p>Everything here runs on one thread, the stack's loop thread: no locks on the packet path. A packet the stack
 * itself fails on (a bug) is dropped, counted and logged with its stack trace, and the loop goes on.
 */
public final class Interface {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    private static final long LOG_INTERVAL = TimeUnit.SECONDS.toNanos(10);

    private final Device device;
    private final Clock clock;
    private final InterfaceConfig config;
    private final Transports transports = new Transports();
    private final Routes routes = new Routes();
    private final Ipv4Layer ipv4;
    private final Ipv6Layer ipv6;
    private final List<PluggedLayer> plugged = new ArrayList<>();
    private final EnumCounters<InterfaceEvent> events = new EnumCounters<>(InterfaceEvent.class);
    private final RxHandler dispatcher = this::dispatch;
    private long lastErrorLog = Long.MIN_VALUE;
    /** Plugs and unplugs so far, for those that cache a choice of layer; loop thread. */
    private long layerChanges;

    /**
     * @param device the device
     * @param config own addresses and limits
     * @param clock the stack's clock
     */
    public Interface(Device device, InterfaceConfig config, Clock clock) {
        this.device = device;
        this.clock = clock;
        this.config = config;
        this.ipv4 = new Ipv4Layer(device, config, transports, clock);
        this.ipv6 = new Ipv6Layer(device, config, transports, clock);
        routes.add(IpCidr.parse("0.0.0.0/0"), ipv4);
        routes.add(IpCidr.parse("::/0"), ipv6);
    }

    /** @return the transports, to add to before the interface runs */
    public Transports transports() {
        return transports;
    }

    /** @return the device */
    public Device device() {
        return device;
    }

    /** @return the configuration */
    public InterfaceConfig config() {
        return config;
    }

    /** @return the IPv4 layer */
    public Ipv4Layer ipv4() {
        return ipv4;
    }

    /** @return the IPv6 layer */
    public Ipv6Layer ipv6() {
        return ipv6;
    }

    /** @return the route table */
    public Routes routes() {
        return routes;
    }

    /**
     * Plugs a network protocol in. Loop thread.
     *
     * @param handler the protocol
     * @param ownAddresses the stack's own addresses on it
     * @param prefixes the destinations it carries, written as IPv6 prefixes
     * @return its layer (the one it already has, if it is plugged in)
     * @throws IllegalStateException if another layer already uses its link protocol number
     */
    public PluggedLayer plug(NetworkProtocolHandler handler, List<Ipv6Address> ownAddresses,
            List<IpCidr> prefixes) {
        for (PluggedLayer layer : plugged) {
            if (layer.handler() == handler) {
                return layer;
            }
        }
        int number = handler.linkProtocol();
        if (layerFor(number) != null) {
            throw new IllegalStateException("network protocol " + handler.name() + " wants link protocol "
                    + LinkProtocol.name(number) + ", which " + layerFor(number).protocol() + " already uses");
        }
        PluggedLayer layer = new PluggedLayer(handler, ownAddresses, device, transports, config.hopLimit(), events);
        plugged.add(layer);
        layerChanges++;
        for (IpCidr prefix : prefixes) {
            routes.add(prefix, layer);
        }
        return layer;
    }

    /**
     * Unplugs a network protocol. Loop thread.
     *
     * @param handler the protocol
     * @return whether it was plugged in
     */
    public boolean unplug(NetworkProtocolHandler handler) {
        for (PluggedLayer layer : plugged) {
            if (layer.handler() == handler) {
                plugged.remove(layer);
                routes.removeAll(layer);
                layerChanges++;
                return true;
            }
        }
        return false;
    }

    /**
     * @param linkProtocol a link protocol number
     * @return the network layer for it, or {@code null}
     */
    public NetworkLayer layerFor(int linkProtocol) {
        if (linkProtocol == LinkProtocol.IPV4) {
            return ipv4;
        }
        if (linkProtocol == LinkProtocol.IPV6) {
            return ipv6;
        }
        for (PluggedLayer layer : plugged) {
            if (layer.linkProtocol() == linkProtocol) {
                return layer;
            }
        }
        return null;
    }

    /** @return how many times a protocol was plugged in or unplugged: a change count to poll; loop thread */
    public long layerChanges() {
        return layerChanges;
    }

    /** @return the network layers: IPv4, IPv6, then the plugged-in ones */
    public List<NetworkLayer> layers() {
        List<NetworkLayer> layers = new ArrayList<>(List.of(ipv4, ipv6));
        layers.addAll(plugged);
        return layers;
    }

    /**
     * Takes up to {@code budget} packets from the device, then runs the timers that are due. Never blocks.
     *
     * @param budget the most packets to take (bounds the work of one call under a flood)
     * @return how many packets were taken
     */
    public int poll(int budget) {
        int taken = 0;
        while (taken < budget && device.receive(dispatcher)) {
            taken++;
        }
        long now = clock.nanos();
        if (now - timersDue() >= 0) {
            runTimers();
        }
        return taken;
    }

    /**
     * @return when the next timer is due or a scheduled packet arrives, on the stack's clock;
     *         {@link Long#MAX_VALUE} if nothing is scheduled (the loop then waits for the device)
     */
    public long pollAt() {
        return Math.min(timersDue(), device.nextArrivalNanos());
    }

    /** @return every counter of the interface and its layers, by layer and name; loop thread */
    public Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
        counters.put("interface", events.snapshot());
        counters.put("ipv4", merged(ipv4.events().snapshot(), ipv4.malformed().snapshot()));
        counters.put("icmpv4", ipv4.icmpEvents().snapshot());
        counters.put("reassembly-ipv4", ipv4.reassembly().snapshot());
        counters.put("ipv6", merged(ipv6.events().snapshot(), ipv6.malformed().snapshot()));
        counters.put("icmpv6", ipv6.icmpEvents().snapshot());
        counters.put("reassembly-ipv6", ipv6.reassembly().snapshot());
        for (PluggedLayer layer : plugged) {
            counters.put(layer.protocol().name(), layer.counters());
        }
        return counters;
    }

    /** @return the interface's own counters */
    public EnumCounters<InterfaceEvent> events() {
        return events;
    }

    private long timersDue() {
        long due = Math.min(ipv4.nextDeadline(), ipv6.nextDeadline());
        List<Transport> all = transports.all();
        for (int i = 0; i < all.size(); i++) { // by index: every poll comes here, and an iterator may allocate
            due = Math.min(due, all.get(i).nextDeadline());
        }
        return due;
    }

    private void runTimers() {
        try {
            ipv4.maintain();
            ipv6.maintain();
            for (Transport transport : transports.all()) {
                transport.maintain();
            }
        } catch (RuntimeException e) {
            internalError("running timers", e);
        }
    }

    private void dispatch(int protocol, ByteBuffer packet) {
        events.increment(InterfaceEvent.RECEIVED);
        NetworkLayer layer = layerFor(protocol);
        if (layer == null) {
            events.increment(InterfaceEvent.UNKNOWN_PROTOCOL);
            return;
        }
        try {
            layer.receive(packet);
        } catch (RuntimeException e) {
            internalError("a " + LinkProtocol.name(protocol) + " packet of " + packet.limit() + " bytes", e);
        }
    }

    private void internalError(String what, RuntimeException e) {
        events.increment(InterfaceEvent.INTERNAL_ERROR);
        long now = clock.nanos();
        if (lastErrorLog == Long.MIN_VALUE || now - lastErrorLog >= LOG_INTERVAL) {
            lastErrorLog = now;
            LOG.log(System.Logger.Level.ERROR, "mnet: the stack failed on " + what + " (a bug: please report it with this stack"
                    + " trace); it was dropped and the stack goes on. Further failures in the next 10 s are only"
                    + " counted (interface / internal-error).", e);
        }
    }

    private static Map<String, Long> merged(Map<String, Long> events, Map<String, Long> malformed) {
        Map<String, Long> merged = new LinkedHashMap<>(events);
        malformed.forEach((check, count) -> {
            if (!check.equals("valid")) {
                merged.put("malformed-" + check, count);
            }
        });
        return merged;
    }

    static {
        // Own addresses are typed by the wire package: make sure both families are linked in early.
        Ipv4Address.class.getName();
    }
}
