package layer45.mnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.loop.StackOptions;
import layer45.mnet.phy.Device;
import layer45.mnet.phy.FaultOptions;
import layer45.mnet.phy.PcapWriterDevice;
import layer45.mnet.phy.linux.CommandResult;
import layer45.mnet.phy.linux.LinkConfigurator;
import layer45.mnet.phy.linux.TunLink;
import layer45.mnet.phy.linux.TunLinkOptions;
import layer45.mnet.phy.linux.TunException;
import layer45.mnet.service.TcpFixedReply;
import layer45.mnet.service.TcpForward;
import layer45.mnet.socket.tcp.TcpSettings;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.testing.TestNamespace;
import layer45.mnet.testing.TransmitFaultDevice;
import layer45.mnet.testing.Tshark;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.Ipv4Address;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our TCP against the Linux kernel's, over a real TUN link into a namespace the test creates, driven by unmodified
 * programs run there with {@code ip netns exec}:
 * <ul>
 * <li>{@code nc} sends 20 MB of random bytes (5 MB over IPv6) to the stack's echo service and gets every byte back
 *     (SHA-256 compared), and 50 MB to the discard service, exiting 0;</li>
 * <li>{@code curl} downloads the fixed HTTP reply (10 MB) over IPv4 and IPv6, byte for byte;</li>
 * <li>{@code iperf3} runs through a {@link TcpForward} in the stack, forward and reverse: its client talks to our
 *     TCP as a server, its server to our TCP as a client (active open); both exit 0, and the throughput is printed,
 *     not asserted;</li>
 * <li>the echo and the download stay byte-exact with 1 % loss and 5 % reordering on the link, both ways;</li>
 * <li>a connection to a port without listener is refused at once by our RST ({@code nc -z} fails fast);</li>
 * <li>{@code tshark} decodes the capture of a clean run with TCP, IP and UDP checksums verified, nothing malformed,
 *     and no expert warning beyond the refused connection's reset.</li>
 * </ul>
 * Each at MTU 1500 and 65520 (the capture and the refusal at 1500). Loss and reordering come from
 * {@link TransmitFaultDevice#bothWays}, seeded, around the TUN device; where the kernel has the {@code netem} qdisc
 * the echo and the download run once more with netem on the namespace's side (skipped with the reason elsewhere).
 * After each step the stack's TCP counters are printed and checked: the expected number of connections opened, none
 * aborted (but iperf3's, which ends its test with resets) or timed out, no bad checksum or malformed segment, and
 * sending failures no more than one segment in a hundred. Needs root and TUN; skipped with the reason elsewhere.
 * The namespace, the link and every program started are removed even when a step fails.
 */
@Timeout(120)
class TcpTunTest {

    private static final String STACK4 = "10.77.0.1";
    private static final String STACK6 = "fd77::1";
    private static final String PEER4 = "10.77.0.2";
    private static final int ECHO = 7;
    private static final int DISCARD = 9;
    private static final int HTTP = 80;
    private static final int CLOSED_PORT = 4444;
    private static final int FORWARD_PORT = 5201;
    private static final int IPERF_PORT = 5202;
    private static final int MB = 1 << 20;
    /** tshark's warnings about a full or zero window: a receiver that reads slower than its peer writes. */
    private static final List<String> FLOW_CONTROL_WARNINGS = List.of(
            "TCP window specified by the receiver is now completely full", "TCP Zero Window", "TCP ZeroWindowProbe");

    @TempDir
    Path directory;

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = { 1500, 65520 })
    void ncAndCurlMoveBulkDataByteForByte(int mtu) throws Exception {
        TestNamespace.assumeTunAvailable();
        Path file = randomFile("random-20M", 20 * MB, mtu);
        Path small = randomFile("random-5M", 5 * MB, mtu + 1);
        try (Rig rig = Rig.open(mtu, 10 * MB, UnaryOperator.identity())) {
            assertEchoed(rig, STACK4, file);
            assertEchoed(rig, STACK6, small);
            assertDiscarded(rig, STACK4, 50 * MB);
            assertDownloaded(rig, STACK4, 10 * MB);
            assertDownloaded(rig, STACK6, 10 * MB);
        }
    }

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = { 1500, 65520 })
    void iperf3TalksToOurTcpAsServerAndAsClient(int mtu) throws Exception {
        TestNamespace.assumeTunAvailable();
        try (Rig rig = Rig.open(mtu, 1024, UnaryOperator.identity())) {
            NetworkLayer ipv4 = rig.stack.call((iface, udp) -> iface.ipv4());
            long peer = Ipv4Address.parse(PEER4).bits() & 0xFFFF_FFFFL;
            rig.stack.callTcp(tcp -> tcp.listen(null, 0, 0, true, FORWARD_PORT,
                    new TcpForward(tcp, ipv4, 0, peer, IPERF_PORT)));
            double forward = iperf3(rig, false);
            double reverse = iperf3(rig, true);
            System.out.printf("iperf3 at MTU %d through the stack's forward: client to server %.0f Mbit/s,"
                    + " reverse (-R) %.0f Mbit/s%n", mtu, forward / 1e6, reverse / 1e6);
        }
    }

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = { 1500, 65520 })
    void lossAndReorderingBothWaysKeepStreamsExact(int mtu) throws Exception {
        TestNamespace.assumeTunAvailable();
        Path file = randomFile("random-5M", 5 * MB, mtu);
        FaultOptions faults = FaultOptions.seeded(mtu).withLoss(0.01).withReordering(0.05);
        try (Rig rig = Rig.open(mtu, 10 * MB, device -> TransmitFaultDevice.bothWays(device, faults, Clock.SYSTEM))) {
            Map<String, Long> before = tcpCounters(rig.stack);
            assertEchoed(rig, STACK4, file);
            assertDownloaded(rig, STACK4, 10 * MB);
            assertEchoed(rig, STACK6, file);
            Map<String, Long> delta = delta(before, tcpCounters(rig.stack));
            Map<String, Long> link = rig.stack.counters().get("device");
            System.out.println("link faults at MTU " + mtu + ": " + link);
            assertTrue(link.get("fault-lost") > 0 && link.get("fault-reordered") > 0, "faults toward the stack: "
                    + link);
            assertTrue(link.get("tx-fault-lost") > 0 && link.get("tx-fault-reordered") > 0, "faults from the stack: "
                    + link);
            assertTrue(delta.get("out-of-order-kept") > 0, "our receiver kept out-of-order data: " + delta);
            assertTrue(delta.get("fast-retransmits") + delta.get("retransmit-timeouts") > 0,
                    "our sender retransmitted: " + delta);
        }
    }

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = { 1500, 65520 })
    void lossAndReorderingByNetemWhereTheKernelHasIt(int mtu) throws Exception {
        TestNamespace.assumeTunAvailable();
        try (Rig rig = Rig.open(mtu, 10 * MB, UnaryOperator.identity())) {
            // netem on the namespace's side of the link disturbs what the kernel sends toward the stack.
            CommandResult tc = run(rig, 10, "tc", "qdisc", "add", "dev", rig.link.name(), "root", "netem", "delay",
                    "1ms", "loss", "1%", "reorder", "5%");
            Assumptions.assumeTrue(tc.succeeded(), () -> "the kernel has no netem qdisc (tc: " + tc.stderr().strip()
                    + "); the fault-injecting devices cover loss and reordering instead");
            Path file = randomFile("random-5M", 5 * MB, mtu);
            assertEchoed(rig, STACK4, file);
            assertDownloaded(rig, STACK4, 10 * MB);
        }
    }

    @Test
    void aConnectionToAPortWithoutListenerIsRefusedAtOnce() throws Exception {
        TestNamespace.assumeTunAvailable();
        try (Rig rig = Rig.open(1500, 1024, UnaryOperator.identity())) {
            assertRefused(rig, STACK4);
            assertRefused(rig, STACK6);
        }
    }

    @Test
    void tsharkDecodesACapturedCleanRunWithoutWarnings() throws Exception {
        TestNamespace.assumeTunAvailable();
        Path capture = directory.resolve("tcp-1500.pcap");
        Path file = randomFile("random-2M", 2 * MB, 7);
        try (Rig rig = Rig.open(1500, MB, device -> PcapWriterDevice.wrap(device, capture, Clock.SYSTEM))) {
            assertEchoed(rig, STACK4, file);
            assertEchoed(rig, STACK6, file);
            assertDiscarded(rig, STACK4, 2 * MB);
            assertDownloaded(rig, STACK4, MB);
            assertDownloaded(rig, STACK6, MB);
            assertRefused(rig, STACK4);
        }
        List<Tshark.Frame> frames = Tshark.decode(capture, directory);
        assertTrue(frames.size() > 1000, "frames captured: " + frames.size());
        int resets = 0;
        for (Tshark.Frame frame : frames) {
            assertTrue(frame.protocols().startsWith("raw:ip"), "an IP packet: " + frame.line());
            assertFalse(frame.malformed(), "not malformed: " + frame.line());
            for (String warning : frame.messagesAtLeast(Tshark.WARNING)) {
                if (warning.startsWith("Connection reset (RST)")) {
                    resets++;
                } else {
                    // Flow control at work is a warning too (a reader slower than the writer); nothing else is.
                    assertTrue(FLOW_CONTROL_WARNINGS.stream().anyMatch(warning::startsWith),
                            "no expert warning or error (bad checksum, segment lost or out of order): " + frame.line());
                }
            }
        }
        assertEquals(1, resets, "one reset: the refused connection's");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Scenarios
    // ---------------------------------------------------------------------------------------------------------

    /** nc sends the file to the echo service and writes what comes back; the two must be the same bytes. */
    private void assertEchoed(Rig rig, String host, Path file) throws Exception {
        Map<String, Long> before = tcpCounters(rig.stack);
        Path out = directory.resolve("echoed");
        long start = System.nanoTime();
        CommandResult nc = run(rig, 90, "bash", "-c", "timeout 80 nc -N " + host + " " + ECHO + " < " + file
                + " > " + out);
        String step = "nc echo of " + Files.size(file) + " bytes to " + host + " at MTU " + rig.mtu();
        assertEquals(0, nc.exitCode(), step + " failed: " + nc.stderr() + "; stack: " + tcpCounters(rig.stack));
        assertEquals(sha256(file), sha256(out), step + ": what came back differs from what was sent");
        report(step, start, Files.size(file) * 2);
        checkCounters(rig, step, before, 1);
    }

    /** nc sends zeros to the discard service and exits 0 once the service has read them all and closed. */
    private void assertDiscarded(Rig rig, String host, long bytes) {
        Map<String, Long> before = tcpCounters(rig.stack);
        long start = System.nanoTime();
        CommandResult nc = run(rig, 90, "bash", "-c", "head -c " + bytes + " /dev/zero | timeout 80 nc -N " + host
                + " " + DISCARD);
        String step = "nc of " + bytes + " bytes to discard on " + host + " at MTU " + rig.mtu();
        assertEquals(0, nc.exitCode(), step + " failed: " + nc.stderr() + "; stack: " + tcpCounters(rig.stack));
        report(step, start, bytes);
        Map<String, Long> delta = checkCounters(rig, step, before, 1);
        assertEquals(bytes, delta.get("bytes-received"), step + ": bytes the stack received");
    }

    /** curl fetches the fixed reply; its body must be {@link TcpFixedReply#patternBody}. */
    private void assertDownloaded(Rig rig, String host, int bytes) throws Exception {
        Map<String, Long> before = tcpCounters(rig.stack);
        Path out = directory.resolve("downloaded");
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + HTTP + "/";
        long start = System.nanoTime();
        CommandResult curl = run(rig, 90, "curl", "-sS", "--fail", "--max-time", "80", "-o", out.toString(), url);
        String step = "curl of " + url + " at MTU " + rig.mtu();
        assertEquals(0, curl.exitCode(), step + " failed: " + curl.stderr() + "; stack: " + tcpCounters(rig.stack));
        assertEquals(sha256(TcpFixedReply.patternBody(bytes)), sha256(out), step + ": the body is not the pattern");
        report(step, start, bytes);
        checkCounters(rig, step, before, 1);
    }

    /** nc -z to a port nobody listens on fails at once with "Connection refused": the stack answered with RST. */
    private static void assertRefused(Rig rig, String host) {
        Map<String, Long> before = tcpCounters(rig.stack);
        long start = System.nanoTime();
        CommandResult nc = run(rig, 20, "nc", "-v", "-z", "-w", "5", host, Integer.toString(CLOSED_PORT));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String step = "nc -z " + host + " " + CLOSED_PORT;
        assertEquals(1, nc.exitCode(), step + " should fail: " + nc.stdout() + nc.stderr());
        assertTrue(nc.stderr().contains("refused"), step + " is refused, not timed out: " + nc.stderr());
        assertTrue(millis < 3000, step + " took " + millis + " ms; a refusal is one round trip");
        Map<String, Long> delta = checkCounters(rig, step, before, 0);
        assertEquals(1, delta.get("no-listener"), step + ": the SYN found no listener: " + delta);
        assertEquals(1, delta.get("resets-sent"), step + ": answered with one RST: " + delta);
    }

    /**
     * Runs {@code iperf3 -s -1} on the peer's address and {@code iperf3 -c} against the stack's forward to it.
     *
     * @return the receiver's throughput in bits per second
     */
    private double iperf3(Rig rig, boolean reverse) throws Exception {
        Map<String, Long> before = tcpCounters(rig.stack);
        String mode = reverse ? "reverse" : "forward";
        Path serverOut = directory.resolve("iperf3-server-" + mode + ".json");
        Path serverErr = directory.resolve("iperf3-server-" + mode + ".err");
        Process server = rig.namespace.namespace().start("bash", "-c", "exec timeout 40 iperf3 -s -1 -J -B " + PEER4
                + " -p " + IPERF_PORT + " > " + serverOut + " 2> " + serverErr);
        try {
            awaitListening(rig, IPERF_PORT, server);
            String step = "iperf3 -c " + STACK4 + " -p " + FORWARD_PORT + (reverse ? " -R" : "") + " at MTU "
                    + rig.mtu();
            CommandResult client = reverse
                    ? run(rig, 40, "iperf3", "-c", STACK4, "-p", Integer.toString(FORWARD_PORT), "-t", "3", "-J",
                            "--connect-timeout", "5000", "-R")
                    : run(rig, 40, "iperf3", "-c", STACK4, "-p", Integer.toString(FORWARD_PORT), "-t", "3", "-J",
                            "--connect-timeout", "5000");
            assertEquals(0, client.exitCode(), step + " failed: " + client.stderr() + jsonError(client.stdout())
                    + "; stack: " + tcpCounters(rig.stack));
            assertTrue(server.waitFor(15, TimeUnit.SECONDS), "iperf3 -s -1 ends after its one test");
            assertEquals(0, server.exitValue(), "iperf3 server: " + Files.readString(serverErr)
                    + jsonError(Files.readString(serverOut)));
            double received = bitsPerSecond(client.stdout(), "sum_received");
            double sent = bitsPerSecond(client.stdout(), "sum_sent");
            assertTrue(received > 0 && sent > 0, step + ": no throughput in " + client.stdout());
            System.out.printf("%s: sent %.0f Mbit/s, received %.0f Mbit/s%n", step, sent / 1e6, received / 1e6);
            // Each iperf3 connection (control and data) is accepted by the stack and opened again toward the server.
            Map<String, Long> delta = checkCounters(rig, step, before, -1);
            assertTrue(delta.get("connections-opened") >= 4, step + ": two connections, each spliced: " + delta);
            return received;
        } finally {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
        }
    }

    private static void awaitListening(Rig rig, int port, Process server) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (!run(rig, 10, "ss", "-Hltn", "sport = :" + port).stdout().isBlank()) {
                return;
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("iperf3 -s did not listen on port " + port + " after 100 looks 50 ms apart (alive: "
                + server.isAlive() + ")");
    }

    private static double bitsPerSecond(String json, String sum) {
        Matcher m = Pattern.compile("\"" + sum + "\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+-]+)")
                .matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static String jsonError(String json) {
        Matcher m = Pattern.compile("\"error\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? " (iperf3: " + m.group(1) + ")" : "";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Counters
    // ---------------------------------------------------------------------------------------------------------

    private static Map<String, Long> tcpCounters(RunningStack stack) {
        return stack.counters().get("tcp");
    }

    /**
     * Prints what TCP counted during a step and checks it.
     *
     * @param opened connections the step opens, or -1 to leave the count to the caller
     * @return the counters' growth during the step
     */
    private static Map<String, Long> checkCounters(Rig rig, String step, Map<String, Long> before, int opened) {
        Map<String, Long> delta = delta(before, tcpCounters(rig.stack));
        Map<String, Long> shown = new LinkedHashMap<>();
        delta.forEach((name, value) -> {
            if (value != 0) {
                shown.put(name, value);
            }
        });
        System.out.println("  TCP counters of " + step + ": " + shown);
        if (opened >= 0) {
            assertEquals(opened, delta.get("connections-opened"), step + ": connections opened: " + shown);
        }
        for (String zero : List.of("bad-checksum", "bad-port", "connections-timed-out", "memory-limit",
                "connection-table-full", "syn-queue-full", "backlog-full")) {
            assertEquals(0, delta.get(zero), step + ": " + zero + ": " + shown);
        }
        delta.forEach((name, value) -> {
            if (name.startsWith("malformed-")) {
                assertEquals(0, value, step + ": " + name + ": " + shown);
            }
        });
        if (opened >= 0) { // iperf3 ends its test connections with resets, which the forward passes on
            assertEquals(0, delta.get("connections-aborted"), step + ": no connection reset: " + shown);
        }
        assertTrue(delta.get("send-failed") * 100 <= delta.get("segments-sent"),
                step + ": sending failed for more than 1 % of the segments: " + shown);
        return delta;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new LinkedHashMap<>();
        after.forEach((name, value) -> delta.put(name, value - before.getOrDefault(name, 0L)));
        return delta;
    }

    private static void report(String step, long startNanos, long bytes) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%s: %.2f s, %.0f Mbit/s%n", step, seconds, bytes * 8 / seconds / 1e6);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Files and commands
    // ---------------------------------------------------------------------------------------------------------

    private Path randomFile(String name, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        Path file = directory.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest()) + " (" + Files.size(file) + " bytes)";
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes)) + " (" + bytes.length + " bytes)";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static CommandResult run(Rig rig, int seconds, String... command) {
        return rig.namespace.namespace().exec(Duration.ofSeconds(seconds), command);
    }

    /** A namespace with the TUN link, and the stack on it serving echo, discard and a fixed HTTP reply. */
    private static final class Rig implements AutoCloseable {

        final TestNamespace namespace;
        final TunLinkOptions link;
        final TunLink tun;
        final RunningStack stack;

        private Rig(TestNamespace namespace, TunLinkOptions link, TunLink tun, RunningStack stack) {
            this.namespace = namespace;
            this.link = link;
            this.tun = tun;
            this.stack = stack;
        }

        /**
         * @param mtu the link's MTU
         * @param httpBytes the size of the HTTP reply's body
         * @param wrap wraps the TUN device (capture, faults)
         */
        static Rig open(int mtu, int httpBytes, UnaryOperator<Device> wrap) throws TunException {
            TestNamespace namespace = TestNamespace.create();
            TunLink tun = null;
            RunningStack stack = null;
            try {
                TunLinkOptions link = new TunLinkOptions("l45tcp0", namespace.name(), mtu,
                        TunLinkOptions.queueLengthFor(mtu), List.of(PEER4 + "/24", "fd77::2/64"), true);
                tun = TunLink.open(link, new LinkConfigurator());
                Device device = wrap.apply(tun.device());
                stack = RunningStack.start(device, new StackOptions(
                        InterfaceConfig.of(List.of(IpCidr.parse(STACK4 + "/24"), IpCidr.parse(STACK6 + "/64"))),
                        UdpSettings.DEFAULTS, TcpSettings.DEFAULTS, ECHO, DISCARD, HTTP, httpBytes, link.name(),
                        namespace.name(), link.peerAddresses()), () -> null, Clock.SYSTEM);
                assertTrue(stack.status().running(), stack.status().reason());
                return new Rig(namespace, link, tun, stack);
            } catch (TunException | RuntimeException | Error e) {
                try {
                    if (stack != null) {
                        stack.close();
                    }
                    if (tun != null) {
                        tun.close();
                    }
                } finally {
                    namespace.close();
                }
                throw e;
            }
        }

        int mtu() {
            return link.mtu();
        }

        @Override
        public void close() {
            try {
                stack.close();
            } finally {
                try {
                    tun.close();
                } finally {
                    namespace.close();
                }
            }
        }
    }
}
