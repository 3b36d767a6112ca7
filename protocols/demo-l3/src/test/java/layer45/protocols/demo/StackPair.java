package layer45.protocols.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import layer45.mnet.NetworkProtocolHandler;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.loop.StackOptions;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.mhost.MhostSettings;
import layer45.mnet.phy.Device;
import layer45.mnet.phy.linux.UdpTunnelDevice;
import layer45.mnet.phy.linux.UdpTunnelOptions;
import layer45.mnet.relay.OwnerSource;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.socket.udp.UdpSocket;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpAddress;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv6Address;

/**
 * Two running stacks joined by a link: {@code a} (10.88.0.1, fd88::1, demo fd4d::1) sends UDP datagrams and
 * {@code b} (10.88.0.2, fd88::2, demo fd4d::2) echoes them on port 7, over IPv4, IPv6 or the demo protocol.
 */
final class StackPair implements AutoCloseable {

    static final Ipv6Address DEMO_A = Ipv6Address.parse("fd4d::1");
    static final Ipv6Address DEMO_B = Ipv6Address.parse("fd4d::2");
    static final List<IpCidr> DEMO_ROUTES = List.of(IpCidr.parse("fd4d::/16"));

    /** {@code a}'s host identifiers, which the sockets of {@link RunningStack#sockets()} address peers by. */
    final HostTable tableA = new HostTable(MhostSettings.defaults(Path.of("/tmp")));
    /** {@code b}'s. */
    final HostTable tableB = new HostTable(MhostSettings.defaults(Path.of("/tmp")));
    final RunningStack a;
    final RunningStack b;
    private final LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final UdpSocket client;

    StackPair(Device deviceA, Device deviceB) {
        a = start(deviceA, "10.88.0.1/24", "fd88::1/64", 0, tableA);
        b = start(deviceB, "10.88.0.2/24", "fd88::2/64", 7, tableB);
        client = a.call((iface, udp) -> udp.bind(null, 0, 0, true, 5000, (socket, flow, payload) -> {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(payload.position(), bytes);
            answers.add(new String(bytes, UTF_8));
        }));
    }

    /**
     * Opens two tunnels, each to the other, and starts the stacks on them.
     *
     * @param a the first tunnel, {@code a}'s device
     * @param b the second, {@code b}'s
     * @return the pair; nothing is left open when this throws
     */
    static StackPair overTunnels(UdpTunnelOptions a, UdpTunnelOptions b) throws java.io.IOException {
        UdpTunnelDevice tunnelA = UdpTunnelDevice.open(a);
        try {
            return new StackPair(tunnelA, UdpTunnelDevice.open(b));
        } catch (java.io.IOException | RuntimeException e) {
            tunnelA.close();
            throw e;
        }
    }

    private static RunningStack start(Device device, String address4, String address6, int echoPort,
            HostTable table) {
        return RunningStack.start(device, new StackOptions(InterfaceConfig.of(List.of(IpCidr.parse(address4),
                IpCidr.parse(address6))), UdpSettings.DEFAULTS, echoPort, device.capabilities().name(), "",
                List.of()), () -> null, Clock.SYSTEM, null, OwnerSource.NONE, () -> table);
    }

    /** Plugs a demo handler into each stack, with its own address. */
    void plugDemo(NetworkProtocolHandler demoA, NetworkProtocolHandler demoB) {
        if (a.plug(demoA, List.of(DEMO_A), DEMO_ROUTES) != null
                || b.plug(demoB, List.of(DEMO_B), DEMO_ROUTES) != null) {
            throw new IllegalStateException("demo was not plugged in: " + a.counters().get("protocols"));
        }
    }

    /**
     * Sends one datagram from {@code a} to {@code b}'s echo service and waits (at most 5 s) for it to come back.
     *
     * @return the echoed text, or {@code null} if none came back
     */
    String echo(String destination, String text) throws InterruptedException {
        return echo(destination, text, 5);
    }

    /**
     * As {@link #echo(String, String)}, waiting at most {@code seconds}.
     *
     * @return the echoed text, or {@code null} if none came back
     */
    String echo(String destination, String text, int seconds) throws InterruptedException {
        IpAddress to = IpAddress.parse(destination);
        long high = to instanceof Ipv6Address v6 ? v6.high() : 0;
        long low = to instanceof Ipv6Address v6 ? v6.low() : ((Ipv4Address) to).bits() & 0xFFFF_FFFFL;
        boolean sent = a.call((iface, udp) -> {
            NetworkLayer layer = iface.routes().lookup(to);
            return client.sendTo(layer, high, low, 7, ByteBuffer.wrap(text.getBytes(UTF_8)));
        });
        return sent ? answers.poll(seconds, TimeUnit.SECONDS) : null;
    }

    @Override
    public void close() {
        try {
            a.close();
        } finally {
            b.close();
        }
    }
}
