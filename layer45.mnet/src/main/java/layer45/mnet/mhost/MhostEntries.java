package layer45.mnet.mhost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import layer45.mnet.HostAddress;
import layer45.mnet.HostIdentifier;

/**
 * Reads host identifiers from their two written sources: the file ({@code conf/mhosts}) and the configuration's
 * {@code host.NAME} keys. A line or key that is wrong is reported, with where it is and why, and left out; the rest
 * is read.
 *
 * <p>The file holds one identifier per line, its name and then its addresses in the order to try them, separated by
 * spaces or tabs ({@link HostAddress} describes how an address is written); {@code #} starts a comment:
 * <pre>
 * # NAME   ADDRESS...
 * srv      ::1  127.0.0.1
 * web      [fd00::80]:8080  192.0.2.80:80   # the port of the flow, unless one is given
 * </pre>
 */
public final class MhostEntries {

    /** Past this many lines or identifiers, the rest of a source is left out (a runaway file must not eat memory). */
    static final int MAX_ENTRIES = 65_536;

    private MhostEntries() {
    }

    /**
     * One identifier as a source defines it.
     *
     * @param name the name, in lower case
     * @param addresses the addresses in order
     * @param source where: a file and line ({@code conf/mhosts:3}), {@code config} or {@code shell}
     */
    public record Entry(String name, List<HostAddress> addresses, String source) {

        /** Copies the list. */
        public Entry {
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * What a source holds.
     *
     * @param entries the identifiers read, in the source's order, each name once
     * @param problems what was left out and why, one line each
     */
    public record Parsed(List<Entry> entries, List<String> problems) {

        /** An empty source. */
        public static final Parsed EMPTY = new Parsed(List.of(), List.of());

        /** Copies the lists. */
        public Parsed {
            entries = List.copyOf(entries);
            problems = List.copyOf(problems);
        }
    }

    /**
     * Reads the file's text.
     *
     * @param text the file's contents
     * @param fileName the file as operators know it, for the sources and the problems ({@code conf/mhosts})
     * @return its identifiers and its problems
     */
    public static Parsed parseFile(String text, String fileName) {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> lineOf = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = stripComment(lines[i]);
            if (line.isBlank()) {
                continue;
            }
            if (entries.size() == MAX_ENTRIES) {
                problems.add(fileName + ":" + number + ": more than " + MAX_ENTRIES + " identifiers; the rest of the"
                        + " file is ignored");
                break;
            }
            String[] words = line.strip().split("\\s+");
            try {
                Entry entry = entry(words[0], List.of(words).subList(1, words.length), fileName + ":" + number);
                Integer earlier = lineOf.putIfAbsent(entry.name(), number);
                if (earlier != null) {
                    throw new IllegalArgumentException(entry.name() + " is already defined on line " + earlier);
                }
                entries.add(entry);
            } catch (IllegalArgumentException e) {
                problems.add(fileName + ":" + number + ": " + e.getMessage() + "; the line is ignored");
            }
        }
        return new Parsed(entries, problems);
    }

    /**
     * Reads the configuration's identifiers: each key {@code host.NAME} holds the addresses, separated by spaces or
     * commas, or as an array of strings. Other keys are not identifiers and are skipped.
     *
     * @param properties the configuration
     * @return its identifiers, sorted by name, and its problems
     */
    public static Parsed parseConfig(Map<String, ?> properties) {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> keyOf = new HashMap<>();
        for (Map.Entry<String, ?> property : new TreeMap<>(properties).entrySet()) {
            String key = property.getKey();
            if (!key.startsWith(MhostSettings.HOST_PREFIX)) {
                continue;
            }
            try {
                Entry entry = entry(key.substring(MhostSettings.HOST_PREFIX.length()), words(property.getValue()),
                        "config");
                String earlier = keyOf.putIfAbsent(entry.name(), key);
                if (earlier != null) {
                    throw new IllegalArgumentException(entry.name() + " is already defined by " + earlier);
                }
                entries.add(entry);
            } catch (IllegalArgumentException e) {
                problems.add(MhostSettings.PID + " " + key + ": " + e.getMessage() + "; the key is ignored");
            }
        }
        return new Parsed(entries, problems);
    }

    /**
     * @param name an identifier's name
     * @param words its addresses as written
     * @param source where it is defined
     * @return the entry
     * @throws IllegalArgumentException saying what is wrong with the name or which address is wrong
     */
    public static Entry entry(String name, List<String> words, String source) {
        HostIdentifier.checkName(name);
        return entryOf(name, words.stream().map(HostAddress::parse).toList(), source);
    }

    /**
     * @param name an identifier's name
     * @param addresses its addresses
     * @param source where it is defined
     * @return the entry
     * @throws IllegalArgumentException if the name is not usable, there is no address, or one is there twice
     */
    public static Entry entryOf(String name, List<HostAddress> addresses, String source) {
        String checked = HostIdentifier.checkName(name);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException(checked + " has no address: write NAME ADDRESS..., such as " + checked
                    + " ::1 127.0.0.1");
        }
        for (int i = 0; i < addresses.size(); i++) {
            if (addresses.subList(0, i).contains(addresses.get(i))) {
                throw new IllegalArgumentException(checked + " lists " + addresses.get(i) + " twice");
            }
        }
        return new Entry(checked, addresses, source);
    }

    private static List<String> words(Object value) {
        List<String> words = new ArrayList<>();
        Iterable<?> items = value instanceof Object[] array ? List.of(array)
                : value instanceof Iterable<?> iterable ? iterable : List.of(String.valueOf(value));
        for (Object item : items) {
            for (String word : String.valueOf(item).split("[,\\s]+")) {
                if (!word.isBlank()) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}
