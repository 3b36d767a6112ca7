package layer45.mnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.loop.StackOptions;
import layer45.mnet.phy.PcapWriterDevice;
import layer45.mnet.phy.linux.CommandResult;
import layer45.mnet.phy.linux.LinkConfigurator;
import layer45.mnet.phy.linux.TunLink;
import layer45.mnet.phy.linux.TunLinkOptions;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.testing.TestNamespace;
import layer45.mnet.testing.Tshark;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpCidr;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stack on a real TUN link in a namespace the test creates, talked to by unmodified programs there: {@code ping}
 * and {@code ping -6} (small, and large enough to be fragmented at MTU 1500), {@code nc -u} and a Java
 * {@link java.net.DatagramSocket} against the stack's UDP echo service. Everything the link carried is captured,
 * and {@code tshark} must decode the capture with checksums verified and no expert warning. Needs root; skipped
 * with the reason elsewhere.
 */
@Timeout(180)
class TunEndToEndTest {

    @TempDir
    Path directory;

    @ParameterizedTest(name = "MTU {0}")
    @ValueSource(ints = { 1500, 65520 })
    void programsInTheNamespaceReachTheStack(int mtu) throws Exception {
        TestNamespace.assumeTunAvailable();
        Path capture = directory.resolve("link-" + mtu + ".pcap");
        try (TestNamespace namespace = TestNamespace.create()) {
            TunLinkOptions link = new TunLinkOptions("l45e2e0", namespace.name(), mtu,
                    TunLinkOptions.queueLengthFor(mtu), List.of("10.77.0.2/24", "fd77::2/64"), true);
            try (TunLink tun = TunLink.open(link, new LinkConfigurator());
                    RunningStack stack = RunningStack.start(
                            PcapWriterDevice.wrap(tun.device(), capture, Clock.SYSTEM),
                            new StackOptions(InterfaceConfig.of(List.of(IpCidr.parse("10.77.0.1/24"),
                                    IpCidr.parse("fd77::1/64"))), UdpSettings.DEFAULTS, 7, "l45e2e0",
                                    namespace.name(), link.peerAddresses()),
                            () -> null, Clock.SYSTEM)) {
                assertTrue(stack.status().running(), stack.status().reason());

                assertPing(namespace, "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.77.0.1");
                assertPing(namespace, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "2", "fd77::1");
                // Larger than an MTU of 1500: fragmented by the namespace's kernel, reassembled by the stack, and
                // the reply fragmented by the stack.
                assertPing(namespace, "ping", "-c", "2", "-i", "0.2", "-W", "2", "-s", "4000", "10.77.0.1");
                assertPing(namespace, "ping", "-6", "-c", "2", "-i", "0.2", "-W", "2", "-s", "4000", "fd77::1");

                assertEquals("hello over ipv4\n", run(namespace, "bash", "-c",
                        "echo 'hello over ipv4' | nc -u -w 1 10.77.0.1 7").stdout());
                assertEquals("hello over ipv6\n", run(namespace, "bash", "-c",
                        "echo 'hello over ipv6' | nc -6 -u -w 1 fd77::1 7").stdout());

                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                String classes = Path.of("target", "test-classes").toAbsolutePath().toString();
                for (String host : List.of("10.77.0.1", "fd77::1")) {
                    String out = run(namespace, java, "-cp", classes, "layer45.mnet.testing.UdpEchoClient", host,
                            "7", "50").stdout();
                    assertTrue(out.contains("echoed 50 of 50"), host + ": " + out);
                }

                Map<String, Map<String, Long>> counters = stack.counters();
                assertEquals(0, counters.get("interface").get("internal-error"), counters.toString());
                assertEquals(0, counters.get("udp").get("bad-checksum"), counters.toString());
                assertEquals(0, counters.get("ipv4").get("bad-checksum"), counters.toString());
                assertTrue(counters.get("icmpv4").get("echo-answered") >= 5, counters.toString());
                assertTrue(counters.get("icmpv6").get("echo-answered") >= 5, counters.toString());
                assertTrue(counters.get("udp").get("flows-opened") >= 4, counters.toString());
                if (mtu == 1500) {
                    assertTrue(counters.get("reassembly-ipv4").get("datagram-reassembled") >= 2, counters.toString());
                    assertTrue(counters.get("ipv4").get("fragmented") >= 2, counters.toString());
                    assertTrue(counters.get("ipv6").get("fragmented") >= 2, counters.toString());
                }
                List<UdpFlowStatus> flows = stack.udpFlows();
                assertTrue(flows.stream().anyMatch(f -> f.remote().equals("10.77.0.1:7")
                        && f.local().startsWith("10.77.0.2:")), flows.toString());
            }
            assertTsharkDecodesCleanly(capture);
        }
    }

    private static void assertPing(TestNamespace namespace, String... command) {
        CommandResult result = run(namespace, command);
        assertEquals(0, result.exitCode(), String.join(" ", command) + ":\n" + result.stdout() + result.stderr());
        assertTrue(result.stdout().contains(" 0% packet loss"), result.stdout());
    }

    private static CommandResult run(TestNamespace namespace, String... command) {
        return namespace.namespace().exec(Duration.ofSeconds(60), command);
    }

    /** tshark reads the capture with IP, UDP and ICMP checksums checked, and reports no expert info at all. */
    private void assertTsharkDecodesCleanly(Path capture) throws IOException, InterruptedException {
        assertTrue(Files.size(capture) > 24, "the capture has packets");
        List<Tshark.Frame> frames = Tshark.decode(capture, directory);
        assertTrue(frames.size() > 20, "frames: " + frames.size());
        for (Tshark.Frame frame : frames) {
            assertTrue(frame.protocols().startsWith("raw:ip"), "an IP packet: " + frame.line());
            assertTrue(frame.messages().isEmpty() && !frame.malformed(),
                    "no malformed packet or expert warning: " + frame.line());
        }
    }
}
