package layer45.runtime.deploy;

import java.util.ArrayList;
import java.util.List;

/** Just enough of the OSGi manifest header syntax to read clauses and their paths. */
final class Headers {

    private Headers() {
    }

    /**
     * Splits a header into its comma-separated clauses, leaving commas inside quotes alone.
     *
     * @param header the header value, or {@code null}
     * @return the clauses, trimmed; none for a missing header
     */
    static List<String> clauses(String header) {
        List<String> clauses = new ArrayList<>();
        if (header == null) {
            return clauses;
        }
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                add(clauses, clause);
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        add(clauses, clause);
        return clauses;
    }

    /**
     * @param pattern a {@code Service-Component} path, possibly with {@code *} in its last segment
     * @param entry a jar entry name
     * @return whether the entry is named by the pattern
     */
    static boolean matches(String pattern, String entry) {
        String regex = pattern.replace(".", "\\.").replace("*", "[^/]*");
        return entry.matches(regex);
    }

    private static void add(List<String> clauses, StringBuilder clause) {
        String text = clause.toString().trim();
        if (!text.isEmpty()) {
            clauses.add(text);
        }
    }
}
