package layer45.protocols.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import layer45.mnet.NetworkHeader;
import layer45.mnet.NetworkProtocolHandler;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.phy.linux.UdpTunnelOptions;
import layer45.mnet.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two stacks speak UDP over the demo protocol, beside IPv4 and IPv6: over an in-memory link and over a tunnel on
 * loopback. Unplugged, demo is gone and the others go on; a handler that throws is counted and the stack goes on.
 */
@Timeout(60)
class DemoOverLinksTest {

    /** The demo protocol, failing on demand: what a broken handler bundle does to the stack. */
    static final class BreakableDemo implements NetworkProtocolHandler {
        final DemoProtocol demo = new DemoProtocol();
        volatile boolean broken;

        @Override
        public int linkProtocol() {
            return demo.linkProtocol();
        }

        @Override
        public String name() {
            return demo.name();
        }

        @Override
        public int headerLength(NetworkHeader header) {
            return demo.headerLength(header);
        }

        @Override
        public String parse(ByteBuffer packet, NetworkHeader header) {
            if (broken) {
                throw new IllegalStateException("demo parse bug");
            }
            return demo.parse(packet, header);
        }

        @Override
        public void emit(ByteBuffer packet, NetworkHeader header) {
            demo.emit(packet, header);
        }
    }

    @Test
    void theSameClientReachesTheSameServerByNameOverIpv4Ipv6AndDemo() throws Exception {
        MemoryLink link = MemoryLink.create(MemoryLinkOptions.defaults("demo"), Clock.SYSTEM);
        try (StackPair pair = new StackPair(link.a(), link.b())) {
            DemoProtocol demoA = new DemoProtocol();
            pair.plugDemo(demoA, new DemoProtocol());
            MhostClientServer.assertEveryProtocolAndFailover(pair, demoA);
        }
    }

    @Test
    void udpCrossesAMemoryLinkOverDemoBesideIpv4AndIpv6() throws Exception {
        MemoryLink link = MemoryLink.create(MemoryLinkOptions.defaults("demo"), Clock.SYSTEM);
        try (StackPair pair = new StackPair(link.a(), link.b())) {
            DemoProtocol demoA = new DemoProtocol();
            pair.plugDemo(demoA, new DemoProtocol());

            assertEquals("over demo", pair.echo("fd4d::2", "over demo"));
            assertEquals("over ipv4", pair.echo("10.88.0.2", "over ipv4"));
            assertEquals("over ipv6", pair.echo("fd88::2", "over ipv6"));

            assertEquals(List.of("ipv4", "ipv6", "demo"), pair.a.status().protocols());
            assertEquals(1L, pair.a.counters().get("demo").get("sent"));
            assertEquals(1L, pair.b.counters().get("demo").get("delivered"));
            assertTrue(pair.b.udpFlows().stream().anyMatch(f -> f.network().equals("demo")
                    && f.remote().contains("fd4d::2")), pair.b.udpFlows().toString());

            assertTrue(pair.a.unplug(demoA));
            assertNull(pair.echo("fd4d::2", "after unplug", 1), "fd4d::2 goes the IPv6 default way, and nowhere");
            assertEquals("ipv4 still", pair.echo("10.88.0.2", "ipv4 still"));
            assertEquals(1L, pair.a.counters().get("protocols").get("unplugged"));
        }
    }

    @Test
    void aHandlerThatThrowsIsCountedAndTheStackGoesOn() throws Exception {
        MemoryLink link = MemoryLink.create(MemoryLinkOptions.defaults("broken"), Clock.SYSTEM);
        try (StackPair pair = new StackPair(link.a(), link.b())) {
            BreakableDemo demoB = new BreakableDemo();
            pair.plugDemo(new DemoProtocol(), demoB);
            demoB.broken = true;

            assertNull(pair.echo("fd4d::2", "lost", 1));

            assertEquals(1L, pair.b.counters().get("demo").get("handler-failed"));
            assertEquals(1L, pair.b.counters().get("interface").get("handler-failed"));
            assertEquals("ipv6 unaffected", pair.echo("fd88::2", "ipv6 unaffected"));
            demoB.broken = false;
            assertEquals("mended", pair.echo("fd4d::2", "mended"));
        }
    }

    @Test
    void udpCrossesATunnelOverDemoBesideIpv4() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        InetSocketAddress endA;
        InetSocketAddress endB;
        try (DatagramChannel probeA = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
                DatagramChannel probeB = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0))) {
            endA = (InetSocketAddress) probeA.getLocalAddress();
            endB = (InetSocketAddress) probeB.getLocalAddress();
        }
        try (StackPair pair = StackPair.overTunnels(
                new UdpTunnelOptions("a", endA, endB, null, UdpTunnelOptions.DEFAULT_MTU),
                new UdpTunnelOptions("b", endB, endA, null, UdpTunnelOptions.DEFAULT_MTU))) {
            pair.plugDemo(new DemoProtocol(), new DemoProtocol());

            assertEquals("demo through the tunnel", pair.echo("fd4d::2", "demo through the tunnel"));
            assertEquals("ipv4 through the tunnel", pair.echo("10.88.0.2", "ipv4 through the tunnel"));

            assertEquals(2L, pair.b.counters().get("device").get("rx-packets"));
            assertEquals(1L, pair.b.counters().get("demo").get("delivered"));
        }
    }
}
