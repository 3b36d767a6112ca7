package layer45.runtime.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.commons.io.monitor.FileAlterationListenerAdaptor;
import org.apache.commons.io.monitor.FileAlterationObserver;

/**
 * Watches the autoload folder with Commons IO and reports jars that appeared, changed or went away.
 *
 * <p>A new or changed jar is reported only once it is stable: the same size and modification time at two scans in a
 * row, so a jar still being copied is never read. (Writing to a temporary name and renaming is instant and safe.)
 * Hidden files and anything not ending in {@code .jar} are ignored. Driven by the deployer's thread: {@link #scan()}
 * reports on the thread that calls it.
 */
final class AutoloadWatcher {

    private final Path directory;
    private final FileAlterationObserver observer;
    private final Map<Path, Snapshot> unsettled = new HashMap<>();
    private final Predicate<Path> changed;
    private final Consumer<Path> removed;

    private record Snapshot(long size, long modified) {
    }

    /**
     * @param directory the folder
     * @param changed told of a jar that is new or changed, once it is stable; answers {@code false} to be told again
     *        at the next scan (the jar may still be being written)
     * @param removed told of a jar that went away
     */
    AutoloadWatcher(Path directory, Predicate<Path> changed, Consumer<Path> removed) throws IOException {
        this.directory = directory;
        this.changed = changed;
        this.removed = removed;
        this.observer = FileAlterationObserver.builder().setFile(directory.toFile())
                .setFileFilter(file -> isJar(file.toPath())).get();
        observer.addListener(new FileAlterationListenerAdaptor() {
            @Override
            public void onFileCreate(File file) {
                unsettled.put(file.toPath(), null); // look at it again next scan
            }

            @Override
            public void onFileChange(File file) {
                unsettled.put(file.toPath(), null);
            }

            @Override
            public void onFileDelete(File file) {
                unsettled.remove(file.toPath());
                removed.accept(file.toPath());
            }
        });
        try {
            observer.initialize(); // the jars already there are the deployer's reconciliation, not events
        } catch (Exception e) {
            throw new IOException("cannot watch " + directory + ": " + e.getMessage(), e);
        }
    }

    /** @return the folder */
    Path directory() {
        return directory;
    }

    /** @return whether a path is a jar the folder may hold */
    static boolean isJar(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(".jar") && !name.startsWith(".") && Files.isRegularFile(path);
    }

    /** @param jar a jar to look at again at the next scans, as if it had just changed */
    void recheck(Path jar) {
        unsettled.put(jar, null);
    }

    /** Looks at the folder once; reports jars that settled and jars that went away. */
    void scan() {
        observer.checkAndNotify();
        for (var it = unsettled.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            Snapshot now = snapshot(entry.getKey());
            if (now == null) {
                it.remove(); // gone again before it settled
            } else if (now.equals(entry.getValue())) {
                if (changed.test(entry.getKey())) {
                    it.remove();
                }
            } else {
                entry.setValue(now); // still being written, or just seen: look again next scan
            }
        }
    }

    private static Snapshot snapshot(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new Snapshot(attributes.size(), attributes.lastModifiedTime().toMillis());
        } catch (IOException e) {
            return null;
        }
    }
}
