package layer45.runtime.target;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A set of TCP or UDP ports.
 *
 * <p>Syntax: single ports ({@code 53}) and inclusive ranges ({@code 8000-8100}) from 1 to 65535, in several
 * strings or comma-separated in one ({@code 53,853}); spaces around entries are ignored. {@code *}, or no entry
 * at all, is any port. Service names ({@code domain}) are not looked up, for the same reasons addresses are not
 * resolved.
 *
 * <p>The set is kept as sorted, merged ranges, so two sets with the same ports are equal and print the same
 * however they were written.
 */
public final class PortSet {

    /** The lowest port a flow can have. */
    public static final int MIN_PORT = 1;
    /** The highest port. */
    public static final int MAX_PORT = 65535;

    /** Any port. */
    public static final PortSet ANY = new PortSet(new int[] {MIN_PORT}, new int[] {MAX_PORT});

    /** First ports of the ranges, ascending; ranges neither overlap nor touch. */
    private final int[] starts;
    /** Last ports of the ranges, inclusive. */
    private final int[] ends;

    private PortSet(int[] starts, int[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    /**
     * @param sources ports, ranges, comma-separated lists of them or {@code *}; none at all, or only blank
     *        strings, is any port
     * @return the ports
     * @throws IllegalArgumentException naming every entry that is not a port or a range of them
     */
    public static PortSet parse(String... sources) {
        List<String> problems = new ArrayList<>();
        PortSet ports = parse(Arrays.asList(sources), problems::add);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return ports;
    }

    /**
     * @param sources ports, ranges, comma-separated lists of them or {@code *}
     * @param problems receives a message for each malformed entry
     * @return the ports of the well-formed entries; meaningless if there were problems
     */
    static PortSet parse(List<String> sources, Consumer<String> problems) {
        List<int[]> ranges = new ArrayList<>();
        boolean any = sources.isEmpty();
        boolean anyEntry = false;
        for (String source : sources) {
            Objects.requireNonNull(source, "source");
            for (String item : Values.items(source, problems)) {
                anyEntry = true;
                if (item.equals("*")) {
                    any = true;
                } else {
                    int[] range = range(item, problems);
                    if (range != null) {
                        ranges.add(range);
                    }
                }
            }
        }
        if (any || !anyEntry) {
            return ANY;
        }
        return merge(ranges);
    }

    /**
     * @param port a flow's port
     * @return whether it is in the set; any port, even one outside 1 to 65535, is in {@link #ANY}
     */
    public boolean matches(int port) {
        if (isAny()) {
            return true;
        }
        int found = Arrays.binarySearch(starts, port);
        if (found >= 0) {
            return true;
        }
        int before = -found - 2;
        return before >= 0 && port <= ends[before];
    }

    /** @return whether every port is in the set */
    public boolean isAny() {
        return starts.length == 1 && starts[0] == MIN_PORT && ends[0] == MAX_PORT;
    }

    /** @return the ranges in canonical form, such as {@code 53} or {@code 8000-8100}; empty for any port */
    public List<String> toStrings() {
        if (isAny()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(starts.length);
        for (int i = 0; i < starts.length; i++) {
            out.add(starts[i] == ends[i] ? Integer.toString(starts[i]) : starts[i] + "-" + ends[i]);
        }
        return List.copyOf(out);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PortSet that && Arrays.equals(starts, that.starts) && Arrays.equals(ends, that.ends);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(starts) * 31 + Arrays.hashCode(ends);
    }

    /** @return the canonical form: {@code *}, or the ranges comma-separated, such as {@code 53,853,8000-8100} */
    @Override
    public String toString() {
        return isAny() ? "*" : String.join(",", toStrings());
    }

    /** @return {first, last}, or {@code null} after reporting why the entry is not a port or a range */
    private static int[] range(String item, Consumer<String> problems) {
        int dash = item.indexOf('-');
        if (dash < 0) {
            int port = port(item);
            if (port == 0) {
                problems.accept("port 0 is not a port a flow can have; leave the property empty or use '*' for"
                        + " any port");
                return null;
            }
            if (port < 0) {
                problems.accept(notPort(item));
                return null;
            }
            return new int[] {port, port};
        }
        String firstText = item.substring(0, dash).strip();
        String lastText = item.substring(dash + 1).strip();
        if (dash == 0) {
            problems.accept(notPort(item));
            return null;
        }
        if (firstText.isEmpty() || lastText.isEmpty() || lastText.indexOf('-') >= 0) {
            problems.accept(Values.quote(item) + " is not a port range; write two ports with one '-' between them,"
                    + " such as '8000-8100'");
            return null;
        }
        int first = port(firstText);
        int last = port(lastText);
        if (first < 0 || last < 0) {
            problems.accept(Values.quote(item) + ": " + notPort(first < 0 ? firstText : lastText));
            return null;
        }
        if (first > last) {
            problems.accept(Values.quote(item) + " is reversed; write '" + last + "-" + first + "'");
            return null;
        }
        if (first == 0) {
            problems.accept(Values.quote(item) + " starts at port 0, which a flow cannot have; write '"
                    + (last == 0 ? "*" : MIN_PORT + "-" + last) + "'");
            return null;
        }
        return new int[] {first, last};
    }

    /** @return the port 0 to 65535, or -1 if the text is not one */
    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int value = Integer.parseInt(text);
        return value <= MAX_PORT ? value : -1;
    }

    private static String notPort(String text) {
        String message = Values.quote(text) + " is not a port (1-65535)";
        return text.chars().anyMatch(Character::isLetter)
                ? message + "; write the port number, service names are not looked up"
                : message;
    }

    private static PortSet merge(List<int[]> ranges) {
        ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
        int[] starts = new int[ranges.size()];
        int[] ends = new int[ranges.size()];
        int count = 0;
        for (int[] range : ranges) {
            // Ranges that touch are merged too, so each set of ports has a single form.
            if (count > 0 && range[0] <= ends[count - 1] + 1) {
                ends[count - 1] = Math.max(ends[count - 1], range[1]);
            } else {
                starts[count] = range[0];
                ends[count] = range[1];
                count++;
            }
        }
        return new PortSet(Arrays.copyOf(starts, count), Arrays.copyOf(ends, count));
    }
}
