package layer45.mnet.mhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import layer45.mnet.HostAddress;
import org.junit.jupiter.api.Test;

/** Reading conf/mhosts and the configuration's identifiers: the good lines load, the others are reported. */
class MhostEntriesTest {

    @Test
    void theFileHoldsOneIdentifierPerLineWithCommentsAndBlankLines() {
        MhostEntries.Parsed parsed = MhostEntries.parseFile("""
                # NAME  ADDRESS...
                srv     ::1   127.0.0.1

                \tWeb\t[fd00::80]:8080 192.0.2.80:80   # trailing comment
                mesh demo:fd4d::2 ipv4:10.0.0.1
                """, "conf/mhosts");
        assertEquals(List.of(), parsed.problems());
        assertEquals(List.of(
                new MhostEntries.Entry("srv", List.of(a("::1"), a("127.0.0.1")), "conf/mhosts:2"),
                new MhostEntries.Entry("web", List.of(a("[fd00::80]:8080"), a("192.0.2.80:80")), "conf/mhosts:4"),
                new MhostEntries.Entry("mesh", List.of(a("demo:fd4d::2"), a("10.0.0.1")), "conf/mhosts:5")),
                parsed.entries());
    }

    @Test
    void malformedLinesAreReportedWithTheirNumbersAndTheRestIsLoaded() {
        MhostEntries.Parsed parsed = MhostEntries.parseFile(String.join("\n",
                "ok1 127.0.0.1",
                "bad_name 127.0.0.1",
                "noaddress",
                "badaddress 300.1.2.3",
                "ok2 ::1 ipv6:[::1]:9",
                "ok1 ::1",
                "twice ::1 ::1",
                "ok3 [::1]:53"), "conf/mhosts");
        assertEquals(List.of("ok1", "ok2", "ok3"), parsed.entries().stream().map(MhostEntries.Entry::name).toList());
        List<String> expected = List.of("conf/mhosts:2: 'bad_name' is not a host identifier's name",
                "conf/mhosts:3: noaddress has no address", "conf/mhosts:4: '300.1.2.3' is not an address",
                "conf/mhosts:6: ok1 is already defined on line 1", "conf/mhosts:7: twice lists ::1 twice");
        assertEquals(expected.size(), parsed.problems().size(), parsed.problems().toString());
        for (int i = 0; i < expected.size(); i++) {
            String problem = parsed.problems().get(i);
            assertTrue(problem.startsWith(expected.get(i)) && problem.endsWith("; the line is ignored"), problem);
        }
    }

    @Test
    void theConfigurationHoldsIdentifiersAsHostKeys() {
        MhostEntries.Parsed parsed = MhostEntries.parseConfig(Map.of(
                "host.srv", "::1, 127.0.0.1",
                "host.arr", new String[] {"::1", "[::1]:8 127.0.0.1"},
                "host.bad", "nowhere",
                "prefix4", "10.46.0.0/16",
                "service.pid", "layer45.mhost"));
        assertEquals(List.of(
                new MhostEntries.Entry("arr", List.of(a("::1"), a("[::1]:8"), a("127.0.0.1")), "config"),
                new MhostEntries.Entry("srv", List.of(a("::1"), a("127.0.0.1")), "config")), parsed.entries());
        assertEquals(List.of("layer45.mhost host.bad: 'nowhere' is not an address: write an IP address (127.0.0.1,"
                + " ::1, [::1]:8080) or PROTOCOL:ADDRESS (ipv6:::1, demo:fd4d::2); the key is ignored"),
                parsed.problems());
    }

    private static HostAddress a(String text) {
        return HostAddress.parse(text);
    }
}
