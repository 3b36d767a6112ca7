package layer45.mnet.mhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table's settings: defaults, values, and what is wrong with a configuration. */
class MhostSettingsTest {

    private static final Path HOME = Path.of("/opt/layer45");

    @Test
    void withoutConfigurationTheDefaultsApply() {
        MhostSettings s = MhostSettings.defaults(HOME);
        assertEquals("file /opt/layer45/conf/mhosts, prefix4 10.46.0.0/16, prefix6 fd46::/64, domain mhost,"
                + " connect.timeout.ms 1000, ttl.s 10, edits (in memory)", s.toString());
        assertEquals(Duration.ofSeconds(1), s.connectTimeout());
    }

    @Test
    void valuesAreReadAndHostBitsOfThePrefixesDropped() {
        List<String> problems = new ArrayList<>();
        MhostSettings s = MhostSettings.from(Map.of("file", "/etc/mhosts", "prefix4", "10.99.1.7/24", "prefix6", "",
                "domain", "Lab", "connect.timeout.ms", 250, "ttl.s", "0", "host.srv", "::1",
                "service.pid", "layer45.mhost", "edits", "state/mhost.edits"), HOME, problems);
        assertEquals(List.of(), problems);
        assertEquals("file /etc/mhosts, prefix4 10.99.1.0/24, prefix6 -, domain lab, connect.timeout.ms 250,"
                + " ttl.s 0, edits /opt/layer45/state/mhost.edits", s.toString());
        assertNull(MhostSettings.from(Map.of("file", " "), HOME, problems).file());
    }

    @Test
    void aWrongValueKeepsItsDefaultAndIsReportedAsAreUnknownKeys() {
        List<String> problems = new ArrayList<>();
        MhostSettings s = MhostSettings.from(Map.of("prefix4", "10.46.0.0/31", "prefix6", "10.0.0.0/8",
                "domain", "no_such", "connect.timeout.ms", "5", "ttl.s", "x", "prefx4", "1"), HOME, problems);
        assertEquals(MhostSettings.defaults(HOME), s);
        assertEquals(6, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("layer45.mhost: unknown key(s) prefx4 are ignored; the table knows"
                + " connect.timeout.ms, domain, edits, file, prefix4, prefix6, ttl.s and host.NAME"), problems.get(0));
        assertTrue(problems.get(1).startsWith("layer45.mhost: prefix4 '10.46.0.0/31' is not usable (leave at least"
                + " two host bits); it stays 10.46.0.0/16"), problems.get(1));
        assertTrue(problems.get(4).startsWith("layer45.mhost: connect.timeout.ms '5' is not usable (outside"
                + " 10..600000)"), problems.get(4));
    }

    @Test
    void theShippedConfigurationDocumentsEveryKeyWithItsDefaultAndTheShippedFileLoads() throws Exception {
        java.util.Properties conf = new java.util.Properties();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(Path.of("..", "conf", "layer45.conf"))) {
            conf.load(in);
        }
        Map<String, String> mhost = new java.util.TreeMap<>();
        for (String key : conf.stringPropertyNames()) {
            if (key.startsWith("mhost.")) {
                mhost.put(key.substring("mhost.".length()), conf.getProperty(key));
            }
        }
        assertEquals(new java.util.TreeMap<>(MhostSettings.DEFAULTS), mhost);
        MhostEntries.Parsed shipped = MhostEntries.parseFile(java.nio.file.Files.readString(
                Path.of("..", "conf", "mhosts")), "conf/mhosts");
        assertEquals(List.of(), shipped.problems());
    }
}
