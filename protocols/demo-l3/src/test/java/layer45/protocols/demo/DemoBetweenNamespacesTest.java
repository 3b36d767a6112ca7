package layer45.protocols.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import layer45.mnet.phy.linux.NetworkNamespace;
import layer45.mnet.phy.linux.UdpTunnelOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two stacks whose tunnels' sockets are opened in two network namespaces joined by a veth pair speak UDP over the
 * demo protocol (and IPv6 beside it) through the tunnel, and an mhost client and server reach each other by name
 * over IPv4, IPv6 and demo ({@link MhostClientServer}). Needs root (namespaces, veth); skipped otherwise. The
 * namespaces and the veth pair have names of their own (this process's id) and are removed even on failure.
 */
@Timeout(60)
class DemoBetweenNamespacesTest {

    private static final Duration COMMAND = Duration.ofSeconds(10);

    @Test
    void udpCrossesATunnelBetweenTwoNamespacesOverDemo() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to create network namespaces and a veth pair (run the tests as root)");
        long pid = ProcessHandle.current().pid();
        String vethA = "mpv" + pid + "a";
        String vethB = "mpv" + pid + "b";
        try (NetworkNamespace a = NetworkNamespace.create("mproto-a-" + pid);
                NetworkNamespace b = NetworkNamespace.create("mproto-b-" + pid)) {
            a.exec(COMMAND, "ip", "link", "add", vethA, "type", "veth", "peer", "name", vethB, "netns", b.name())
                    .requireSuccess();
            a.exec(COMMAND, "ip", "addr", "add", "10.89.0.1/24", "dev", vethA).requireSuccess();
            b.exec(COMMAND, "ip", "addr", "add", "10.89.0.2/24", "dev", vethB).requireSuccess();
            a.exec(COMMAND, "ip", "link", "set", vethA, "up").requireSuccess();
            b.exec(COMMAND, "ip", "link", "set", vethB, "up").requireSuccess();
            InetSocketAddress endA = new InetSocketAddress(InetAddress.ofLiteral("10.89.0.1"), 6081);
            InetSocketAddress endB = new InetSocketAddress(InetAddress.ofLiteral("10.89.0.2"), 6081);
            try (StackPair pair = StackPair.overTunnels(
                    new UdpTunnelOptions("ns-a", endA, endB, a.name(), UdpTunnelOptions.DEFAULT_MTU),
                    new UdpTunnelOptions("ns-b", endB, endA, b.name(), UdpTunnelOptions.DEFAULT_MTU))) {
                DemoProtocol demoA = new DemoProtocol();
                pair.plugDemo(demoA, new DemoProtocol());

                assertEquals("demo between namespaces", pair.echo("fd4d::2", "demo between namespaces"));
                assertEquals("ipv6 between namespaces", pair.echo("fd88::2", "ipv6 between namespaces"));

                assertEquals(1L, pair.b.counters().get("demo").get("delivered"));
                String link = b.exec(COMMAND, "ip", "-s", "link", "show", vethB).requireSuccess().stdout();
                assertEquals(true, link.contains("RX:"), "the datagrams crossed the veth pair: " + link);

                MhostClientServer.assertEveryProtocolAndFailover(pair, demoA);
            }
        }
    }
}
