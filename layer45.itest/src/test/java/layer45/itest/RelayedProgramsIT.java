package layer45.itest;

import static layer45.itest.Programs.awaitListening;
import static layer45.itest.Programs.onHost;
import static layer45.itest.Programs.randomFile;
import static layer45.itest.Programs.sha256;
import static layer45.itest.Programs.tool;
import static layer45.itest.Programs.withPrefix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Unmodified programs in the runtime's namespace reach servers on the host's loopback through the stack and its
 * relay, and host clients reach servers in the namespace through port forwards: curl, nc, iperf3, dig, ping and
 * python3's HTTP server, as the Debian packages of {@code scripts/deps.sh} install them.
 *
 * <p>The runtime is started once for the class, as {@code ./layer45 start} starts it ({@link RuntimeConsole}), with
 * its DNS relayed to a dnsmasq the test runs on the host's 127.0.0.1 and two forwards into the namespace: TCP to port
 * {@value #NS_HTTP_PORT} and UDP to port 53. In the namespace the host's 127.0.0.1 is {@value #HOST4} and its ::1 is
 * {@value #HOST6}. Every server listens on the host's loopback or in the namespace, on ports picked at run time;
 * every program runs under a time limit and is killed when its test ends. The session's transcript is kept in
 * {@code target/relayed-programs-transcript.txt}.
 */
class RelayedProgramsIT {

    private static final String HOST4 = "10.45.0.254";
    private static final String HOST6 = "fd45::fe";
    /** The namespace's own address, where port forwards go. */
    private static final String NS4 = "10.45.0.2";
    private static final int NS_HTTP_PORT = 8000;
    /** dnsmasq's local record, on the host and in the namespace. */
    private static final String NAME = "example.test";
    private static final String NAME_ADDRESS = "192.0.2.7";
    private static final Path TRANSCRIPT = Path.of("target", "relayed-programs-transcript.txt");
    private static final List<String> TOOLS = List.of("curl", "nc", "iperf3", "dnsmasq", "dig", "python3", "ping",
            "ss", "timeout");

    private static Path work;
    private static BackgroundProgram hostDns;
    private static RuntimeConsole runtime;
    private static String namespace;
    private static int tcpForward;
    private static int udpForward;

    @BeforeAll
    static void startTheRuntimeWithDnsAndForwards() throws Exception {
        Assumptions.assumeTrue(TestNetns.privileged(), "needs root and /dev/net/tun for the stack's TUN link");
        for (String tool : TOOLS) {
            Assumptions.assumeTrue(tool(tool) != null, "needs " + tool + ": scripts/deps.sh installs it");
        }
        Path jar = Path.of(System.getProperty("layer45.it.runtimeJar"));
        assertTrue(Files.isRegularFile(jar), "cnf exported " + jar + ": build it with mvn package first");
        Files.deleteIfExists(TRANSCRIPT);
        work = Files.createTempDirectory("layer45-relayed");
        try {
            int dnsPort = FreePorts.pick();
            hostDns = BackgroundProgram.start("dnsmasq on the host's 127.0.0.1", 300,
                    dnsmasq("127.0.0.1", dnsPort));
            awaitListening(null, "udp", dnsPort, hostDns);
            tcpForward = FreePorts.pick();
            udpForward = FreePorts.pick();
            runtime = RuntimeConsole.start("relayed programs", TRANSCRIPT, jar, work, work.resolve("autoload"),
                    "layer45.net.dns=127.0.0.1:" + dnsPort,
                    "layer45.net.forwards=tcp:" + tcpForward + ":" + NS_HTTP_PORT + ",udp:" + udpForward + ":53");
            namespace = runtime.namespace();
            assertTrue(runtime.err().contains("layer45: network stack on "),
                    "the stack is on: " + runtime.transcript());
        } catch (Throwable t) {
            stopEverything();
            throw t;
        }
    }

    @AfterAll
    static void theRuntimeStopsCleanlyAndLeavesNothingBehind() throws Exception {
        try {
            if (runtime != null) {
                runtime.stopCleanly();
                assertFalse(Files.exists(TestNetns.etcDirectory(namespace)),
                        "the runtime deleted " + TestNetns.etcDirectory(namespace));
            }
        } finally {
            stopEverything();
        }
    }

    /** Kills what is still running (the runtime first, then the host's dnsmasq) and deletes the files. */
    private static void stopEverything() throws IOException, InterruptedException {
        try {
            if (runtime != null) {
                runtime.close(); // also deletes the namespace and its /etc/netns files if the runtime could not
            }
        } finally {
            runtime = null;
            try {
                if (hostDns != null) {
                    hostDns.close();
                }
            } finally {
                hostDns = null;
                if (work != null) {
                    OsgiFixture.delete(work);
                }
            }
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // From the namespace to the host's loopback
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void curlDownloadsA100MbFileFromAnHttpServerOnTheHostLoopbackByteExact() throws Exception {
        curlDownloads("127.0.0.1", HOST4, 100L << 20);
    }

    @Test
    void curlDownloadsAFileOverIpv6FromTheHostsIpv6Loopback() throws Exception {
        curlDownloads("::1", "[" + HOST6 + "]", 8L << 20);
    }

    private static void curlDownloads(String loopback, String mapped, long size) throws Exception {
        Path site = Files.createTempDirectory(work, "site");
        String sha256 = randomFile(site.resolve("file.bin"), size);
        int port = FreePorts.pick();
        try (BackgroundProgram server = BackgroundProgram.start("python3 -m http.server on the host", 120,
                tool("python3"), "-m", "http.server", Integer.toString(port), "--bind", loopback, "--directory",
                site.toString())) {
            awaitListening(null, "tcp", port, server);
            Path download = site.resolve("download.bin");
            ProcessResult curl = inNamespace(90, "curl", "-sS", "-g", "--fail", "-o", download.toString(), "-w",
                    "%{size_download} bytes in %{time_total} s\n", "http://" + mapped + ":" + port + "/file.bin");
            System.out.println("curl from " + mapped + ": " + curl.stdout().strip());
            assertEquals(0, curl.exitCode(), "curl in the namespace downloads from " + mapped + "\n" + curl
                    + "\n" + server.output());
            assertEquals(size, Files.size(download), curl.toString());
            assertEquals(sha256, sha256(download), "the download is byte-exact\n" + curl);
        } finally {
            OsgiFixture.delete(site);
        }
    }

    @ParameterizedTest(name = "nc over {1}")
    @CsvSource({ "127.0.0.1, " + HOST4, "::1, " + HOST6 })
    void ncSendsAFileToATcpServerOnTheHostLoopbackAndReceivesOneBack(String loopback, String mapped)
            throws Exception {
        Path files = Files.createTempDirectory(work, "nc");
        try (ServerSocket server = listen(loopback)) {
            String sent = randomFile(files.resolve("up.bin"), 4 << 20);
            CompletableFuture<String> received = inBackground(() -> receiveOne(server));
            ProcessResult upload = inNamespace(30, "bash", "-c", "nc -N " + mapped + " " + server.getLocalPort()
                    + " < " + files.resolve("up.bin"));
            assertEquals(0, upload.exitCode(), "nc in the namespace sends a file to " + mapped + "\n" + upload);
            assertEquals(sent + " " + (4 << 20), received.get(30, TimeUnit.SECONDS),
                    "the server on " + loopback + " received it byte-exact\n" + upload);

            String served = randomFile(files.resolve("down.bin"), 4 << 20);
            CompletableFuture<Void> written = inBackground(() -> sendOne(server, files.resolve("down.bin")));
            ProcessResult download = inNamespace(30, "bash", "-c", "nc -d " + mapped + " " + server.getLocalPort()
                    + " > " + files.resolve("received.bin"));
            written.get(30, TimeUnit.SECONDS);
            assertEquals(0, download.exitCode(), "nc in the namespace receives a file from " + mapped + "\n"
                    + download);
            assertEquals(served, sha256(files.resolve("received.bin")), "nc received it byte-exact\n" + download);
        } finally {
            OsgiFixture.delete(files);
        }
    }

    @ParameterizedTest(name = "nc -u over {1}")
    @CsvSource({ "127.0.0.1, " + HOST4, "::1, " + HOST6 })
    void ncGetsTheAnswerOfAUdpServerOnTheHostLoopback(String loopback, String mapped) throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral(loopback), 0))) {
            server.setSoTimeout(20_000);
            CompletableFuture<String> heard = inBackground(() -> {
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                server.receive(packet);
                String question = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                byte[] answer = ("answer to " + question).getBytes(StandardCharsets.UTF_8);
                server.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                return question;
            });
            ProcessResult nc = inNamespace(20, "bash", "-c", "echo 'hello over udp' | nc -u -w 1 " + mapped + " "
                    + server.getLocalPort());
            assertEquals("hello over udp\n", heard.get(20, TimeUnit.SECONDS), "the server on " + loopback
                    + " got nc's datagram\n" + nc);
            assertEquals("answer to hello over udp\n", nc.stdout(), "nc printed the server's answer\n" + nc);
        }
    }

    @Test
    void socketsShowsARelayedIpv6FlowInTheShortFormAsNetstatDoes() throws Exception {
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("::1"), 0))) {
            ProcessResult nc = inNamespace(20, "bash", "-c", "echo short | nc -u -w 1 " + HOST6 + " "
                    + server.getLocalPort());
            assertEquals(0, nc.exitCode(), nc.toString());
            String remote = "[" + HOST6 + "]:" + server.getLocalPort();
            assertTrue(new Netstat(runtime.run("l45:netstat")).text().contains(" " + remote + " "),
                    "netstat shows the flow to " + remote);
            String sockets = runtime.run("l45:sockets");
            assertTrue(sockets.contains(" " + remote + " "), "sockets shows the flow to " + remote + ":\n" + sockets);
        }
    }

    @ParameterizedTest(name = "refused over {0}")
    @CsvSource({ HOST4, HOST6 })
    void aHostLoopbackPortNobodyListensOnRefusesNcOverTcpAndDigOverUdp(String mapped) throws Exception {
        int port = FreePorts.pick();
        ProcessResult nc = inNamespace(20, "nc", "-z", "-v", "-w", "5", mapped, Integer.toString(port));
        assertEquals(1, nc.exitCode(), nc.toString());
        assertTrue(nc.stderr().contains("refused"), "nc reports the host's refusal (a RST): " + nc);
        // UDP: the host's ICMP port unreachable comes back to dig, which says so at once instead of timing out
        ProcessResult dig = inNamespace(20, "dig", "@" + mapped, "-p", Integer.toString(port), NAME, "+time=5",
                "+tries=1");
        assertTrue(dig.stdout().contains("connection refused"), "dig reports the port unreachable: " + dig);
    }

    @ParameterizedTest(name = "iperf3 over {1}")
    @CsvSource({ "127.0.0.1, " + HOST4, "::1, " + HOST6 })
    void iperf3MovesDataOverTcpAndUdpToAServerOnTheHostLoopback(String loopback, String mapped) throws Exception {
        int port = FreePorts.pick();
        try (BackgroundProgram server = BackgroundProgram.start("iperf3 -s on the host", 60, tool("iperf3"), "-s",
                "-B", loopback, "-p", Integer.toString(port), "--forceflush")) {
            awaitListening(null, "tcp", port, server);
            for (List<String> mode : List.<List<String>>of(List.of(), List.of("-u", "-b", "50M"))) {
                List<String> command = new ArrayList<>(List.of("iperf3", "-c", mapped, "-p", Integer.toString(port),
                        "-t", "2", "-J", "--connect-timeout", "5000"));
                command.addAll(mode);
                String what = "iperf3 " + (mode.isEmpty() ? "TCP" : "UDP") + " to " + mapped;
                ProcessResult iperf = inNamespace(30, command.toArray(String[]::new));
                assertEquals(0, iperf.exitCode(), what + "\n" + iperf + "\n" + server.output());
                long sent = (long) iperfSum(iperf.stdout(), "sum_sent", "bytes");
                long received = (long) iperfSum(iperf.stdout(), "sum_received", "bytes");
                System.out.printf("%s: sent %d bytes, received %d at %.1f Mbit/s%n", what, sent, received,
                        iperfSum(iperf.stdout(), "sum_received", "bits_per_second") / 1e6);
                assertTrue(sent > 0 && received > 0, what + " moved data\n" + iperf);
            }
        }
    }

    @Test
    void pingReachesTheHostLoopbackOverIpv4AndIpv6() throws Exception {
        for (String address : List.of(HOST4, HOST6)) {
            ProcessResult ping = inNamespace(20, "ping", "-c", "2", "-i", "0.2", "-W", "3", address);
            assertEquals(0, ping.exitCode(), "ping " + address + " from the namespace\n" + ping);
            assertTrue(ping.stdout().contains("2 received"), ping.toString());
        }
    }

    @Test
    void digInTheNamespaceAsksTheHostsDnsServerThroughTheNamespacesResolver() throws Exception {
        Path resolvConf = TestNetns.etcDirectory(namespace).resolve("resolv.conf");
        String resolvers = Files.readString(resolvConf);
        assertTrue(resolvers.contains("nameserver 10.45.0.1"), resolvConf + ":\n" + resolvers);
        // The resolver's first address over UDP, as programs ask it; over TCP; and the stack's IPv6 address.
        for (List<String> options : List.of(List.<String>of(), List.of("+tcp"), List.of("@fd45::1"))) {
            List<String> command = new ArrayList<>(List.of("dig", NAME, "+short", "+time=2", "+tries=2"));
            command.addAll(options);
            ProcessResult dig = inNamespace(20, command.toArray(String[]::new));
            assertEquals(NAME_ADDRESS, dig.stdout().strip(), String.join(" ", command) + " in the namespace, answered"
                    + " by the host's dnsmasq (net.dns)\n" + dig + "\n" + resolvConf + ":\n" + resolvers
                    + hostDns.output());
        }
        assertTrue(hostDns.output().contains("query[A] " + NAME + " from 127.0.0.1"),
                "the queries reached the dnsmasq on the host:\n" + hostDns.output());
    }

    @Test
    void netstatShowsTheRelaysCountersAndAnOpenRelayedConnection() throws Exception {
        try (ServerSocket server = listen("127.0.0.1")) {
            CompletableFuture<Socket> accepted = inBackground(server::accept);
            String remote = HOST4 + ":" + server.getLocalPort();
            try (BackgroundProgram nc = BackgroundProgram.start("nc held open in the namespace", 30, "ip", "netns",
                    "exec", namespace, "nc", "-d", HOST4, Integer.toString(server.getLocalPort()));
                    Socket connection = accepted.get(20, TimeUnit.SECONDS)) {
                Netstat open = netstatUntil(n -> n.connection(remote) != null, "the connection to " + remote);
                assertEquals("ESTABLISHED", open.connection(remote).get("State"), open.text());
                assertTrue(open.connection(remote).get("Flow").matches("\\d+"),
                        "the relayed connection is a flow of the customization runtime: " + open.text());
                assertTrue(open.relay("tcp-connects") >= 1, open.text());
                assertTrue(open.relay("open-flows") >= 1, open.text());

                connection.getOutputStream().write("bye\n".getBytes(StandardCharsets.UTF_8));
                connection.shutdownOutput(); // nc sees the end and exits; the stack's connection closes
                ProcessResult ended = nc.awaitExit(20);
                assertEquals("bye\n", ended.stdout(), ended.toString());
                // The host's side closed first, so the stack's side of the connection waits in TIME_WAIT (or is gone).
                Netstat closed = netstatUntil(n -> n.connection(remote) == null
                        || n.connection(remote).get("State").equals("TIME_WAIT"), "the connection to " + remote
                        + " closed");
                assertTrue(closed.relay("bytes-in") >= 4, closed.text());
            }
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // From the host into the namespace, through net.forwards
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void curlOnTheHostDownloadsFromAnHttpServerInTheNamespaceThroughATcpForward() throws Exception {
        Path site = Files.createTempDirectory(work, "ns-site");
        String sha256 = randomFile(site.resolve("file.bin"), 8L << 20);
        try (BackgroundProgram server = BackgroundProgram.start("python3 -m http.server in the namespace", 60, "ip",
                "netns", "exec", namespace, tool("python3"), "-m", "http.server", Integer.toString(NS_HTTP_PORT),
                "--bind", NS4, "--directory", site.toString())) {
            awaitListening(namespace, "tcp", NS_HTTP_PORT, server);
            Path download = site.resolve("download.bin");
            ProcessResult curl = onHost(30, "curl", "-sS", "--fail", "-o", download.toString(),
                    "http://127.0.0.1:" + tcpForward + "/file.bin");
            assertEquals(0, curl.exitCode(), "curl on the host through forward tcp:" + tcpForward + ":"
                    + NS_HTTP_PORT + "\n" + curl + "\n" + server.output());
            assertEquals(sha256, sha256(download), "the download is byte-exact\n" + curl);
        } finally {
            OsgiFixture.delete(site);
        }
    }

    @Test
    void aHostClientOfATcpForwardIsResetWhenNothingListensInTheNamespace() throws Exception {
        Netstat before = new Netstat(runtime.run("l45:netstat"));
        long aborted = before.relay("tcp-aborts");
        long refused = before.relay("tcp-forwards-refused");
        ProcessResult curl = onHost(20, "curl", "-sS", "--max-time", "10", "http://127.0.0.1:" + tcpForward + "/");
        // The relay accepts, the namespace refuses, the relay resets: curl sees the reset while connecting (7) or
        // receiving (56), whichever it notices first; never a timeout (28), nor a response.
        assertTrue(curl.exitCode() == 7 || curl.exitCode() == 56, "the namespace's refusal reaches curl as a reset"
                + " at once\n" + curl);
        Netstat netstat = new Netstat(runtime.run("l45:netstat"));
        assertEquals(List.of(aborted + 1, refused + 1), List.of(netstat.relay("tcp-aborts"),
                netstat.relay("tcp-forwards-refused")), "the forward accepted curl's connection and reset it when the"
                + " namespace refused it:\n" + netstat.text());
    }

    @Test
    void digOnTheHostIsAnsweredByDnsmasqInTheNamespaceThroughAUdpForward() throws Exception {
        try (BackgroundProgram server = BackgroundProgram.start("dnsmasq in the namespace", 60,
                withPrefix(List.of("ip", "netns", "exec", namespace), dnsmasq(NS4, 53)))) {
            awaitListening(namespace, "udp", 53, server);
            ProcessResult dig = onHost(20, "dig", "@127.0.0.1", "-p", Integer.toString(udpForward), NAME, "+short",
                    "+time=2", "+tries=2");
            assertEquals(NAME_ADDRESS, dig.stdout().strip(), "dig on the host through forward udp:" + udpForward
                    + ":53\n" + dig + "\n" + server.output());
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Helpers
    // -------------------------------------------------------------------------------------------------------------

    private static ProcessResult inNamespace(long seconds, String... command) throws Exception {
        return Programs.inNamespace(namespace, seconds, command);
    }

    private static String[] dnsmasq(String address, int port) {
        return Programs.dnsmasq(address, port, NAME, NAME_ADDRESS);
    }

    private static ServerSocket listen(String loopback) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.ofLiteral(loopback), 0));
        server.setSoTimeout(30_000);
        return server;
    }

    private static <T> CompletableFuture<T> inBackground(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name("layer45-it-server").start(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** @return the SHA-256 and length of what one client sent */
    private static String receiveOne(ServerSocket server) throws IOException {
        MessageDigest digest = Programs.sha256Digest();
        try (Socket client = server.accept();
                InputStream in = new DigestInputStream(client.getInputStream(), digest)) {
            client.setSoTimeout(30_000);
            long length = in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.digest()) + " " + length;
        }
    }

    /** Sends a file to one client and closes. */
    private static Void sendOne(ServerSocket server, Path file) throws IOException {
        try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
            Files.copy(file, out);
        }
        return null;
    }

    /** @return a number from iperf3's JSON report's end section, such as sum_received's bytes */
    private static double iperfSum(String json, String section, String field) {
        Matcher sum = Pattern.compile("\"" + section + "\"\\s*:\\s*\\{([^}]*)}").matcher(json);
        if (sum.find()) {
            Matcher value = Pattern.compile("\"" + field + "\"\\s*:\\s*([0-9.eE+-]+)").matcher(sum.group(1));
            if (value.find()) {
                return Double.parseDouble(value.group(1));
            }
        }
        throw new AssertionError("iperf3's report has no " + section + "." + field + ":\n" + json);
    }

    private static Netstat netstatUntil(java.util.function.Predicate<Netstat> check, String what) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            Netstat netstat = new Netstat(runtime.run("l45:netstat"));
            if (check.test(netstat)) {
                return netstat;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("l45:netstat did not show " + what + " within 10 s:\n" + runtime.run("l45:netstat"));
    }

    /** What {@code l45:netstat} printed: counters by layer, UDP flows, TCP connections. */
    private record Netstat(String text) {

        long relay(String counter) {
            GogoSession.Table counters = GogoSession.Table.parse(text.split("\n\n")[0], "Value");
            return counters.rows().stream().filter(r -> r.get("Layer").equals("relay")
                    && r.get("Counter").equals(counter)).mapToLong(r -> Long.parseLong(r.get("Value"))).findFirst()
                    .orElse(0);
        }

        /** @return the TCP connection to that remote endpoint, or {@code null} */
        Map<String, String> connection(String remote) {
            GogoSession.Table tcp = GogoSession.Table.parse(text.split("\n\n")[2], "Flow", "From app", "To app",
                    "Send-Q", "Recv-Q", "Cwnd", "RTT (ms)");
            return tcp.rows().stream().filter(r -> remote.equals(r.get("Remote"))).findFirst().orElse(null);
        }
    }
}
