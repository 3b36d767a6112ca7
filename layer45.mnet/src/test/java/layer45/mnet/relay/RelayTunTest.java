package layer45.mnet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import layer45.api.FlowInfo;
import layer45.api.spi.FlowTap;
import layer45.api.spi.Outcome;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.testing.RecordingTap;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.loop.StackOptions;
import layer45.mnet.phy.linux.CommandResult;
import layer45.mnet.phy.linux.LinkConfigurator;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified programs in a namespace reach servers on the host through the stack and its relay, and host clients
 * reach servers in the namespace through forwarded ports: every server here is on the host's loopback or in the
 * test's own namespace.
 */
class RelayTunTest {

    private static final String STACK4 = "10.78.0.1";
    private static final String PEER4 = "10.78.0.2";
    private static final String HOST4 = "10.78.0.254";
    private static final String HOST6 = "fd78::fe";

    private static TestNamespace namespace;
    private static TunLink tun;
    private static RunningStack stack;
    private static int forwardTcp;
    private static int forwardUdp;
    /** The customization runtime the stack sees; none unless a test sets one. */
    private static volatile FlowTap tap;

    @BeforeAll
    static void openRig() throws TunException, IOException {
        TestNamespace.assumeTunAvailable();
        forwardTcp = freePort();
        forwardUdp = freePort();
        namespace = TestNamespace.create();
        try {
            TunLinkOptions link = new TunLinkOptions("l45rly0", namespace.name(), 65520,
                    TunLinkOptions.queueLengthFor(65520), List.of(PEER4 + "/24", "fd78::2/64"), true);
            tun = TunLink.open(link, new LinkConfigurator());
            RelaySettings relay = new RelaySettings(Duration.ofSeconds(5), 256 * 1024,
                    InetAddress.ofLiteral(HOST4), InetAddress.ofLiteral(HOST6), List.of(), false,
                    List.of(PortForward.parse("tcp:" + forwardTcp + ":7000"),
                            PortForward.parse("udp:" + forwardUdp + ":7001")));
            stack = RunningStack.start(tun.device(), new StackOptions(
                    InterfaceConfig.of(List.of(IpCidr.parse(STACK4 + "/24"), IpCidr.parse("fd78::1/64"))),
                    UdpSettings.DEFAULTS, TcpSettings.DEFAULTS, 7, 0, 0, 0, link.name(), namespace.name(),
                    link.peerAddresses()), () -> tap, Clock.SYSTEM, relay, OwnerSource.NONE);
        } catch (TunException | RuntimeException | Error e) {
            closeRig();
            throw e;
        }
    }

    @AfterAll
    static void closeRig() {
        try {
            if (stack != null) {
                stack.close();
            }
            if (tun != null) {
                tun.close();
            }
        } finally {
            if (namespace != null) {
                namespace.close();
            }
        }
    }

    @Test
    void aProgramReachesATcpServerOnTheHostsLoopback() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread echo = Thread.ofVirtual().start(() -> echoOnce(server));
            CommandResult nc = run(20, "bash", "-c", "printf 'hello relay\\n' | timeout 10 nc -N " + HOST4 + " "
                    + server.getLocalPort());
            echo.join(10_000);
            assertEquals(0, nc.exitCode(), nc.toString());
            assertEquals("hello relay\n", nc.stdout());
        }
        assertTrue(stack.counters().get("relay").get("tcp-connects") > 0, stack.counters().get("relay").toString());
    }

    @Test
    void aProgramReachesTheHostsIpv6LoopbackToo() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.ofLiteral("::1"))) {
            Thread echo = Thread.ofVirtual().start(() -> echoOnce(server));
            CommandResult nc = run(20, "bash", "-c", "printf 'over six\\n' | timeout 10 nc -N " + HOST6 + " "
                    + server.getLocalPort());
            echo.join(10_000);
            assertEquals(0, nc.exitCode(), nc.toString());
            assertEquals("over six\n", nc.stdout());
        }
    }

    @Test
    void pingsToTheHostsLoopbackAreAnswered() {
        CommandResult ping4 = run(20, "ping", "-c", "2", "-W", "5", HOST4);
        assertEquals(0, ping4.exitCode(), ping4.toString());
        CommandResult ping6 = run(20, "ping", "-6", "-c", "2", "-W", "5", HOST6);
        assertEquals(0, ping6.exitCode(), ping6.toString());
        CommandResult elsewhere = run(20, "ping", "-c", "1", "-W", "1", "192.0.2.1");
        assertNotEquals(0, elsewhere.exitCode(), "a destination that is not relayed stays silent: " + elsewhere);
    }

    @Test
    void aRefusedHostConnectionIsRefusedInTheNamespace() throws Exception {
        int closed = freePort();
        CommandResult nc = run(20, "nc", "-v", "-z", "-w", "5", HOST4, Integer.toString(closed));
        assertNotEquals(0, nc.exitCode(), nc.toString());
        assertTrue(nc.stderr().contains("refused"), "nc should say the connection was refused: " + nc);
    }

    @Test
    void anAddressThatIsNotRelayedIsUnreachable() throws Exception {
        // foreign destinations are off in this rig: the program hears "no route" at once, not after a timeout
        CommandResult nc = run(20, "nc", "-v", "-z", "-w", "5", "192.0.2.1", "80");
        assertNotEquals(0, nc.exitCode(), nc.toString());
        assertTrue(nc.stderr().contains("No route to host") || nc.stderr().contains("unreachable"), nc.toString());
    }

    @Test
    void aDownloadFromTheHostArrivesByteForByte(@TempDir Path dir) throws Exception {
        byte[] body = new byte[24 << 20];
        new Random(45).nextBytes(body);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread sender = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(body);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Path received = dir.resolve("received");
            CommandResult nc = run(60, "bash", "-c", "timeout 50 nc -d " + HOST4 + " " + server.getLocalPort()
                    + " > " + received);
            sender.join(10_000);
            assertEquals(0, nc.exitCode(), nc.toString());
            assertEquals(sha256(body), sha256(Files.readAllBytes(received)));
        }
    }

    @Test
    void anUploadToTheHostArrivesByteForByte(@TempDir Path dir) throws Exception {
        byte[] body = randomBytes(16 << 20, 46);
        Path file = dir.resolve("upload");
        Files.write(file, body);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            UploadReceiver receiver = UploadReceiver.start(server, false);
            CommandResult nc = run(60, "bash", "-c", "timeout 50 nc -N " + HOST4 + " " + server.getLocalPort()
                    + " < " + file);
            assertEquals(0, nc.exitCode(), nc.toString());
            receiver.assertReceived(body);
        }
    }

    /**
     * The host closes its side first and reads slowly, so the program's connection is closed on both sides while
     * the end of the upload still waits in the stack: those bytes reach the host too.
     */
    @Test
    void anUploadThatEndsAfterTheHostClosedItsSideArrivesWhole(@TempDir Path dir) throws Exception {
        byte[] body = randomBytes(4 << 20, 47);
        Path file = dir.resolve("upload");
        Files.write(file, body);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            UploadReceiver receiver = UploadReceiver.start(server, true);
            CommandResult python = run(60, "timeout", "50", "python3", "-c", "import socket, sys\n"
                    + "s = socket.create_connection(('" + HOST4 + "', " + server.getLocalPort() + "))\n"
                    + "s.sendall(open(sys.argv[1], 'rb').read())\n"
                    + "s.shutdown(socket.SHUT_WR)\n"
                    + "assert s.recv(1) == b''\n"
                    + "s.close()\n", file.toString());
            assertEquals(0, python.exitCode(), python.toString());
            receiver.assertReceived(body);
        }
    }

    /** A host server that takes one upload and digests it; it may shut its side and wait before it reads. */
    private static final class UploadReceiver {
        private final MessageDigest digest;
        private final long[] count = new long[1];
        private Thread thread;

        private UploadReceiver() throws Exception {
            digest = MessageDigest.getInstance("SHA-256");
        }

        static UploadReceiver start(ServerSocket server, boolean shutFirstAndReadLate) throws Exception {
            UploadReceiver r = new UploadReceiver();
            r.thread = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    if (shutFirstAndReadLate) {
                        s.shutdownOutput();
                        Thread.sleep(1500); // the program finishes sending meanwhile, as far as the windows let it
                    }
                    byte[] buffer = new byte[65536];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        r.digest.update(buffer, 0, n);
                        r.count[0] += n;
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            return r;
        }

        void assertReceived(byte[] body) throws Exception {
            thread.join(30_000);
            assertEquals(body.length, count[0], "bytes that reached the host");
            assertEquals(sha256(body), HexFormat.of().formatHex(digest.digest()));
        }
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aProgramReachesAUdpServerOnTheHostAndHearsAClosedPort() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread echo = Thread.ofVirtual().start(() -> {
                try {
                    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                    server.receive(p);
                    server.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            CommandResult py = run(20, "python3", "-c", String.join("\n",
                    "import socket",
                    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                    "s.settimeout(5)",
                    "s.connect(('" + HOST4 + "', " + server.getLocalPort() + "))",
                    "s.send(b'ping over udp')",
                    "print(s.recv(100).decode())",
                    "c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                    "c.settimeout(5)",
                    "c.connect(('" + HOST4 + "', " + freePort() + "))",
                    "c.send(b'anyone?')",
                    "try:",
                    "    c.recv(100)",
                    "    print('answered')",
                    "except ConnectionRefusedError:",
                    "    print('refused')"));
            echo.join(10_000);
            assertEquals(0, py.exitCode(), py.toString());
            assertEquals("ping over udp\nrefused\n", py.stdout());
        }
    }

    @Test
    void aHostClientReachesATcpServerInTheNamespaceThroughAForward() throws Exception {
        Process server = namespace.namespace().start("bash", "-c", "printf 'from the namespace\\n' | timeout 20 nc"
                + " -N -l -p 7000");
        try {
            waitForListener("tcp", 7000);
            RecordingTap recording = new RecordingTap();
            tap = recording;
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), forwardTcp)) {
                client.setSoTimeout(10_000);
                String line = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals("from the namespace\n", line);
            }
            FlowInfo info = recording.flows().getFirst().info();
            assertEquals(List.of(PEER4 + ":7000", STACK4, "REMOTE"), List.of(
                    info.localAddress().getHostAddress() + ":" + info.localPort(),
                    info.remoteAddress().getHostAddress(), info.initiator().name()),
                    "the server's flow: its own address, the stack's as the peer it sees, opened by the peer");
        } finally {
            tap = null;
            server.destroyForcibly();
        }
    }

    @Test
    void aHostClientReachesAUdpServerInTheNamespaceThroughAForward() throws Exception {
        Process server = namespace.namespace().start("python3", "-c", String.join("\n",
                "import socket",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "s.bind(('0.0.0.0', 7001))",
                "s.settimeout(15)",
                "data, peer = s.recvfrom(100)",
                "s.sendto(b'echo:' + data, peer)"));
        try {
            waitForListener("udp", 7001);
            try (DatagramSocket client = new DatagramSocket()) {
                client.setSoTimeout(5_000);
                byte[] query = "knock".getBytes(StandardCharsets.UTF_8);
                client.send(new DatagramPacket(query, query.length,
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), forwardUdp)));
                DatagramPacket answer = new DatagramPacket(new byte[100], 100);
                client.receive(answer);
                assertEquals("echo:knock", new String(answer.getData(), 0, answer.getLength(),
                        StandardCharsets.UTF_8));
            }
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void aStuckCustomizationHoldsOnlyItsOwnFlow(@TempDir Path dir) throws Exception {
        RecordingTap recording = new RecordingTap();
        CountDownLatch stuck = new CountDownLatch(1);
        recording.customize((direction, input, sink) -> {
            if (new String(input, StandardCharsets.US_ASCII).startsWith("STALL")) {
                stuck.countDown();
                try {
                    Thread.sleep(15_000); // a module stuck in its call, until long after the test
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sink.accept(ByteBuffer.wrap(input));
            return Outcome.ORIGINAL;
        });
        byte[] body = new byte[4 << 20];
        new Random(47).nextBytes(body);
        Path file = dir.resolve("upload");
        Files.write(file, body);
        tap = recording;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<byte[]> received = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 2; i++) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                received.add(s.getInputStream().readAllBytes());
                            } catch (IOException e) {
                                received.add(new byte[0]);
                            }
                        });
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            Path outcome = dir.resolve("stalled.out");
            Process stalled = namespace.namespace().start("bash", "-c", "python3 -c \"" + String.join("\n",
                    "import socket",
                    "s = socket.create_connection(('" + HOST4 + "', " + server.getLocalPort() + "), timeout=20)",
                    "s.sendall(b'STALL')",
                    "try:",
                    "    print('data' if s.recv(10) else 'eof')",
                    "except ConnectionResetError:",
                    "    print('reset')",
                    "except Exception as e:",
                    "    print(repr(e))") + "\" > " + outcome + " 2>&1");
            try {
                assertTrue(stuck.await(10, TimeUnit.SECONDS), "the module got the stalled flow's first chunk");
                CommandResult other = run(30, "bash", "-c", "timeout 20 nc -N " + HOST4 + " " + server.getLocalPort()
                        + " < " + file);
                assertEquals(0, other.exitCode(), "another flow goes on while one is stuck: " + other);
                RecordingTap.Flow stuckFlow = recording.flows().stream()
                        .filter(f -> recording.chunks().stream().anyMatch(c -> c.flowId() == f.id()
                                && new String(c.bytes(), StandardCharsets.US_ASCII).startsWith("STALL")))
                        .findFirst().orElseThrow();
                stuckFlow.control().abort("the module was stuck past its time budget");
                assertTrue(stalled.waitFor(10, TimeUnit.SECONDS), "the stuck flow ends when the runtime aborts it");
                assertEquals("reset\n", Files.readString(outcome), "the program sees a reset");
            } finally {
                stalled.destroyForcibly();
            }
            for (int i = 0; i < 600 && received.stream().noneMatch(b -> b.length == body.length); i++) {
                Thread.sleep(50);
            }
            assertTrue(received.stream().anyMatch(b -> java.util.Arrays.equals(b, body)), "the other upload arrived:"
                    + " the server got " + received.stream().map(b -> b.length).toList() + " bytes, relay counters "
                    + stack.counters().get("relay"));
        } finally {
            tap = null;
        }
    }

    private static void waitForListener(String protocol, int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            String flag = protocol.equals("tcp") ? "-Hltn" : "-Hlun";
            if (!run(5, "ss", flag, "sport = :" + port).stdout().isBlank()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing listens on " + protocol + " port " + port + " in the namespace");
    }

    private static void echoOnce(ServerSocket server) {
        try (Socket s = server.accept()) {
            s.getOutputStream().write(s.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CommandResult run(int seconds, String... command) {
        return namespace.namespace().exec(Duration.ofSeconds(seconds), command);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
