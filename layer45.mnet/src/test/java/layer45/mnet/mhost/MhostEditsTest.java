package layer45.mnet.mhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import layer45.mnet.HostAddress;
import layer45.mnet.HostIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operators' edits of the table kept in the edits file: what a restarted runtime finds, and what goes wrong. */
class MhostEditsTest {

    @TempDir
    Path state;

    @Test
    void putsAndRemovalsSurviveARestart() {
        Path edits = state.resolve("mhost.edits");
        HostTable before = table(edits);
        before.fileRead(MhostEntries.parseFile("srv 127.0.0.1\nold ::1", "conf/mhosts"));
        before.put("web", List.of(HostAddress.parse("[fd00::80]:8080"), HostAddress.parse("192.0.2.80:80")));
        before.put("srv", List.of(HostAddress.parse("::1")));
        before.remove("old");

        HostTable after = table(edits); // the runtime again, with the same state folder
        after.fileRead(MhostEntries.parseFile("srv 127.0.0.1\nold ::1", "conf/mhosts"));
        assertEquals(List.of("srv ::1 shell", "web [fd00::80]:8080 192.0.2.80:80 shell"),
                after.list().stream().map(MhostEditsTest::line).toList(), "old stays removed");
        assertEquals(List.of(), after.problems());
    }

    @Test
    void theFileIsTheMhostsFormatWithRemovalsAndIsReplacedWhole() throws Exception {
        Path edits = state.resolve("nested/mhost.edits");
        HostTable table = table(edits);
        table.put("b", List.of(HostAddress.parse("::1")));
        table.put("a", List.of(HostAddress.parse("127.0.0.1")));
        table.remove("b");
        List<String> lines = Files.readAllLines(edits).stream().filter(l -> !l.startsWith("#")).toList();
        assertEquals(List.of("-b", "a 127.0.0.1").stream().sorted().toList(), lines.stream().sorted().toList());
        try (var files = Files.list(edits.getParent())) {
            assertEquals(List.of(edits), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void aLineThatCannotBeReadIsReportedAndTheRestIsKept() throws Exception {
        Path edits = state.resolve("mhost.edits");
        Files.writeString(edits, "# kept\nsrv ::1\nbad not-an-address\n-Not A Name\n-gone\n", StandardCharsets.UTF_8);
        HostTable table = table(edits);
        table.fileRead(MhostEntries.parseFile("gone 127.0.0.1", "conf/mhosts"));
        assertEquals(List.of("srv"), table.list().stream().map(HostIdentifier::name).toList());
        List<String> problems = table.problems();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(edits + ":4: "), problems.get(0));
        assertTrue(problems.get(1).startsWith(edits + ":3: "), problems.get(1));
    }

    @Test
    void anEditThatCannotBeWrittenHoldsInMemoryAndSaysWhy() throws Exception {
        Path notAFolder = state.resolve("file");
        Files.writeString(notAFolder, "x");
        HostTable table = table(notAFolder.resolve("mhost.edits"));
        table.put("srv", List.of(HostAddress.parse("::1")));
        assertTrue(table.get("srv").isPresent());
        assertEquals(1, table.problems().size());
        assertTrue(table.problems().get(0).contains("cannot be written to " + notAFolder.resolve("mhost.edits")),
                table.problems().get(0));
    }

    @Test
    void withoutAnEditsFileEditsStayInMemoryAndANewFileTakesThem() {
        HostTable table = new HostTable(MhostSettings.defaults(state));
        table.put("srv", List.of(HostAddress.parse("::1")));
        Path edits = state.resolve("mhost.edits");
        assertFalse(Files.exists(edits));
        table.settings(MhostSettings.from(Map.of("edits", edits.toString()), state, new ArrayList<>()), List.of());
        assertTrue(Files.exists(edits), "this run's edits are written into the file named now");
        assertEquals(List.of("srv ::1 shell"), table(edits).list().stream().map(MhostEditsTest::line).toList());
    }

    private HostTable table(Path edits) {
        return new HostTable(MhostSettings.from(Map.of("file", "", "edits", edits.toString()), state,
                new ArrayList<>()));
    }

    private static String line(HostIdentifier id) {
        return id.name() + " " + String.join(" ", id.addresses().stream().map(HostAddress::toString).toList()) + " "
                + id.source();
    }
}
