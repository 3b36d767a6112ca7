package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Host identifiers in the running runtime, as {@code ./layer45 start} runs it: loaded from {@code conf/mhosts} and
 * the configuration, listed and edited with {@code l45:mhost}, a changed file applied live, and unmodified
 * {@code dig} and {@code nc} in the runtime's namespace resolving {@code NAME.mhost} through the stack and reaching
 * servers on the host's loopback through an identifier's addresses, with failover from a port that does not answer.
 * Every server is on the host's loopback; the stack relays no other DNS ({@code net.dns} is empty). The session's
 * transcript is kept in {@code target/host-identifiers-transcript.txt}.
 */
class HostIdentifiersIT {

    private static final Path TRANSCRIPT = Path.of("target", "host-identifiers-transcript.txt");
    private static final List<String> TOOLS = List.of("nc", "dig", "python3", "timeout");
    private static final Pattern VIRTUAL4 = Pattern.compile("(10\\.46\\.\\d+\\.\\d+)");

    private static Path work;
    private static Path mhosts;
    private static RuntimeConsole runtime;
    private static String namespace;

    @BeforeAll
    static void startTheRuntimeWithAFileOfIdentifiers() throws Exception {
        Assumptions.assumeTrue(TestNetns.privileged(), "needs root and /dev/net/tun for the stack's TUN link");
        for (String tool : TOOLS) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), "needs " + tool
                    + ": scripts/deps.sh installs it");
        }
        Path jar = Path.of(System.getProperty("layer45.it.runtimeJar"));
        assertTrue(Files.isRegularFile(jar), "cnf exported " + jar + ": build it with mvn package first");
        Files.deleteIfExists(TRANSCRIPT);
        work = Files.createTempDirectory("layer45-mhost");
        try {
            mhosts = Files.createDirectories(work.resolve("conf")).resolve("mhosts");
            Files.writeString(mhosts, "# identifiers of the test\nfiled ::1 127.0.0.1\nbroken\n");
            runtime = RuntimeConsole.start("host identifiers", TRANSCRIPT, jar, work, work.resolve("autoload"),
                    "layer45.net.dns=", "layer45.mhost.connect.timeout.ms=300",
                    "layer45.mhost.host.configured=[::1]:9 127.0.0.1:9");
            namespace = runtime.namespace();
        } catch (Throwable t) {
            stopEverything();
            throw t;
        }
    }

    @AfterAll
    static void theRuntimeStopsCleanly() throws Exception {
        try {
            if (runtime != null) {
                runtime.stopCleanly();
            }
        } finally {
            stopEverything();
        }
    }

    private static void stopEverything() throws IOException, InterruptedException {
        try {
            if (runtime != null) {
                runtime.close();
            }
        } finally {
            runtime = null;
            if (work != null) {
                OsgiFixture.delete(work);
            }
        }
    }

    @Test
    void listShowsTheFilesAndTheConfigurationsIdentifiersAndWhatIsWrongWithTheFile() throws Exception {
        String list = runtime.run("l45:mhost list");
        assertTrue(list.contains("names NAME or NAME.mhost; virtual addresses from 10.46.0.0/16 fd46::/64;"
                + " protocols available: ipv4 ipv6"), list);
        assertTrue(Pattern.compile("filed +10\\.46\\.\\S+ fd46::\\S+ +::1 127\\.0\\.0\\.1 +conf/mhosts:2 +-")
                .matcher(list).find(), list);
        assertTrue(Pattern.compile("configured +10\\.46\\.\\S+ fd46::\\S+ +\\[::1]:9 127\\.0\\.0\\.1:9 +config")
                .matcher(list).find(), list);
        assertTrue(list.contains("conf/mhosts:3: broken has no address"), list);
    }

    @Test
    void digAndNcInTheNamespaceReachAServerThroughAnIdentifierMovingOnFromAPortThatDoesNotAnswer()
            throws Exception {
        try (BlackHole hole = BlackHole.onIpv6Loopback(); ServerSocket server = new ServerSocket(0, 5,
                InetAddress.ofLiteral("127.0.0.1"))) {
            int holePort = ((InetSocketAddress) hole.listener().getLocalAddress()).getPort();
            String set = runtime.run("l45:mhost set srv '[::1]:" + holePort + "' 127.0.0.1:"
                    + server.getLocalPort()); // Gogo reads [ ] itself: quoted
            Matcher virtual = VIRTUAL4.matcher(set);
            assertTrue(virtual.find(), set);
            ProcessResult dig = inNamespace(20, "dig", "+short", "+time=2", "+tries=1", "srv.mhost", "A");
            assertEquals(virtual.group(1), dig.stdout().strip(), "the stack's DNS answers the identifier\n" + dig);
            Thread echo = Thread.ofVirtual().start(() -> echoOnce(server));
            ProcessResult nc = inNamespace(20, "bash", "-c", "printf 'through srv\\n' | nc -N -v srv.mhost 80");
            echo.join(10_000);
            assertEquals("through srv\n", nc.stdout(), nc.toString());
            String virtual6 = set.strip().split(" ")[2].replaceAll(":$", ""); // "srv V4 V6: ADDRESS..."
            assertTrue(nc.stderr().contains("(" + virtual.group(1) + ")") || nc.stderr().contains("(" + virtual6
                    + ")"), "nc's peer is a virtual address of srv (" + set + "): " + nc);
            String list = runtime.run("l45:mhost list");
            assertTrue(list.contains("127.0.0.1:" + server.getLocalPort() + " (tcp, ") && list.contains("[::1]:"
                    + holePort + " no answer within 300 ms; 127.0.0.1:" + server.getLocalPort() + " connected"), list);
            assertTrue(runtime.run("l45:netstat").matches("(?s).*dns +answered +[1-9].*"), "netstat counts it");
        }
    }

    @Test
    void flowsShowsAnOpenUdpFlowAndWhatItUses() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.ofLiteral("::1"))) {
            runtime.run("l45:mhost set udpsrv '[::1]:" + server.getLocalPort() + "'");
            Thread echo = Thread.ofVirtual().start(() -> {
                try {
                    DatagramPacket p = new DatagramPacket(new byte[100], 100);
                    server.setSoTimeout(15_000);
                    server.receive(p);
                    server.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            ProcessResult py = inNamespace(20, "python3", "-c", String.join("\n",
                    "import socket",
                    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                    "s.settimeout(5)",
                    "s.connect(('udpsrv.mhost', 4000))",
                    "s.send(b'over udp')",
                    "print(s.recv(100).decode())"));
            echo.join(10_000);
            assertEquals("over udp\n", py.stdout(), py.toString());
            String flows = runtime.run("l45:mhost flows");
            assertTrue(Pattern.compile("udp +" + Pattern.quote(namespace) + " +10\\.45\\.0\\.2:\\d+ +10\\.46\\.\\S+:4000"
                    + " +udpsrv +\\[::1]:" + server.getLocalPort() + " .*first usable address").matcher(flows).find(),
                    flows);
        }
    }

    @Test
    void aChangedFileAppliesLiveAndARemovedIdentifierIsGone() throws Exception {
        Files.writeString(mhosts, "late 127.0.0.1\n", java.nio.file.StandardOpenOption.APPEND);
        String list = "";
        for (int i = 0; i < 50 && !list.contains("late "); i++) {
            Thread.sleep(100);
            list = runtime.run("l45:mhost list");
        }
        assertTrue(list.contains("conf/mhosts:4"), "the file was read again within 5 s:\n" + list);
        ProcessResult late = inNamespace(20, "dig", "+short", "+time=2", "+tries=1", "late", "A");
        assertTrue(VIRTUAL4.matcher(late.stdout()).find(), "a bare name is answered too\n" + late);
        assertEquals("late removed", runtime.run("l45:mhost remove late").strip());
        ProcessResult gone = inNamespace(20, "dig", "+time=2", "+tries=1", "late.mhost", "A");
        assertTrue(gone.stdout().contains("status: NXDOMAIN"), gone.toString());
    }

    /** A port on ::1 that never answers: a listener whose accept queue is full drops further SYNs. */
    private record BlackHole(ServerSocketChannel listener, List<SocketChannel> fillers) implements AutoCloseable {

        static BlackHole onIpv6Loopback() throws IOException {
            BlackHole hole = new BlackHole(ServerSocketChannel.open(StandardProtocolFamily.INET6), new ArrayList<>());
            try {
                hole.listener.bind(new InetSocketAddress(InetAddress.ofLiteral("::1"), 0), 1);
                for (int i = 0; i < 16; i++) {
                    SocketChannel filler = SocketChannel.open(StandardProtocolFamily.INET6);
                    hole.fillers.add(filler);
                    try {
                        filler.socket().connect(hole.listener.getLocalAddress(), 300);
                    } catch (java.net.SocketTimeoutException e) {
                        return hole;
                    }
                }
                throw new IOException("the accept queue of a listener on ::1 did not fill up");
            } catch (IOException | RuntimeException e) {
                hole.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel filler : fillers) {
                filler.close();
            }
            listener.close();
        }
    }

    private static void echoOnce(ServerSocket server) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            s.getOutputStream().write(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProcessResult inNamespace(long seconds, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("timeout", "--kill-after=2", Long.toString(seconds), "ip",
                "netns", "exec", namespace));
        argv.addAll(List.of(command));
        return ProcessResult.run(seconds + 10, argv.toArray(String[]::new));
    }
}
