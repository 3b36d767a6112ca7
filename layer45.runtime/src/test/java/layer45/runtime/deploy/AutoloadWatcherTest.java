package layer45.runtime.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the watcher reports of a folder, scan by scan. */
class AutoloadWatcherTest {

    @TempDir
    Path folder;

    private final List<String> events = new ArrayList<>();
    private boolean accept = true;

    private AutoloadWatcher watcher() throws IOException {
        return new AutoloadWatcher(folder, jar -> {
            events.add("changed " + jar.getFileName());
            return accept;
        }, jar -> events.add("removed " + jar.getFileName()));
    }

    @Test
    void aNewJarIsReportedOnceItLooksTheSameAtTwoScans() throws IOException {
        AutoloadWatcher watcher = watcher();
        Files.writeString(folder.resolve("a.jar"), "content");
        watcher.scan();
        assertEquals(List.of(), events, "seen, not yet known to be stable");
        watcher.scan();
        assertEquals(List.of("changed a.jar"), events);
        watcher.scan();
        assertEquals(List.of("changed a.jar"), events, "reported once");
    }

    @Test
    void aJarRenamedIntoTheFolderIsReported() throws IOException {
        AutoloadWatcher watcher = watcher();
        Path hidden = Files.writeString(folder.resolve(".a.jar.part"), "content");
        watcher.scan();
        Files.move(hidden, folder.resolve("a.jar"), StandardCopyOption.ATOMIC_MOVE);
        watcher.scan();
        watcher.scan();
        assertEquals(List.of("changed a.jar"), events);
    }

    @Test
    void aJarThatKeepsGrowingIsNotReportedUntilItStops() throws IOException {
        AutoloadWatcher watcher = watcher();
        Path jar = folder.resolve("a.jar");
        try (OutputStream out = Files.newOutputStream(jar)) {
            for (int i = 0; i < 5; i++) {
                out.write(new byte[100]);
                out.flush();
                watcher.scan();
            }
        }
        assertEquals(List.of(), events);
        watcher.scan();
        watcher.scan();
        assertEquals(List.of("changed a.jar"), events);
    }

    @Test
    void aChangeAndARemovalAreReported() throws IOException {
        Path jar = Files.writeString(folder.resolve("a.jar"), "one");
        AutoloadWatcher watcher = watcher();
        watcher.scan();
        assertEquals(List.of(), events, "a jar there before watching is the deployer's reconciliation, not an event");
        Files.writeString(jar, "two, longer");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        watcher.scan();
        watcher.scan();
        Files.delete(jar);
        watcher.scan();
        assertEquals(List.of("changed a.jar", "removed a.jar"), events);
    }

    @Test
    void aJarTheDeployerWantsToSeeAgainIsReportedAgain() throws IOException {
        AutoloadWatcher watcher = watcher();
        Files.writeString(folder.resolve("a.jar"), "half");
        accept = false;
        watcher.scan();
        watcher.scan();
        watcher.scan();
        assertEquals(List.of("changed a.jar", "changed a.jar"), events);
    }

    @Test
    void otherFilesAreIgnored() throws IOException {
        AutoloadWatcher watcher = watcher();
        Files.writeString(folder.resolve("notes.txt"), "x");
        Files.writeString(folder.resolve(".hidden.jar"), "x");
        Files.createDirectory(folder.resolve("dir.jar"));
        watcher.scan();
        watcher.scan();
        assertEquals(List.of(), events);
    }
}
