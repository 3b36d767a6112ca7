package layer45.mnet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import layer45.api.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Port forwards as operators write them, and where the relay sends each destination. */
class PortForwardTest {

    @Test
    void aForwardWithoutAnAddressListensOnTheHostsLoopback() {
        PortForward forward = PortForward.parse("tcp:8080:80");
        assertEquals(Transport.TCP, forward.transport());
        assertEquals(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 8080), forward.listen());
        assertEquals(80, forward.namespacePort());
        assertEquals("tcp:127.0.0.1:8080:80", forward.toString());
    }

    @Test
    void aForwardMayNameItsHostAddressIpv6InBrackets() {
        PortForward v4 = PortForward.parse(" UDP:0.0.0.0:5353:53 ");
        assertEquals(Transport.UDP, v4.transport());
        assertEquals(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), 5353), v4.listen());
        PortForward v6 = PortForward.parse("udp:[::1]:5353:53");
        assertEquals(new InetSocketAddress(InetAddress.ofLiteral("::1"), 5353), v6.listen());
        assertEquals("udp:[0:0:0:0:0:0:0:1]:5353:53", v6.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "8080:80", "sctp:8080:80", "tcp:80", "tcp:0:80", "tcp:8080:65536", "tcp:x:80",
        "tcp:example.org:8080:80", "tcp:8080:-1"})
    void aMalformedForwardIsRefusedShowingTheForm(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortForward.parse(spec));
        assertTrue(e.getMessage().contains("tcp:HOSTPORT:NSPORT"), e.getMessage());
    }

    @Test
    void destinationsMapTheHostLoopbackDnsAndTheRest() {
        InetAddress loop4 = InetAddress.ofLiteral("10.45.0.254");
        InetAddress loop6 = InetAddress.ofLiteral("fd45::fe");
        InetSocketAddress resolver = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.53"), 53);
        Destinations relayAll = new Destinations(new RelaySettings(Duration.ofSeconds(1), 65536, loop4, loop6,
                List.of(resolver), true, List.of()));
        assertEquals(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 8000),
                relayAll.hostFor(new InetSocketAddress(loop4, 8000), false));
        assertEquals(new InetSocketAddress(InetAddress.ofLiteral("::1"), 8000),
                relayAll.hostFor(new InetSocketAddress(loop6, 8000), false));
        InetSocketAddress own = new InetSocketAddress(InetAddress.ofLiteral("10.45.0.1"), 53);
        assertEquals(resolver, relayAll.hostFor(own, true), "DNS to the stack goes to the host's resolver");
        assertNull(relayAll.hostFor(new InetSocketAddress(InetAddress.ofLiteral("10.45.0.1"), 80), true),
                "other ports of the stack's own address are not relayed");
        InetSocketAddress elsewhere = new InetSocketAddress(InetAddress.ofLiteral("192.0.2.9"), 443);
        assertEquals(elsewhere, relayAll.hostFor(elsewhere, false));

        Destinations loopbackOnly = new Destinations(new RelaySettings(Duration.ofSeconds(1), 65536, loop4, null,
                List.of(), false, List.of()));
        assertNull(loopbackOnly.hostFor(elsewhere, false));
        assertNull(loopbackOnly.hostFor(own, true), "no DNS configured");
    }
}
