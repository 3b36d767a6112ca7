package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import layer45.customizations.dnstag.DnsTag;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The original Layer 4.5's feature tests ({@code experiment_scripts/feature_test/*.sh} and the GENI experiments they
 * come from), automated against unmodified programs: {@code dig} and {@code dnsmasq} with the DNS tag pairs,
 * {@code curl} and {@code python3 -m http.server} with stream taggers ({@link ServerNamespaces}). The originals ended
 * with "check the pcap"; here the checks are the capture of the host's loopback between the namespaces, the answers
 * programs get, the bytes curl saves, and what lsmod shows.
 *
 * <p>Where the originals timed a delay module (100 ms or 1 s per send) to see which module applied, these tests use
 * two server-side taggers and a client that strips nothing: bulk-tag-server puts {@value #BULK} after every 1000
 * bytes, echo-tag-server wraps each chunk in {@value #START}...{@value #END}, and curl's file shows which module
 * applied to which part of the stream ({@link TaggedDownload}). A change lands mid-download because pace holds the
 * server's side to a rate ({@link PacedDownload}).
 *
 * <p>One deliberate difference: a layer45 UDP flow is one peer's datagrams, not a socket. dnsmasq's one socket is many
 * flows (each dig asks from a new port), so the original's "the server's deprecated module keeps dnsmasq's socket"
 * becomes "keeps the flows already open", shown on a TCP download.
 *
 * <p>The runtime is started once for the class; the session's transcript is kept in
 * {@code target/feature-tests-transcript.txt}.
 */
class FeatureTestsIT {

    private static final Path TRANSCRIPT = Path.of("target", "feature-tests-transcript.txt");
    private static final String BULK = "XTAGTAGTAGTAGTAGTAGTAGTAGTAGTAGX";
    private static final String START = "<start>";
    private static final String END = "<end>";
    /** bulk-tag's interval, in bytes of the stream. */
    private static final long INTERVAL = 1000;
    /** How much of a download has arrived before an operator's command. */
    private static final long MID_STREAM = 1L << 20;

    private static ServerNamespaces servers;
    private static ModuleConsole modules;

    @RegisterExtension
    static final ServerNamespacesExtension SETTING = new ServerNamespacesExtension("feature tests", TRANSCRIPT, true);

    @BeforeAll
    static void theRuntimeAndTheServersRun() {
        servers = SETTING.servers();
        modules = SETTING.modules();
    }

    // -------------------------------------------------------------------------------------------------------------
    // 5.1 activate_test.sh: attached while inactive, then activated
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void activateTest_inactiveDnsTagModulesLeaveDigAloneUntilActivated() throws Exception {
        modules.insmod("dns-tag", "active=false");
        assertEquals(List.of("no", "no"), List.of(modules.lsmod("dns-tag-client").get("Active"),
                modules.lsmod("dns-tag-server").get("Active")));
        assertTags(null, servers.digsCapturingQueries(2), "inactive, the client module tags nothing");

        modules.run("l45:activate dns-tag-server");
        modules.run("l45:activate dns-tag-client");
        assertTags("dig", servers.digsCapturingQueries(2), "activated, the pair tags and strips");
    }

    @Test
    void activateTest_aModuleAttachedInactiveAppliesToTheOpenDownloadOnceActivated() throws Exception {
        PacedDownload.loadPace(modules);
        modules.insmod("bulk-tag", "bulk-tag-server:active=false");
        try (PacedDownload download = PacedDownload.start(servers, "activated.bin")) {
            download.awaitReceived(MID_STREAM);
            Map<String, String> inactive = modules.lsmod("bulk-tag-server");
            assertEquals(List.of("no", "1"), List.of(inactive.get("Active"), inactive.get("Used")),
                    "attached to the download while inactive: " + inactive);
            long received = download.awaitReceived(MID_STREAM);
            modules.run("l45:activate bulk-tag-server");

            TaggedDownload file = download.finish(BULK);
            List<TaggedDownload.Tag> tags = file.tagged(BULK);
            assertTrue(!tags.isEmpty() && tags.getFirst().at() >= received, "untagged until activated, at "
                    + received + " bytes: " + file);
            assertTrue(file.evenlySpaced(BULK, INTERVAL), "tagged every 1000 bytes from then on: " + file);
            assertTrue(file.originalBytes() - tags.getLast().after() <= INTERVAL, "to the end: " + file);
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // 5.2 deprecate_test.sh: deprecated modules keep their flows and attach to no new ones
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void deprecateTest_newDigsGetNeitherDeprecatedModule() throws Exception {
        modules.insmod("dns-tag");
        assertTags("dig", servers.digsCapturingQueries(2), "both modules live");
        modules.run("l45:deprecate dns-tag-server dns-tag-client");
        assertEquals("DEPRECATED", modules.lsmod("dns-tag-client").get("State"));
        assertTags(null, servers.digsCapturingQueries(2), "deprecated, the modules attach to no new flow");
    }

    @Test
    void deprecateTest_theOpenDownloadKeepsTheDeprecatedModuleANewOneDoesNotGetIt() throws Exception {
        PacedDownload.loadPace(modules);
        modules.insmod("bulk-tag");
        try (PacedDownload open = PacedDownload.start(servers, "open.bin")) {
            long received = open.awaitReceived(MID_STREAM);
            modules.run("l45:deprecate bulk-tag-server");
            Map<String, String> deprecated = modules.lsmod("bulk-tag-server");
            assertEquals(List.of("DEPRECATED", "1"), List.of(deprecated.get("State"), deprecated.get("Used")),
                    "deprecated, still attached to the open download: " + deprecated);
            try (PacedDownload next = PacedDownload.start(servers, "next.bin")) {
                assertEquals(List.of(), next.finish(BULK).tags(), "the new download does not get it: byte-exact");
            }
            TaggedDownload file = open.finish(BULK);
            List<TaggedDownload.Tag> tags = file.tagged(BULK);
            assertTrue(file.evenlySpaced(BULK, INTERVAL) && tags.getFirst().after() < INTERVAL,
                    "tagged every 1000 bytes from the start: " + file);
            assertTrue(tags.getLast().at() > received && file.originalBytes() - tags.getLast().after() <= INTERVAL,
                    "still tagged after the deprecation at " + received + " bytes, to the end: " + file);
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // 5.3 priority_test.sh: two modules per side, priority decides, try_next falls back
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void priorityTest_dnsPriorityRoutesByTagAndFallsBackToTheNextModule() throws Exception {
        modules.insmod("dns-priority");
        assertTags("HIGHdig", servers.digsCapturingQueries(2), "high (100) before low (200) on both sides");

        modules.run("l45:priority dns-server-high-priority 220");
        assertEquals("220", modules.lsmod("dns-server-high-priority").get("Priority"));
        long stripped = modules.counter("dns-server-high-priority", "customized", "Recv");
        long asked = modules.counter("dns-server-low-priority", "chunks", "Recv");
        assertTags("HIGHdig", servers.digsCapturingQueries(2), "the server's low module now runs first");
        assertEquals(List.of(stripped + 2, asked + 2), List.of(
                modules.counter("dns-server-high-priority", "customized", "Recv"),
                modules.counter("dns-server-low-priority", "chunks", "Recv")),
                "the low module saw each high query first and passed it on (TRY_NEXT) to the high one, which"
                        + " stripped it");

        modules.run("l45:priority dns-client-high-priority 222");
        assertTags("LOWdig", servers.digsCapturingQueries(2), "the client's low module now runs first");

        modules.run("l45:rmmod -f dns-client-high-priority dns-server-high-priority");
        assertTags("LOWdig", servers.digsCapturingQueries(2), "low on both sides");

        modules.run("l45:rmmod -f dns-client-low-priority dns-server-low-priority");
        assertTags(null, servers.digsCapturingQueries(2), "no module left");
    }

    // -------------------------------------------------------------------------------------------------------------
    // 5.4, 5.5 priority_test_stream_single(_2).sh: a priority change on a running download
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void priorityStreamTest_aPriorityChangeMidDownloadSwitchesTheTaggerOfTheOpenFlow() throws Exception {
        PacedDownload.loadPace(modules);
        modules.insmod("bulk-tag", "bulk-tag-server:priority=10");
        modules.insmod("echo-tag", "echo-tag-server:local.port=" + ServerNamespaces.WEB_PORT,
                "echo-tag-server:priority=20");
        try (PacedDownload download = PacedDownload.start(servers, "flipped.bin")) {
            long received = download.awaitReceived(MID_STREAM);
            modules.run("l45:priority echo-tag-server 5");

            TaggedDownload file = download.finish(BULK, START, END);
            List<TaggedDownload.Tag> bulk = file.tagged(BULK);
            List<TaggedDownload.Tag> echo = file.tagged(START);
            assertTrue(!bulk.isEmpty() && !echo.isEmpty(), "both taggers applied: " + file);
            assertTrue(file.evenlySpaced(BULK, INTERVAL) && bulk.getFirst().after() < INTERVAL,
                    "bulk-tag (10) tagged from the start: " + file);
            assertTrue(bulk.getLast().at() < echo.getFirst().at() && echo.getFirst().at() >= received,
                    "echo-tag (now 5) took over after the change at " + received + " bytes: " + file);
            // curl stops at the Content-Length: the last chunk's end tag may be past it
            int ends = file.tagged(END).size();
            assertTrue(ends == echo.size() || ends == echo.size() - 1, "each chunk wrapped whole: " + file);
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // hot_swap.txt and immediate_attach_experiment.sh: loaded mid-connection, with and without apply-now
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void applyNow_aModuleLoadedMidDownloadJoinsTheOpenFlowOnlyWithApplyNow() throws Exception {
        PacedDownload.loadPace(modules);
        try (PacedDownload download = PacedDownload.start(servers, "hot.bin")) {
            long received = download.awaitReceived(MID_STREAM);
            modules.insmod("echo-tag", "echo-tag-server:local.port=" + ServerNamespaces.WEB_PORT);
            modules.insmod("bulk-tag", "bulk-tag-server:apply.now=true");

            TaggedDownload file = download.finish(BULK, START, END);
            assertEquals(List.of(), file.tagged(START), "echo-tag-server, loaded without apply.now, stays off the"
                    + " open flow: " + file);
            List<TaggedDownload.Tag> tags = file.tagged(BULK);
            assertTrue(!tags.isEmpty() && tags.getFirst().at() >= received && file.evenlySpaced(BULK, INTERVAL),
                    "bulk-tag-server, loaded with apply.now after " + received + " bytes, tags from then on: "
                            + file);
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // rmmod -f: a module removed from a running download
    // -------------------------------------------------------------------------------------------------------------

    @Test
    void rmmodForce_aModuleRemovedMidDownloadLeavesTheRestUntouched() throws Exception {
        PacedDownload.loadPace(modules);
        modules.insmod("bulk-tag");
        try (PacedDownload download = PacedDownload.start(servers, "removed.bin")) {
            download.awaitReceived(MID_STREAM);
            modules.run("l45:rmmod bulk-tag-server");
            assertTrue(servers.runtime().transcript().contains("module 'bulk-tag-server' is used by 1 flow; wait for"
                    + " them to close, or force the unload (rmmod -f)"), "rmmod without -f is refused while the"
                    + " download uses the module");
            assertEquals("1", modules.lsmod("bulk-tag-server").get("Used"), "still loaded, still attached");
            long received = download.awaitReceived(MID_STREAM);
            modules.run("l45:rmmod -f bulk-tag-server");

            TaggedDownload file = download.finish(BULK);
            List<TaggedDownload.Tag> tags = file.tagged(BULK);
            assertTrue(file.evenlySpaced(BULK, INTERVAL) && tags.getFirst().after() < INTERVAL
                    && tags.getLast().at() + INTERVAL + BULK.length() >= received,
                    "tagged every 1000 bytes until removed, after " + received + " bytes: " + file);
            assertTrue(file.originalBytes() - tags.getLast().after() > INTERVAL,
                    "untouched after the removal, to the end: " + file);
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Helpers
    // -------------------------------------------------------------------------------------------------------------

    /**
     * @param applicationId the tag's application id every query carries, or {@code null} for none
     * @param queries the queries on the wire
     */
    private static void assertTags(String applicationId, List<byte[]> queries, String phase) {
        Optional<DnsTag> expected = Optional.ofNullable(applicationId).map(DnsTag::new);
        for (byte[] query : queries) {
            assertEquals(expected, DnsTag.parse(ByteBuffer.wrap(query)), phase + ": " + HexFormat.of()
                    .formatHex(query));
        }
    }
}
