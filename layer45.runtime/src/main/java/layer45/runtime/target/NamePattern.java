package layer45.runtime.target;

import java.util.Objects;

/**
 * A pattern for a Linux task name (the {@code comm} of a process or thread).
 *
 * <p>Syntax: {@code *} alone matches any name, even the empty name of an owner that could not be found; a
 * {@code *} at the start and/or end stands for any characters there ({@code isc-*} a prefix, {@code *-worker} a
 * suffix, {@code *net*} a part); without {@code *} the name must be equal. Comparison is case-sensitive, as
 * task names are.
 *
 * <p>The kernel keeps only 15 bytes of a task name ({@code TASK_COMM_LEN} is 16 with the NUL), so a name longer
 * than that can never be seen, and a pattern that needs one is refused rather than silently never matching.
 * A suffix pattern is compared with the truncated name: {@code *-worker} does not match a task started as
 * {@code my-service-worker}, whose name is {@code my-service-work}.
 */
public final class NamePattern {

    /** Bytes of a Linux task name, without the terminating NUL. */
    public static final int TASK_NAME_LENGTH = 15;

    /** The pattern {@code *}: any name. */
    public static final NamePattern ANY = new NamePattern("*", Kind.ANY, "");

    private enum Kind {
        ANY, EXACT, PREFIX, SUFFIX, PART
    }

    private final String source;
    private final Kind kind;
    /** The name without its wildcards. */
    private final String fixed;

    private NamePattern(String source, Kind kind, String fixed) {
        this.source = source;
        this.kind = kind;
        this.fixed = fixed;
    }

    /**
     * @param text a pattern such as {@code dig}, {@code isc-*}, {@code *-worker}, {@code *net*} or {@code *}
     * @return the pattern
     * @throws IllegalArgumentException if the text is empty, has a {@code *} other than at its start or end, has
     *         a control character, or could only match a name longer than a Linux task name
     */
    public static NamePattern parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException(
                    "a name pattern cannot be empty; use '*' for any name or a task name such as 'dig'");
        }
        if (text.equals("*")) {
            return ANY;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(Values.quote(text) + " contains the control character U+"
                        + String.format("%04X", (int) c) + "; remove it (task names in patterns are printable)");
            }
        }
        boolean leading = text.startsWith("*");
        boolean trailing = text.endsWith("*");
        String fixed = text.substring(leading ? 1 : 0, text.length() - (trailing ? 1 : 0));
        if (fixed.isEmpty()) {
            throw new IllegalArgumentException(
                    "'" + text + "' has no name between its wildcards; use '*' for any name");
        }
        if (fixed.indexOf('*') >= 0) {
            throw new IllegalArgumentException("'" + text + "' has a '*' inside the name; '*' is a wildcard only at"
                    + " the start or end (such as 'isc-*', '*-worker' or '*net*')");
        }
        Kind kind = leading && trailing ? Kind.PART : leading ? Kind.SUFFIX : trailing ? Kind.PREFIX : Kind.EXACT;
        int bytes = utf8Length(fixed);
        if (bytes > TASK_NAME_LENGTH) {
            throw new IllegalArgumentException(tooLong(text, fixed, kind, bytes));
        }
        return new NamePattern(text, kind, fixed);
    }

    /**
     * @param name a task name, or "" if the owner is unknown
     * @return whether the name matches; only {@code *} matches "" or {@code null}
     */
    public boolean matches(String name) {
        if (kind == Kind.ANY) {
            return true;
        }
        if (name == null || name.isEmpty()) {
            return false;
        }
        return switch (kind) {
            case EXACT -> name.equals(fixed);
            case PREFIX -> name.startsWith(fixed);
            case SUFFIX -> name.endsWith(fixed);
            case PART -> name.contains(fixed);
            case ANY -> true;
        };
    }

    /** @return whether this is {@code *}, which matches every name */
    public boolean isAny() {
        return kind == Kind.ANY;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NamePattern that && source.equals(that.source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    /** @return the pattern as written */
    @Override
    public String toString() {
        return source;
    }

    private static String tooLong(String text, String fixed, Kind kind, int bytes) {
        // Non-ASCII names are cut by bytes, which an operator cannot count from the characters.
        boolean ascii = bytes == fixed.length();
        String limit = ascii ? "the " + TASK_NAME_LENGTH + " characters of a Linux task name"
                : "the " + TASK_NAME_LENGTH + " bytes of a Linux task name (it is " + bytes + " bytes in UTF-8)";
        String head = truncate(fixed);
        return switch (kind) {
            case EXACT -> "'" + text + "' is longer than " + limit + " and would never match; use '" + head
                    + "*' or the truncated name '" + head + "'";
            case PREFIX -> "'" + text + "' starts with more than " + limit + " and would never match; use '" + head
                    + "*'";
            case PART -> "'" + text + "' needs more than " + limit + " and would never match; use '*" + head + "*'";
            // The end of a long name is what the kernel cuts off, so no shorter suffix means the same.
            default -> "'" + text + "' needs more than " + limit
                    + " and would never match; use a suffix of at most " + TASK_NAME_LENGTH + " characters";
        };
    }

    /** @return the longest start of the name that fits in a task name, cut between characters */
    private static String truncate(String name) {
        int bytes = 0;
        int end = 0;
        while (end < name.length()) {
            int cp = name.codePointAt(end);
            int size = utf8Length(cp);
            if (bytes + size > TASK_NAME_LENGTH) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return name.substring(0, end);
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            bytes += utf8Length(cp);
            i += Character.charCount(cp);
        }
        return bytes;
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }
}
