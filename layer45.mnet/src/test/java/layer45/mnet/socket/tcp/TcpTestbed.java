package layer45.mnet.socket.tcp;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import layer45.mnet.iface.Interface;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.phy.Device;
import layer45.mnet.phy.FaultInjectingDevice;
import layer45.mnet.phy.FaultOptions;
import layer45.mnet.phy.ForwardingDevice;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.phy.TxWriter;
import layer45.mnet.testing.Netsim;
import layer45.mnet.time.ManualClock;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv4Packet;
import layer45.mnet.wire.Ipv6Address;
import layer45.mnet.wire.Ipv6Packet;
import layer45.mnet.wire.TcpPacket;
import layer45.mnet.wire.TcpRepr;

/**
 * Two stacks with TCP on an in-memory link, driven by {@link Netsim} on a manual clock: A (10.0.0.1, fd00::1) and
 * B (10.0.0.2, fd00::2). Each stack's device is a {@link Wire} (it records and may drop what its stack sends) over a
 * {@link FaultInjectingDevice} (seeded faults on what its stack receives) over one end of a {@link MemoryLink}.
 * ISNs and ephemeral ports are random, but nothing else is: a run repeats exactly in time and counters.
 */
final class TcpTestbed {

    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;
    static final long A_V4 = Ipv4Address.parse("10.0.0.1").bits() & 0xFFFF_FFFFL;
    static final long B_V4 = Ipv4Address.parse("10.0.0.2").bits() & 0xFFFF_FFFFL;
    static final Ipv6Address A_V6 = Ipv6Address.parse("fd00::1");
    static final Ipv6Address B_V6 = Ipv6Address.parse("fd00::2");

    final ManualClock clock = new ManualClock(1000 * SECOND);
    final MemoryLink link;
    final Wire wireA;
    final Wire wireB;
    final FaultInjectingDevice faultsA;
    final FaultInjectingDevice faultsB;
    final Interface ifaceA;
    final Interface ifaceB;
    final TcpLayer a;
    final TcpLayer b;
    final Netsim sim;

    TcpTestbed(TcpSettings settingsA, TcpSettings settingsB, FaultOptions faults, int mtu) {
        link = MemoryLink.create(new MemoryLinkOptions("tcp-sim", mtu, 8192), clock);
        faultsA = FaultInjectingDevice.wrap(link.a(), faults, clock);
        faultsB = FaultInjectingDevice.wrap(link.b(), faults.withSeed(faults.seed() + 1), clock);
        wireA = new Wire(faultsA);
        wireB = new Wire(faultsB);
        ifaceA = new Interface(wireA, InterfaceConfig.of(List.of(IpCidr.parse("10.0.0.1/24"),
                IpCidr.parse("fd00::1/64"))), clock);
        ifaceB = new Interface(wireB, InterfaceConfig.of(List.of(IpCidr.parse("10.0.0.2/24"),
                IpCidr.parse("fd00::2/64"))), clock);
        a = new TcpLayer(settingsA, clock);
        b = new TcpLayer(settingsB, clock);
        ifaceA.transports().add(a);
        ifaceB.transports().add(b);
        sim = new Netsim(clock, ifaceA, ifaceB);
    }

    TcpTestbed(TcpSettings settings, FaultOptions faults) {
        this(settings, settings, faults, 1500);
    }

    TcpTestbed(TcpSettings settings) {
        this(settings, settings, FaultOptions.NONE, 1500);
    }

    /** Opens a connection from A to B's port over IPv4. */
    TcpConnection connectAtoB(int port, TcpHandler handler) {
        return a.connect(ifaceA.ipv4(), 0, B_V4, port, handler);
    }

    /**
     * Listens on B's port, opens a connection from A to it over IPv4, and runs until both ends are open.
     *
     * @return the connection's two ends
     */
    Ends openAtoB(int port, RecordingHandler client, RecordingHandler server) {
        TcpConnection[] accepted = new TcpConnection[1];
        b.listen(null, 0, 0, true, port, keeping(accepted, server));
        TcpConnection atA = connectAtoB(port, client);
        if (!runUntil(() -> accepted[0] != null && server.opened && client.opened, SECOND)) {
            throw new AssertionError("the connection did not open within a second");
        }
        return new Ends(atA, accepted[0]);
    }

    /** The two ends of one connection: {@code a} on stack A, {@code b} on stack B. */
    record Ends(TcpConnection a, TcpConnection b) {
    }

    /** @return an acceptor that hands every connection to {@code handler} and keeps the latest in {@code into[0]} */
    static TcpAcceptor keeping(TcpConnection[] into, TcpHandler handler) {
        return conn -> {
            into[0] = conn;
            return handler;
        };
    }

    /** Opens a connection from B to A's port over IPv4. */
    TcpConnection connectBtoA(int port, TcpHandler handler) {
        return b.connect(ifaceB.ipv4(), 0, A_V4, port, handler);
    }

    /** Opens a connection from A to B's port over IPv6. */
    TcpConnection connectAtoB6(int port, TcpHandler handler) {
        return a.connect(ifaceA.ipv6(), B_V6.high(), B_V6.low(), port, handler);
    }

    boolean runUntil(BooleanSupplier done, long maxNanos) {
        return sim.runUntil(done, maxNanos);
    }

    /** Runs for a while of simulated time, whatever happens. */
    void run(long nanos) {
        sim.runUntil(() -> false, nanos);
    }

    /** Runs for a while of simulated time, whatever happens. */
    void run(Duration duration) {
        run(duration.toNanos());
    }

    long now() {
        return clock.nanos();
    }

    /** @return the counters of a TCP layer that are not zero, sorted by name */
    static Map<String, Long> nonZero(TcpLayer tcp) {
        Map<String, Long> m = new TreeMap<>();
        tcp.events().snapshot().forEach((k, v) -> {
            if (v != 0) {
                m.put(k, v);
            }
        });
        return m;
    }

    static long count(TcpLayer tcp, TcpEvent event) {
        return tcp.events().get(event);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Settings
    // -------------------------------------------------------------------------------------------------------------

    /** A mutable copy of {@link TcpSettings} for tests: change what matters, then {@link #build()}. */
    static final class Knobs {
        int maxConnections = 65536;
        int sendBuffer = 256 * 1024;
        int receiveBuffer = 256 * 1024;
        long memoryLimit = 1L << 30;
        int synBacklog = 1024;
        int acceptBacklog = 1024;
        Duration minRto = Duration.ofMillis(200);
        Duration maxRto = Duration.ofSeconds(120);
        Duration initialRto = Duration.ofSeconds(1);
        Duration delayedAck = Duration.ofMillis(40);
        int synRetries = 6;
        int dataRetries = 15;
        Duration keepAliveIdle = Duration.ofHours(2);
        Duration keepAliveInterval = Duration.ofSeconds(75);
        int keepAliveProbes = 9;
        Duration timeWait = Duration.ofSeconds(60);
        Duration finWait2Timeout = Duration.ofSeconds(60);
        String congestionControl = "cubic";
        boolean sack = true;
        boolean timestamps = true;
        boolean windowScaling = true;

        TcpSettings build() {
            return new TcpSettings(maxConnections, sendBuffer, receiveBuffer, memoryLimit, synBacklog, acceptBacklog,
                    minRto, maxRto, initialRto, delayedAck, synRetries, dataRetries, keepAliveIdle,
                    keepAliveInterval, keepAliveProbes, timeWait, finWait2Timeout, congestionControl, sack,
                    timestamps, windowScaling);
        }
    }

    static Knobs knobs() {
        return new Knobs();
    }

    // -------------------------------------------------------------------------------------------------------------
    // The wire: what a stack sends, recorded and optionally dropped
    // -------------------------------------------------------------------------------------------------------------

    /** One TCP segment a stack sent, as decoded from the wire. */
    record Segment(long at, int linkProtocol, TcpRepr tcp, byte[] payload, int ipLength, boolean fragment) {

        boolean syn() {
            return tcp != null && tcp.syn();
        }

        boolean ack() {
            return tcp != null && tcp.ack();
        }

        boolean fin() {
            return tcp != null && tcp.fin();
        }

        boolean rst() {
            return tcp != null && tcp.rst();
        }

        int seq() {
            return tcp.seqNumber();
        }

        int ackNumber() {
            return tcp.ackNumber();
        }

        int length() {
            return tcp == null ? 0 : tcp.payloadLength();
        }

        @Override
        public String toString() {
            return at / 1000 + " us " + (fragment ? "IP fragment of " + ipLength + " bytes" : tcp);
        }
    }

    /**
     * Decodes a TCP segment from an IP packet (IPv4, or IPv6 without extension headers).
     *
     * @return the segment, or {@code null} if the packet carries no TCP
     */
    static Segment decode(long at, int protocol, ByteBuffer packet, int length) {
        int offset;
        boolean fragment = false;
        if (protocol == LinkProtocol.IPV4) {
            Ipv4Packet ip = new Ipv4Packet().wrap(packet, 0, length);
            if (ip.protocol() != 6) {
                return null;
            }
            if (ip.fragmentOffset() != 0) {
                return new Segment(at, protocol, null, new byte[0], length, true); // no TCP header in it
            }
            fragment = ip.moreFragments();
            offset = ip.headerLength();
        } else if (protocol == LinkProtocol.IPV6) {
            Ipv6Packet ip = new Ipv6Packet().wrap(packet, 0, length);
            if (ip.nextHeader() != 6 && ip.nextHeader() != 44) {
                return null;
            }
            offset = Ipv6Packet.HEADER_LENGTH;
            if (ip.nextHeader() == 44) {
                return new Segment(at, protocol, null, new byte[0], length, true);
            }
        } else {
            return null;
        }
        TcpPacket tcp = new TcpPacket().wrap(packet, offset, length - offset);
        if (fragment) {
            return new Segment(at, protocol, null, new byte[0], length, true);
        }
        TcpRepr repr = TcpRepr.parse(tcp);
        byte[] payload = new byte[tcp.payloadLength()];
        packet.get(tcp.payloadOffset(), payload);
        return new Segment(at, protocol, repr, payload, length, false);
    }

    /**
     * A device wrapper between a stack and its link: records the TCP segments the stack sends (when
     * {@link #recording}), and drops those {@link #drop} matches as if the link lost them.
     */
    final class Wire extends ForwardingDevice {

        final List<Segment> sent = new ArrayList<>();
        boolean recording;
        /** Segments to lose on their way out; {@code null} for none. */
        Predicate<Segment> drop;
        /** Whether everything the stack sends is lost (the peer is gone). */
        boolean cut;
        long dropped;

        Wire(Device inner) {
            super(inner);
        }

        @Override
        public boolean transmit(int protocol, int length, TxWriter writer) {
            if (cut) {
                dropped++;
                return true;
            }
            if (!recording && drop == null) {
                return inner.transmit(protocol, length, writer);
            }
            ByteBuffer copy = ByteBuffer.allocate(length);
            writer.write(copy);
            Segment s = decode(clock.nanos(), protocol, copy, length);
            if (s != null && recording) {
                sent.add(s);
            }
            if (s != null && drop != null && drop.test(s)) {
                dropped++;
                return true;
            }
            return inner.transmit(protocol, length, buffer -> buffer.put(0, copy, 0, length));
        }

        /** @return what was recorded since the last call, and forgets it */
        List<Segment> take() {
            List<Segment> all = new ArrayList<>(sent);
            sent.clear();
            return all;
        }
    }
}
