package layer45.mnet.mhost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Reads the file of host identifiers into the table, and again whenever it changes (its modification time, size or
 * existence), checking at a fixed interval: editors that write a new file and rename it are seen like those that
 * write in place. A file that is missing or cannot be read leaves the table without file entries and says why.
 */
public final class MhostFileWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    /** A file beyond this is not read: one identifier per line never needs as much. */
    static final long MAX_BYTES = 16 << 20;

    private final HostTable table;
    private final Path file;
    private final String name;
    private final Thread thread;
    private volatile boolean closed;
    private Object lastSeen = "never";

    /**
     * Reads the file now and starts watching it.
     *
     * @param table the table to fill
     * @param file the file
     * @param name the file as operators know it ({@code conf/mhosts}), for the sources and the problems
     * @param interval how often to look for a change
     */
    public MhostFileWatcher(HostTable table, Path file, String name, Duration interval) {
        this.table = Objects.requireNonNull(table, "table");
        this.file = Objects.requireNonNull(file, "file");
        this.name = name;
        check();
        this.thread = Thread.ofVirtual().name("layer45-mhost-file").start(() -> watch(interval));
    }

    private void watch(Duration interval) {
        while (!closed) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            try {
                check();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "mnet:mhost: reading " + file + " failed", e);
            }
        }
    }

    /** Reads the file if it changed since the last look; the thread's, and the constructor's. */
    private synchronized void check() {
        Object seen = stamp();
        if (seen.equals(lastSeen)) {
            return;
        }
        lastSeen = seen;
        MhostEntries.Parsed parsed = read();
        table.fileRead(parsed);
        LOG.log(parsed.problems().isEmpty() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                "layer45: host identifiers from " + name + ": " + parsed.entries().size()
                + (parsed.problems().isEmpty() ? "" : "; " + String.join("; ", parsed.problems())));
    }

    /** @return what tells a change: modification time and size, or that the file is missing */
    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), a.fileKey() == null ? "" : a.fileKey());
        } catch (IOException e) {
            return "missing";
        }
    }

    private MhostEntries.Parsed read() {
        try {
            if (Files.size(file) > MAX_BYTES) {
                return problem(name + " is larger than " + MAX_BYTES + " bytes and is not read; split it or trim it");
            }
            return MhostEntries.parseFile(Files.readString(file, StandardCharsets.UTF_8), name);
        } catch (NoSuchFileException e) {
            return problem(name + " does not exist: no identifiers from a file (create it, or set mhost.file to"
                    + " another file or to nothing)");
        } catch (IOException | java.io.UncheckedIOException e) {
            return problem(name + " cannot be read (" + e.getMessage() + "): no identifiers from it until it can");
        }
    }

    private static MhostEntries.Parsed problem(String problem) {
        return new MhostEntries.Parsed(List.of(), List.of(problem));
    }

    /** Stops watching; the table keeps what it read. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
