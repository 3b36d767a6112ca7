package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A network protocol bundle loaded and unloaded at runtime, as an operator does it: the runtime runs two peer links
 * joined through loopback ({@code a} and {@code b}, tunnels to each other, from {@code peer.NAME} settings), and a
 * host identifier {@code far} whose first address is on the demo protocol. The demo bundle dropped into autoload
 * plugs demo into both links (not into the TUN stack, which cannot carry it), UDP echoes cross over it, the
 * identifier's demo address becomes available; the jar removed, demo is unplugged, its flows end, the address is
 * unavailable again, and IPv4 over the links goes on. An unmodified {@code nc} in the runtime's namespace sends to
 * {@code far.mhost}: the relay carries it over demo through peer link {@code a} to {@code b}'s echo service while
 * demo is plugged in, and to the identifier's next address (an echo server on the host's loopback) otherwise. Checked with
 * {@code l45:peer}, {@code l45:netstat}, {@code l45:ifconfig} and {@code l45:mhost}; the session's transcript is
 * kept in {@code target/peer-link-protocol-transcript.txt}.
 */
class PeerLinkProtocolIT {

    private static final Path TRANSCRIPT = Path.of("target", "peer-link-protocol-transcript.txt");
    private static final String DEMO_JAR = "demo-l3.jar";

    private static Path work;
    private static RuntimeConsole runtime;
    /** A UDP echo server on the host's loopback that answers "host:" and what it got: the identifier's IPv4 address. */
    private static DatagramSocket hostEcho;

    @BeforeAll
    static void startTheRuntimeWithTwoPeerLinks() throws Exception {
        Assumptions.assumeTrue(TestNetns.privileged(), "needs root and /dev/net/tun for the stack's TUN link");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/nc")), "needs nc: scripts/deps.sh installs it");
        Path jar = Path.of(System.getProperty("layer45.it.runtimeJar"));
        assertTrue(Files.isRegularFile(jar), "cnf exported " + jar + ": build it with mvn package first");
        Files.deleteIfExists(TRANSCRIPT);
        work = Files.createTempDirectory("layer45-mproto-peer");
        try {
            hostEcho = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0));
            Thread.ofPlatform().daemon().name("host-echo").start(PeerLinkProtocolIT::echoAsTheHost);
            int portA = FreePorts.pick();
            int portB = FreePorts.pick();
            runtime = RuntimeConsole.start("peer links", TRANSCRIPT, jar, work,
                    Files.createDirectories(work.resolve("autoload")), "layer45.net.dns=",
                    "layer45.peer.a=local=127.0.0.1:" + portA + " remote=127.0.0.1:" + portB
                            + " addresses=10.77.0.1/24,fd77::1/64,demo:fd4d::1",
                    "layer45.peer.b=local=127.0.0.1:" + portB + " remote=127.0.0.1:" + portA
                            + " addresses=10.77.0.2/24,fd77::2/64,demo:fd4d::2",
                    "layer45.mhost.host.far=demo:fd4d::2 127.0.0.1:" + hostEcho.getLocalPort());
            runtime.await(() -> runtime.err().contains("peer link b open"), "the peer links to open");
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
            if (hostEcho != null) {
                hostEcho.close();
            }
            if (work != null) {
                OsgiFixture.delete(work);
            }
        }
    }

    /** Answers each datagram with "host:" and its text, until the socket is closed (at most 1000 of them). */
    private static void echoAsTheHost() {
        byte[] buffer = new byte[2048];
        for (int i = 0; i < 1000 && !hostEcho.isClosed(); i++) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                hostEcho.receive(packet);
                byte[] answer = ("host:" + new String(buffer, 0, packet.getLength(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
                hostEcho.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** An unmodified nc in the runtime's namespace sends one line to {@code far.mhost} port 7; returns the answer. */
    private static String ncToFar(String line) throws Exception {
        ProcessResult nc = ProcessResult.run(20, "timeout", "--kill-after=2", "10", "ip", "netns", "exec",
                runtime.namespace(), "sh", "-c", "echo " + line + " | nc -u -w 2 far.mhost 7");
        return nc.stdout().strip();
    }

    private static String run(String command) throws IOException, InterruptedException {
        return runtime.run(command);
    }

    /** Runs a command until its output matches, at most 50 times 200 ms apart; returns the last output. */
    private static String awaitOutput(String command, Pattern expected) throws Exception {
        String last = "";
        for (int attempt = 0; attempt < 50; attempt++) {
            last = run(command);
            if (expected.matcher(last).find()) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("gave up waiting for " + command + " to show " + expected + "; it shows:\n" + last);
    }

    @Test
    void theDemoProtocolIsPluggedInWhenItsJarIsDroppedAndUnpluggedWhenItIsRemoved() throws Exception {
        String before = run("l45:peer list");
        assertTrue(Pattern.compile("a +up +127\\.0\\.0\\.1:\\d+ +127\\.0\\.0\\.1:\\d+ .*ipv4 ipv6 +config")
                .matcher(before).find(), before);
        assertTrue(run("l45:peer ping a 10.77.0.2").contains("1 sent, 1 echoed"), "IPv4 crosses the tunnel");
        String refused = run("l45:peer ping a demo:fd4d::2");
        assertTrue(refused.contains("peer link a does not speak demo; it speaks ipv4, ipv6"), refused);
        assertTrue(run("l45:mhost list").contains("demo:fd4d::2 (unavailable) 127.0.0.1:"));
        assertEquals("host:before", ncToFar("before"), "demo is not available: the host's loopback answers");

        Path dropped = work.resolve("autoload").resolve(DEMO_JAR);
        Files.copy(OsgiFixture.bundleDirectory().resolve(DEMO_JAR), work.resolve(DEMO_JAR + ".part"));
        Files.move(work.resolve(DEMO_JAR + ".part"), dropped, StandardCopyOption.ATOMIC_MOVE);

        String plugged = awaitOutput("l45:peer list", Pattern.compile("(?s)a +up .*ipv4 ipv6 demo .*\\nb +up .*"
                + "ipv4 ipv6 demo "));
        assertTrue(plugged.contains("demo:fd4d::1"), plugged);
        String pings = run("l45:peer ping a demo:fd4d::2 3");
        assertTrue(pings.contains("3 sent, 3 echoed over peer link a"), pings);
        assertEquals("over-demo", ncToFar("over-demo"), "the relay carries the flow over demo to b's echo service");
        String netstatB = run("l45:peer netstat b");
        assertTrue(Pattern.compile("demo +delivered +4").matcher(netstatB).find(), netstatB);
        assertTrue(Pattern.compile("udp/demo +\\[fd4d::1]:\\d+ +\\[fd4d::2]:7 ").matcher(netstatB).find(), netstatB);
        String ifconfig = run("l45:ifconfig");
        assertFalse(ifconfig.contains("demo"), "the TUN link cannot carry demo: " + ifconfig);
        String netstat = run("l45:netstat");
        assertTrue(Pattern.compile("protocols +not-plugged-device-cannot-carry +1").matcher(netstat).find(), netstat);
        String mhost = run("l45:mhost list");
        assertTrue(mhost.contains("protocols available: demo ipv4 ipv6"), mhost);
        assertFalse(mhost.contains("(unavailable)"), mhost);

        Files.delete(dropped);

        String unplugged = awaitOutput("l45:peer list", Pattern.compile("(?s)a +up .*ipv4 ipv6 +config"));
        assertFalse(unplugged.contains("ipv4 ipv6 demo"), unplugged);
        String netstatAfter = run("l45:peer netstat b");
        assertTrue(Pattern.compile("protocols +unplugged +1").matcher(netstatAfter).find(), netstatAfter);
        assertTrue(Pattern.compile("protocols +flows-ended-by-unplug +4").matcher(netstatAfter).find(),
                "the echo service's four flows over demo: " + netstatAfter);
        assertFalse(netstatAfter.contains("udp/demo"), "the flow over demo ended: " + netstatAfter);
        assertTrue(run("l45:mhost list").contains("demo:fd4d::2 (unavailable) 127.0.0.1:"));
        assertEquals("host:after", ncToFar("after"), "far fails over to its IPv4 address");
        assertTrue(run("l45:peer ping a demo:fd4d::2").contains("does not speak demo"));
        assertTrue(run("l45:peer ping a 10.77.0.2 2").contains("2 sent, 2 echoed"), "IPv4 is not disturbed");
    }
}
