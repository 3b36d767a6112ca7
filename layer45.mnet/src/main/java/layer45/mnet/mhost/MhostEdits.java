package layer45.mnet.mhost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import layer45.mnet.HostAddress;

/**
 * The file that keeps operators' edits of the table ({@code l45:mhost add/set/remove}) across restarts:
 * {@code mhost.edits}, by default {@code mhost.edits} in the runtime's {@code state.dir}.
 *
 * <p>It is written by the runtime, whole and atomically (a new file renamed into place) at every edit, in the
 * format of {@code conf/mhosts} ({@link MhostEntries}), with one addition: a line {@code -NAME} records that an
 * operator removed {@code NAME}, so an identifier the file or the configuration defines stays removed too.
 */
public final class MhostEdits {

    /** Edits past this are not read back: the table never holds more identifiers. */
    private static final long MAX_BYTES = MhostFileWatcher.MAX_BYTES;
    private static final String HEADER = """
            # layer45: host identifiers put (NAME ADDRESS...) and removed (-NAME) with l45:mhost, kept across
            # restarts. Written by the runtime at every edit; it takes precedence over conf/mhosts and the
            # configuration. Remove a line (with the runtime stopped) to drop an edit.
            """;

    private MhostEdits() {
    }

    /**
     * What the file holds.
     *
     * @param edits by name: the entry put, or {@code null} for a removal
     * @param problems lines that could not be read, and why
     */
    public record Read(Map<String, MhostEntries.Entry> edits, List<String> problems) {
    }

    /**
     * Reads the edits; a missing file holds none.
     *
     * @param file the file
     * @param name the file as operators know it, for the problems
     * @return the edits, and what was wrong with the lines left out
     */
    public static Read read(Path file, String name) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                return new Read(Map.of(), List.of(name + " is larger than " + MAX_BYTES + " bytes: operators' edits"
                        + " are not read back from it; move it away and edit again"));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Read(Map.of(), List.of());
        } catch (IOException | java.io.UncheckedIOException e) {
            return new Read(Map.of(), List.of(name + " cannot be read (" + e.getMessage() + "): operators' earlier"
                    + " edits are not in force"));
        }
        Map<String, MhostEntries.Entry> edits = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        // Removals are taken out here, each replaced by a blank line, so the rest keeps its line numbers.
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("-")) {
                String removed = line.substring(1).strip();
                try {
                    edits.put(layer45.mnet.HostIdentifier.checkName(removed), null);
                } catch (IllegalArgumentException e) {
                    problems.add(name + ":" + (i + 1) + ": " + e.getMessage() + "; the line is ignored");
                }
                lines[i] = "";
            }
        }
        MhostEntries.Parsed puts = MhostEntries.parseFile(String.join("\n", lines), name);
        for (MhostEntries.Entry e : puts.entries()) {
            edits.put(e.name(), new MhostEntries.Entry(e.name(), e.addresses(), "shell"));
        }
        problems.addAll(puts.problems());
        return new Read(edits, problems);
    }

    /**
     * Writes the edits, replacing the file atomically.
     *
     * @param file the file; its folder is created when missing
     * @param edits by name: the entry put, or {@code null} for a removal
     * @throws IOException if the file could not be written; the previous one is then untouched
     */
    public static void write(Path file, Map<String, MhostEntries.Entry> edits) throws IOException {
        StringBuilder text = new StringBuilder(HEADER);
        new TreeMap<>(edits).forEach((name, entry) -> text.append(entry == null ? "-" + name
                : name + " " + entry.addresses().stream().map(HostAddress::toString).collect(Collectors.joining(" ")))
                .append('\n'));
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temporary = Files.createTempFile(folder, file.getFileName() + ".", ".new");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
