package layer45.itest;

import static layer45.itest.Bytes.ascii;
import static layer45.itest.Bytes.indexOf;
import static layer45.itest.LoopbackCapture.payloadsFrom;
import static layer45.itest.LoopbackCapture.payloadsTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import layer45.customizations.dnstag.DnsTag;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Unmodified programs customized end to end, checked the way an operator would: {@code dig} in the runtime's
 * namespace asks a {@code dnsmasq} that runs in a namespace of its own behind a port forward, and {@code curl}
 * downloads 100 MB from a {@code python3 -m http.server} in a third ({@link ServerNamespaces}). Between the two
 * namespaces the traffic crosses the host's loopback, where the test captures it: with dns-tag the queries carry the
 * tag there, with bulk-tag the download carries tags, with aes-gcm nothing of it is readable, and the programs see
 * exactly what they would without layer45.
 *
 * <p>The runtime is started once for the class, with a small call budget and fault budget so that the misbehaving
 * modules' test is short; the session's transcript is kept in {@code target/customized-programs-transcript.txt}.
 */
class CustomizedProgramsIT {

    private static final Path TRANSCRIPT = Path.of("target", "customized-programs-transcript.txt");
    /** dig www... for {@value ServerNamespaces#NAME}, type A, as a program other than dig sends it. */
    private static final String QUERY_HEX = "454501000001000000000000" + "076578616d706c65" + "0474657374" + "00"
            + "00010001";
    /** A DNS client that is not dig: python3 asks the namespace's resolver once and says whether it was answered. */
    private static final String PYTHON_QUERY = """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(2)
            s.sendto(bytes.fromhex("%s"), ("10.45.0.1", 53))
            try:
                print("answered", len(s.recv(512)))
            except socket.timeout:
                print("no answer")
            """.formatted(QUERY_HEX);
    private static final long DOWNLOAD_BYTES = 100L << 20;

    private static ServerNamespaces servers;
    private static ModuleConsole modules;

    @RegisterExtension
    static final ServerNamespacesExtension SETTING = new ServerNamespacesExtension("customized programs",
            TRANSCRIPT, false, "layer45.call.budget.ms=500", "layer45.fault.budget=1");

    @BeforeAll
    static void theRuntimeAndTheServersRun() {
        servers = SETTING.servers();
        modules = SETTING.modules();
    }

    // -------------------------------------------------------------------------------------------------------------
    // dig and dnsmasq with dns-tag
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void digIsAnsweredWithItsTagOnTheWireWhileUntaggedQueriesAreDroppedAndCounted() throws Exception {
        assertEquals("answered", python().split(" ")[0], "without modules every client is answered"
                + servers.context());
        modules.insmod("dns-tag");

        List<byte[]> queries = servers.digsCapturingQueries(1);
        assertEquals(Optional.of(new DnsTag("dig")), DnsTag.parse(ByteBuffer.wrap(queries.getFirst())),
                "dig's query carries dns-tag's tag between the namespaces: " + hex(queries.getFirst()));
        assertTrue(servers.dnsmasqOutput().contains("query[A] " + ServerNamespaces.NAME),
                "dnsmasq got the query, untagged:\n" + servers.dnsmasqOutput());

        long dropped = modules.counter("dns-tag-server", "dropped", "Recv");
        assertEquals("no answer", python(), "python3's query is not dig's: untagged, dnsmasq never sees it"
                + servers.context());
        assertEquals(dropped + 1, modules.counter("dns-tag-server", "dropped", "Recv"),
                "dns-tag-server counted the untagged query as dropped");

        modules.run("l45:deactivate dns-tag-client");
        assertEquals("no", modules.lsmod("dns-tag-client").get("Active"));
        try (LoopbackCapture capture = LoopbackCapture.start(servers.work(), "udp port " + servers.dnsPort(), 100)) {
            ProcessResult dig = servers.dig();
            assertNotEquals(0, dig.exitCode(), "with its client module inactive dig is not answered: " + dig);
            List<byte[]> untagged = payloadsTo(capture.stop(), servers.dnsPort());
            assertFalse(untagged.isEmpty(), "dig's query went out");
            untagged.forEach(q -> assertEquals(Optional.empty(), DnsTag.parse(ByteBuffer.wrap(q)), hex(q)));
            assertEquals(dropped + 1 + untagged.size(), modules.counter("dns-tag-server", "dropped", "Recv"),
                    "every untagged query of dig was dropped");
        }
    }

    /** @return what the python3 DNS client printed */
    private static String python() throws Exception {
        ProcessResult python = servers.client(10, Programs.tool("python3"), "-c", PYTHON_QUERY);
        assertEquals(0, python.exitCode(), python.toString());
        return python.stdout().strip();
    }

    // -------------------------------------------------------------------------------------------------------------
    // curl and python3 -m http.server: plain, tagged, encrypted
    // -------------------------------------------------------------------------------------------------------------

    /** What is loaded between curl and the web server. */
    enum Between {
        NOTHING, BULK_TAG, AES_GCM
    }

    @ParameterizedTest(name = "with {0}")
    @EnumSource(Between.class)
    void curlDownloads100MbByteExactWhateverTheModulesDoOnTheWire(Between between) throws Exception {
        Path original = servers.site().resolve("100mb.bin");
        if (!Files.exists(original)) {
            Programs.randomFile(original, DOWNLOAD_BYTES);
        }
        String sha256 = Programs.sha256(original);
        String clientPort = "remote.port=" + servers.webPort(); // curl's flow goes to the forward's host port
        switch (between) {
            case NOTHING -> { }
            case BULK_TAG -> modules.insmod("bulk-tag", "bulk-tag-client:" + clientPort);
            case AES_GCM -> modules.insmod("aes-gcm", "key=" + HexFormat.of().formatHex(
                    new SecureRandom().generateSeed(32)), "aes-gcm-client:" + clientPort);
        }
        Path download = servers.work().resolve("download.bin");
        try (LoopbackCapture capture = LoopbackCapture.start(servers.work(), "tcp port " + servers.webPort(), 200)) {
            ProcessResult curl = servers.curl("100mb.bin", download, 120);
            System.out.println("curl with " + between + ": " + curl.stdout().strip());
            assertEquals(0, curl.exitCode(), "curl downloads through " + between + "\n" + curl + servers.context());
            assertEquals(DOWNLOAD_BYTES, Files.size(download), curl.toString());
            assertEquals(sha256, Programs.sha256(download), "the download is byte-exact with " + between);

            List<LoopbackCapture.Segment> wire = capture.stop();
            byte[] request = concat(payloadsTo(wire, servers.webPort()));
            byte[] response = concat(payloadsFrom(wire, servers.webPort()));
            byte[] fileStart;
            try (InputStream in = Files.newInputStream(original)) {
                fileStart = in.readNBytes(64);
            }
            switch (between) {
                case NOTHING -> {
                    assertTrue(startsWith(request, "GET /100mb.bin"), "plain request: " + preview(request));
                    assertTrue(startsWith(response, "HTTP/1.0 200"), "plain response: " + preview(response));
                    assertTrue(indexOf(response, fileStart) > 0, "the file's bytes are on the wire as they are");
                }
                case BULK_TAG -> assertBulkTagged(response);
                case AES_GCM -> {
                    assertEquals(-1, indexOf(request, ascii("GET /")), "no request in the clear");
                    assertEquals(-1, indexOf(response, ascii("HTTP/1.")), "no response header in the clear");
                    assertEquals(-1, indexOf(response, fileStart), "none of the file in the clear");
                    long in = modules.counter("aes-gcm-server", "bytes in", "Send");
                    assertTrue(in > DOWNLOAD_BYTES && modules.counter("aes-gcm-server", "bytes out", "Send") > in,
                            "aes-gcm-server encrypted the whole response into longer records");
                }
            }
        } finally {
            Files.deleteIfExists(download);
        }
    }

    /** The download's bytes carry bulk-tag's tag after every 1000 bytes of the stream, and only between the two. */
    private static void assertBulkTagged(byte[] response) throws Exception {
        byte[] tag = ascii("XTAGTAGTAGTAGTAGTAGTAGTAGTAGTAGX");
        assertTrue(response.length > 3000, "captured enough of the response: " + response.length + " bytes");
        for (int at = 1000; at + tag.length < Math.min(response.length, 100_000); at += 1000 + tag.length) {
            assertTrue(Arrays.equals(response, at, at + tag.length, tag, 0, tag.length),
                    "bulk-tag's tag at byte " + at + " of the response on the wire: " + preview(
                            Arrays.copyOfRange(response, at, at + tag.length)));
        }
        long in = modules.counter("bulk-tag-server", "bytes in", "Send");
        long out = modules.counter("bulk-tag-server", "bytes out", "Send");
        assertTrue(in > DOWNLOAD_BYTES, "bulk-tag-server saw the whole response: " + in);
        assertEquals(in / 1000 * tag.length, out - in, "one tag per 1000 bytes sent");
        assertEquals(List.of(out, in), List.of(modules.counter("bulk-tag-client", "bytes in", "Recv"),
                modules.counter("bulk-tag-client", "bytes out", "Recv")), "bulk-tag-client stripped every tag");
    }

    // -------------------------------------------------------------------------------------------------------------
    // Modules that throw or stall
    // -------------------------------------------------------------------------------------------------------------

    /**
     * A module that throws and one that stalls, each mid-download, cost only their own flows: curl is reset while a
     * download that was open before they were loaded goes on to finish byte-exact, the faults show in lsmod and
     * modinfo, the fault budget (1 here) deactivates the throwing module at its second fault, a call past the budget
     * (500 ms here) is cut there rather than waited for, and the runtime answers commands throughout.
     */
    @Test
    void aThrowingAndAStallingModuleCostOnlyTheirOwnDownloads() throws Exception {
        String other = "other.bin";
        String otherSha256 = Programs.randomFile(servers.site().resolve(other), 48L << 20);
        String bad = "bad.bin";
        String badSha256 = Programs.randomFile(servers.site().resolve(bad), 8L << 20);
        Path otherDownload = servers.work().resolve("other-download.bin");
        Path badDownload = servers.work().resolve("bad-download.bin");
        long abortedBefore = flowsAborted();
        // 48 MB at 8 MB/s: open before the modules are loaded (so they never attach to it), running while they fault
        try (BackgroundProgram otherCurl = servers.curlInBackground(other, otherDownload, 60, "--limit-rate", "8M")) {
            awaitReceiving(otherDownload, otherCurl);
            modules.insmod(MisbehavingModules.build(servers.work()), "remote.port=" + servers.webPort());

            for (int fault = 1; fault <= 2; fault++) {
                ProcessResult curl = servers.curl(bad, badDownload, 20);
                assertTrue(curl.exitCode() != 0 && Files.size(badDownload) < 8L << 20, "the throwing module's"
                        + " download " + fault + " is aborted mid-way: " + curl + " " + Files.size(badDownload));
                Map<String, String> info = modules.modinfoFields(MisbehavingModules.THROWING);
                assertTrue(info.get("last problem").contains(MisbehavingModules.THROWN), info.toString());
                assertEquals(fault, modules.counter(MisbehavingModules.THROWING, "faults", "Recv"));
            }
            Map<String, String> throwing = modules.lsmod(MisbehavingModules.THROWING);
            assertEquals(List.of("no", "2 (deactivated)"), List.of(throwing.get("Active"), throwing.get("Errors")),
                    "past the fault budget of 1 the runtime deactivated it: " + throwing);
            assertTrue(modules.modinfoFields(MisbehavingModules.THROWING).get("deactivated")
                    .startsWith("deactivated by the runtime after more faults than its budget allows"));
            ProcessResult deactivated = servers.curl(bad, badDownload, 20);
            assertEquals(0, deactivated.exitCode(), deactivated.toString());
            assertEquals(badSha256, Programs.sha256(badDownload), "deactivated, it leaves downloads alone");

            modules.run("l45:activate " + MisbehavingModules.STALLING);
            long start = System.nanoTime();
            ProcessResult stalled = servers.curl(bad, badDownload, 20);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertTrue(stalled.exitCode() != 0 && stalled.exitCode() != 124, "the stalled download is reset, not left"
                    + " hanging until curl's timeout: " + stalled);
            assertTrue(seconds < MisbehavingModules.STALL_SECONDS / 2, "the runtime cut the stalled call at its"
                    + " budget instead of waiting " + MisbehavingModules.STALL_SECONDS + " s for it: " + seconds + " s");
            String problem = modules.modinfoFields(MisbehavingModules.STALLING).get("last problem");
            assertTrue(problem.startsWith("broke rule 14 (") && problem.contains("ran longer than the call budget of"
                    + " 500 ms"), problem + "\n" + servers.runtime().transcript());
            assertEquals(1, modules.counter(MisbehavingModules.STALLING, "faults", "Recv"));
            assertEquals("1", modules.lsmod(MisbehavingModules.STALLING).get("Errors"));
            assertEquals(abortedBefore + 3, flowsAborted(), "three downloads aborted, counted in l45:stats");

            assertTrue(otherCurl.isAlive(), "the other download was still running while the modules faulted");
            ProcessResult otherEnded = otherCurl.awaitExit(60);
            assertEquals(0, otherEnded.exitCode(), otherEnded + servers.context());
            assertEquals(otherSha256, Programs.sha256(otherDownload), "the other download is byte-exact");
        } finally {
            Files.deleteIfExists(otherDownload);
            Files.deleteIfExists(badDownload);
        }
    }

    /** Waits until a download has begun to arrive. */
    private static void awaitReceiving(Path download, BackgroundProgram curl) throws Exception {
        for (int attempt = 0; attempt < 100 && (!Files.exists(download) || Files.size(download) == 0); attempt++) {
            assertTrue(curl.isAlive(), curl.output());
            Thread.sleep(100);
        }
        assertTrue(Files.exists(download) && Files.size(download) > 0, "the download began: " + curl.output());
    }

    /** @return the runtime's count of aborted flows, from l45:stats */
    private static long flowsAborted() throws Exception {
        String stats = modules.run("l45:stats");
        return Long.parseLong(GogoSession.Table.parse(stats.split("\n\n")[0], "Value").row("Counter",
                "flows aborted").get("Value"));
    }

    // -------------------------------------------------------------------------------------------------------------
    // Helpers
    // -------------------------------------------------------------------------------------------------------------

    private static byte[] concat(List<byte[]> payloads) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        payloads.forEach(all::writeBytes);
        return all.toByteArray();
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        byte[] p = ascii(prefix);
        return bytes.length >= p.length && Arrays.equals(bytes, 0, p.length, p, 0, p.length);
    }

    private static String preview(byte[] bytes) {
        return new String(bytes, 0, Math.min(bytes.length, 80), StandardCharsets.ISO_8859_1);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
