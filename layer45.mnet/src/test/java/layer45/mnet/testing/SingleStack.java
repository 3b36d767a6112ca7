package layer45.mnet.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import layer45.api.spi.FlowTap;
import layer45.mnet.frag.ReassemblyLimits;
import layer45.mnet.iface.Interface;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.socket.udp.UdpLayer;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.time.ManualClock;
import layer45.mnet.wire.IpCidr;

/**
 * One stack under test, driven by hand: an {@link Interface} with {@link UdpLayer} on one end of a
 * {@link MemoryLink}, a {@link ManualClock}, and a {@link PacketInjector} on the other end. A test injects packets,
 * then reads what the stack sent back and which counters moved.
 */
public final class SingleStack {

    /** What one exchange produced: the packets the stack sent, and the counters that moved (by how much). */
    public record Exchange(List<SentPacket> sent, Map<String, Long> moved) {

        /** @return the only packet sent */
        public SentPacket only() {
            if (sent.size() != 1) {
                throw new AssertionError("expected exactly one packet from the stack, got " + sent.size() + ": "
                        + sent + "; counters moved: " + moved);
            }
            return sent.getFirst();
        }
    }

    private final ManualClock clock;
    private final MemoryLink link;
    private final Interface iface;
    private final UdpLayer udp;
    private final PacketInjector far;

    private SingleStack(Builder builder) {
        this.clock = new ManualClock(TimeUnit.SECONDS.toNanos(1000));
        this.link = MemoryLink.create(new MemoryLinkOptions("under-test", builder.mtu, 1024), clock);
        InterfaceConfig config = new InterfaceConfig(builder.addresses.stream().map(IpCidr::parse).toList(),
                builder.terminateForeign, InterfaceConfig.DEFAULT_HOP_LIMIT, builder.icmpRate, builder.icmpBurst,
                ReassemblyLimits.IPV4, ReassemblyLimits.IPV6);
        this.iface = new Interface(link.a(), config, clock);
        this.udp = new UdpLayer(builder.udp, clock, builder.tap, () -> { });
        iface.transports().add(udp);
        this.far = new PacketInjector(link.b());
    }

    /** @return a builder: own addresses 10.0.0.1/24 and fd00::1/64, foreign destinations dropped */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the stack's clock */
    public ManualClock clock() {
        return clock;
    }

    /** @return the interface */
    public Interface iface() {
        return iface;
    }

    /** @return UDP */
    public UdpLayer udp() {
        return udp;
    }

    /** @return the far end of the link */
    public PacketInjector far() {
        return far;
    }

    /** @return the link */
    public MemoryLink link() {
        return link;
    }

    /** Injects an IPv4 packet, lets the stack process it, and returns what came out. */
    public Exchange send4(byte[] packet) {
        return exchange(LinkProtocol.IPV4, packet);
    }

    /** Injects an IPv6 packet, lets the stack process it, and returns what came out. */
    public Exchange send6(byte[] packet) {
        return exchange(LinkProtocol.IPV6, packet);
    }

    /** Injects packets in order, lets the stack process them, and returns what came out. */
    public Exchange exchange(int linkProtocol, byte[]... packets) {
        return exchange(linkProtocol, List.of(packets));
    }

    /** Injects packets in order, lets the stack process them, and returns what came out. */
    public Exchange exchange(int linkProtocol, List<byte[]> packets) {
        return observe(() -> {
            for (byte[] packet : packets) {
                far.inject(linkProtocol, packet);
            }
        });
    }

    /** Runs {@code action}, then polls the stack until it is idle; returns what came out and what moved. */
    public Exchange observe(Runnable action) {
        Map<String, Long> before = counters();
        action.run();
        poll();
        return new Exchange(far.drain(), moved(before, counters()));
    }

    /** Moves the clock, runs the timers that became due, and returns what came out. */
    public Exchange advance(Duration duration) {
        return observe(() -> clock.advance(duration.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** Polls until the stack takes no more packets (bounded). */
    public void poll() {
        for (int round = 0; round < 10_000 && iface.poll(64) > 0; round++) {
            // each round takes up to 64 packets
        }
    }

    /**
     * @return every counter of the interface, its layers and UDP, flattened as {@code layer/name}: UDP's under
     *         {@code udp/…} and {@code udp/malformed-…}
     */
    public Map<String, Long> counters() {
        Map<String, Long> all = new LinkedHashMap<>();
        iface.counters().forEach((layer, counters) -> counters.forEach((name, value) -> all.put(layer + "/" + name,
                value)));
        udp.events().snapshot().forEach((name, value) -> all.put("udp/" + name, value));
        udp.malformed().snapshot().forEach((name, value) -> {
            if (!name.equals("valid")) {
                all.put("udp/malformed-" + name, value);
            }
        });
        return all;
    }

    /**
     * Writes expected counter movements tersely: {@code counts("ipv4/received", "ipv4/sent=3")} is one receive
     * and three sends.
     *
     * @param entries {@code layer/name} (moved by one) or {@code layer/name=delta}
     * @return the map to compare with {@link Exchange#moved()}
     */
    public static Map<String, Long> counts(String... entries) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals < 0) {
                counts.merge(entry, 1L, Long::sum);
            } else {
                counts.merge(entry.substring(0, equals), Long.parseLong(entry.substring(equals + 1)), Long::sum);
            }
        }
        return counts;
    }

    private static Map<String, Long> moved(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> moved = new LinkedHashMap<>();
        after.forEach((name, value) -> {
            long delta = value - before.getOrDefault(name, 0L);
            if (delta != 0) {
                moved.put(name, delta);
            }
        });
        return moved;
    }

    /** How to build the stack. */
    public static final class Builder {

        private List<String> addresses = List.of("10.0.0.1/24", "fd00::1/64");
        private boolean terminateForeign;
        private int icmpRate = 1000;
        private int icmpBurst = 50;
        private UdpSettings udp = UdpSettings.DEFAULTS;
        private Supplier<FlowTap> tap = () -> null;
        private int mtu = 1500;

        private Builder() {
        }

        /** @return this, with these own addresses */
        public Builder addresses(String... addresses) {
            this.addresses = List.of(addresses);
            return this;
        }

        /** @return this, taking packets to foreign addresses (a transparent proxy) */
        public Builder terminateForeign() {
            this.terminateForeign = true;
            return this;
        }

        /** @return this, with this ICMP error rate limit */
        public Builder icmpErrors(int perSecond, int burst) {
            this.icmpRate = perSecond;
            this.icmpBurst = burst;
            return this;
        }

        /** @return this, with these UDP bounds */
        public Builder udp(int maxFlows, Duration idleTimeout) {
            this.udp = new UdpSettings(maxFlows, idleTimeout);
            return this;
        }

        /** @return this, with a customization runtime */
        public Builder tap(FlowTap tap) {
            this.tap = () -> tap;
            return this;
        }

        /** @return this, with this link MTU */
        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /** @return the stack */
        public SingleStack build() {
            return new SingleStack(this);
        }
    }
}
