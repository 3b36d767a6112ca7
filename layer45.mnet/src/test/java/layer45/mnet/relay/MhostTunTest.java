package layer45.mnet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.mnet.HostIdentifier;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.loop.StackOptions;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.mhost.MhostSettings;
import layer45.mnet.phy.linux.CommandResult;
import layer45.mnet.phy.linux.LinkConfigurator;
import layer45.mnet.phy.linux.NetnsEtc;
import layer45.mnet.phy.linux.TunException;
import layer45.mnet.phy.linux.TunLink;
import layer45.mnet.phy.linux.TunLinkOptions;
import layer45.mnet.socket.tcp.TcpSettings;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.testing.TestNamespace;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpCidr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Host identifiers seen by unmodified programs in a namespace: {@code dig} and {@code nc} resolve {@code NAME.mhost}
 * through the stack's DNS to virtual addresses, connect to those, and reach servers on the host's loopback through
 * the identifier's addresses, moving on from an address that is cut (a black-holed port, a closed UDP port), over
 * IPv4 and IPv6 in both directions. Every server is on the host's loopback; the namespace's resolver is the stack.
 */
class MhostTunTest {

    private static final String STACK4 = "10.81.0.1";
    private static final String STACK6 = "fd81::1";
    private static final InetAddress LOOP4 = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress LOOP6 = InetAddress.ofLiteral("::1");

    private static TestNamespace namespace;
    private static TunLink tun;
    private static RunningStack stack;
    private static NetnsEtc etc;
    private static Path emptyResolvConf;
    private static final HostTable TABLE = new HostTable(MhostSettings.from(Map.of("file", "",
            "connect.timeout.ms", "300"), Path.of("/tmp"), new ArrayList<>()));

    @BeforeAll
    static void openRig() throws TunException, IOException {
        TestNamespace.assumeTunAvailable();
        namespace = TestNamespace.create();
        try {
            TunLinkOptions link = new TunLinkOptions("l45mh0", namespace.name(), 65520,
                    TunLinkOptions.queueLengthFor(65520), List.of("10.81.0.2/24", "fd81::2/64"), true);
            tun = TunLink.open(link, new LinkConfigurator());
            RelaySettings relay = new RelaySettings(Duration.ofSeconds(5), 256 * 1024, null, null, List.of(), false,
                    List.of());
            stack = RunningStack.start(tun.device(), new StackOptions(
                    InterfaceConfig.of(List.of(IpCidr.parse(STACK4 + "/24"), IpCidr.parse(STACK6 + "/64"))),
                    UdpSettings.DEFAULTS, TcpSettings.DEFAULTS, 7, 0, 0, 0, link.name(), namespace.name(),
                    link.peerAddresses()), () -> null, Clock.SYSTEM, relay, OwnerSource.NONE, () -> TABLE);
            emptyResolvConf = Files.createTempFile("layer45-resolv", ".conf");
            etc = NetnsEtc.write(namespace.name(), List.of(InetAddress.ofLiteral(STACK4),
                    InetAddress.ofLiteral(STACK6)), emptyResolvConf, Map.of());
        } catch (TunException | IOException | RuntimeException | Error e) {
            closeRig();
            throw e;
        }
    }

    @AfterAll
    static void closeRig() throws IOException {
        try {
            if (stack != null) {
                stack.close();
            }
            if (tun != null) {
                tun.close();
            }
        } finally {
            try {
                if (etc != null) {
                    etc.remove();
                }
                if (emptyResolvConf != null) {
                    Files.deleteIfExists(emptyResolvConf);
                }
            } finally {
                if (namespace != null) {
                    namespace.close();
                }
            }
        }
    }

    @Test
    void digResolvesIdentifiersThroughTheStackOverUdpAndTcp() {
        HostIdentifier srv = TABLE.put("dig-srv", List.of(HostAddress.parse("::1")));
        assertEquals(srv.virtual4().getHostAddress() + "\n", dig("+short", "dig-srv.mhost", "A").stdout());
        assertEquals(layer45.mnet.wire.IpAddress.of(srv.virtual6()) + "\n",
                dig("+short", "DIG-SRV", "AAAA").stdout(), "bare names and any case");
        assertEquals(srv.virtual4().getHostAddress() + "\n", dig("+short", "+tcp", "dig-srv.mhost", "A").stdout());
        assertTrue(dig("nobody.mhost", "A").stdout().contains("status: NXDOMAIN"));
        assertEquals("dig-srv.mhost.\n", dig("+short", "-x", srv.virtual4().getHostAddress()).stdout(),
                "a virtual address looked up back to its identifier");
        assertEquals("dig-srv.mhost.\n", dig("+short", "-x", srv.virtual6().getHostAddress()).stdout());
        assertTrue(dig("example.org", "A").stdout().contains("status: REFUSED"), "no upstream in this rig");
        assertTrue(stack.counters().get("dns").get("answered") >= 3, stack.counters().get("dns").toString());
    }

    @Test
    void ncReachesAServerOnTheHostByNameOnItsOwnPortOverEitherVirtualAddress() throws Exception {
        HostIdentifier plain = TABLE.put("plain", List.of(HostAddress.parse("127.0.0.1")));
        try (ServerSocket server = new ServerSocket(0, 50, LOOP4)) {
            for (String family : List.of("-4", "-6")) {
                Thread echo = Thread.ofVirtual().start(() -> echoOnce(server));
                CommandResult nc = run("bash", "-c", "printf 'by name\\n' | timeout 10 nc -v -N " + family
                        + " plain.mhost " + server.getLocalPort());
                echo.join(10_000);
                assertEquals(0, nc.exitCode(), nc.toString());
                assertEquals("by name\n", nc.stdout());
                String virtual = layer45.mnet.wire.IpAddress.of(family.equals("-4") ? plain.virtual4()
                        : plain.virtual6()).toString();
                assertTrue(nc.stderr().contains(virtual), "the program's peer is the virtual address: " + nc);
            }
        }
        HostChoice choice = TABLE.lastChoice("plain").orElseThrow();
        assertEquals(HostAddress.parse("127.0.0.1"), choice.chosen());
        assertEquals(namespace.name(), choice.namespace());
        assertTrue(stack.counters().get("relay").get("mhost-tcp") >= 2, stack.counters().get("relay").toString());
    }

    @Test
    void whenTheFirstAddressIsCutNcReachesTheNextOverIpv6ThenIpv4() throws Exception {
        try (ServerSocket first = new ServerSocket(0, 50, LOOP6); ServerSocket second = new ServerSocket(0, 50, LOOP4)) {
            int cutPort = first.getLocalPort();
            TABLE.put("six-then-four", List.of(HostAddress.parse("[::1]:" + cutPort),
                    HostAddress.parse("127.0.0.1:" + second.getLocalPort())));
            assertEquals("first\n", echoThrough(first, "six-then-four.mhost", "-4", "first"));
            assertEquals("[::1]:" + cutPort + " connected", TABLE.lastChoice("six-then-four").orElseThrow().reason());
            first.close();
            try (BlackHole cut = BlackHole.on(LOOP6, cutPort)) {
                for (String family : List.of("-4", "-6")) {
                    assertEquals("second\n", echoThrough(second, "six-then-four.mhost", family, "second"));
                    HostChoice choice = TABLE.lastChoice("six-then-four").orElseThrow();
                    assertEquals(HostAddress.parse("127.0.0.1:" + second.getLocalPort()), choice.chosen());
                    assertEquals("[::1]:" + cutPort + " no answer within 300 ms; 127.0.0.1:" + second.getLocalPort()
                            + " connected", choice.reason());
                }
            }
        }
    }

    @Test
    void whenAnIpv4AddressIsCutTheNextIsIpv6() throws Exception {
        try (BlackHole cut = BlackHole.on(LOOP4); ServerSocket server = new ServerSocket(0, 50, LOOP6)) {
            TABLE.put("four-then-six", List.of(HostAddress.parse("127.0.0.1:" + cut.port()),
                    HostAddress.parse("[::1]:" + server.getLocalPort())));
            assertEquals("over six\n", echoThrough(server, "four-then-six.mhost", "-4", "over six"));
            assertEquals(HostAddress.parse("[::1]:" + server.getLocalPort()),
                    TABLE.lastChoice("four-then-six").orElseThrow().chosen());
        }
    }

    @Test
    void aRefusingFirstAddressIsRefusedLikeTheHostItself() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, LOOP4)) {
            closed = s.getLocalPort();
        }
        try (ServerSocket server = new ServerSocket(0, 50, LOOP6)) {
            TABLE.put("refuses", List.of(HostAddress.parse("127.0.0.1:" + closed),
                    HostAddress.parse("[::1]:" + server.getLocalPort())));
            CommandResult nc = run("nc", "-v", "-z", "-w", "5", "-4", "refuses.mhost", "80");
            assertNotEquals(0, nc.exitCode(), nc.toString());
            assertTrue(nc.stderr().contains("refused"), "the host answered, so there is no failover: " + nc);
        }
    }

    @Test
    void udpMovesOnFromAClosedPortAndTheRequestIsNotLost() throws Exception {
        int closed;
        try (DatagramSocket s = new DatagramSocket(0, LOOP6)) {
            closed = s.getLocalPort();
        }
        try (DatagramSocket server = new DatagramSocket(0, LOOP4)) {
            TABLE.put("udp-srv", List.of(HostAddress.parse("[::1]:" + closed),
                    HostAddress.parse("127.0.0.1:" + server.getLocalPort())));
            Thread echo = Thread.ofVirtual().start(() -> {
                try {
                    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                    server.setSoTimeout(10_000);
                    server.receive(p);
                    byte[] answer = ("echo:" + new String(p.getData(), 0, p.getLength())).getBytes();
                    server.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            CommandResult py = run("python3", "-c", String.join("\n",
                    "import socket",
                    "s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)",
                    "s.settimeout(5)",
                    "s.connect(('udp-srv.mhost', 5353))",
                    "s.send(b'one request')",
                    "print(s.recv(100).decode())"));
            echo.join(10_000);
            assertEquals(0, py.exitCode(), py.toString());
            assertEquals("echo:one request\n", py.stdout());
            assertEquals("[::1]:" + closed + " first usable address; [::1]:" + closed + " port unreachable (ICMP); "
                    + "127.0.0.1:" + server.getLocalPort() + " next address",
                    TABLE.lastChoice("udp-srv").orElseThrow().reason());
        }
    }

    @Test
    void aVirtualAddressNobodyHasIsUnreachable() {
        CommandResult nc = run("nc", "-v", "-z", "-w", "5", "10.46.255.254", "80");
        assertNotEquals(0, nc.exitCode(), nc.toString());
        assertTrue(nc.stderr().contains("No route to host") || nc.stderr().contains("unreachable"), nc.toString());
    }

    /** Runs nc to {@code name} on the server's port (the identifier's addresses may name their own). */
    private static String echoThrough(ServerSocket server, String name, String family, String line)
            throws InterruptedException {
        Thread echo = Thread.ofVirtual().start(() -> echoOnce(server));
        CommandResult nc = run("bash", "-c", "printf '" + line + "\\n' | timeout 10 nc -N " + family + " " + name
                + " 80");
        echo.join(10_000);
        assertEquals(0, nc.exitCode(), nc.toString());
        return nc.stdout();
    }

    private static CommandResult dig(String... args) {
        List<String> command = new ArrayList<>(List.of("dig", "+time=2", "+tries=1", "@" + STACK4));
        command.addAll(List.of(args));
        CommandResult dig = run(command.toArray(String[]::new));
        assertEquals(0, dig.exitCode(), dig.toString());
        return dig;
    }

    private static void echoOnce(ServerSocket server) {
        try (Socket s = server.accept()) {
            s.getOutputStream().write(s.getInputStream().readAllBytes());
        } catch (IOException e) {
            if (!server.isClosed()) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static CommandResult run(String... command) {
        return namespace.namespace().exec(Duration.ofSeconds(20), command);
    }
}
