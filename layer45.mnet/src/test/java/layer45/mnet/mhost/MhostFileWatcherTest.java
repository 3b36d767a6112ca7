package layer45.mnet.mhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import layer45.mnet.HostIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file is read at once and again when it changes, whether written in place or renamed into place. */
class MhostFileWatcherTest {

    @TempDir
    Path dir;

    @Test
    void aChangedFileAppliesWithoutARestart() throws Exception {
        Path file = dir.resolve("mhosts");
        HostTable table = new HostTable(MhostSettings.defaults(dir));
        try (MhostFileWatcher watcher = new MhostFileWatcher(table, file, "conf/mhosts", Duration.ofMillis(20))) {
            assertTrue(table.list().isEmpty());
            assertTrue(table.problems().getFirst().startsWith("conf/mhosts does not exist"), table.problems()
                    .toString());
            Files.writeString(file, "srv ::1\n");
            await(() -> names(table).equals(List.of("srv")));
            assertEquals(List.of(), table.problems());
            Path next = dir.resolve("mhosts.new");
            Files.writeString(next, "srv 127.0.0.1\nweb ::1\nbroken\n");
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            await(() -> names(table).equals(List.of("srv", "web")));
            assertEquals("conf/mhosts:1", table.get("srv").orElseThrow().source());
            assertEquals(1, table.problems().size(), table.problems().toString());
            Files.delete(file);
            await(() -> table.list().isEmpty());
        }
    }

    private static List<String> names(HostTable table) {
        return table.list().stream().map(HostIdentifier::name).toList();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 250 && !condition.getAsBoolean(); i++) {
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean(), "the table followed the file within 5 s");
    }
}
