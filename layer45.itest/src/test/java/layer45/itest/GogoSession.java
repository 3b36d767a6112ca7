package layer45.itest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;

/**
 * A Gogo shell session in a test framework, driven the way the console drives it: a command line goes to the real
 * {@code CommandProcessor} of the Gogo runtime bundle, which parses it (quoting, scopes, {@code -f} options),
 * converts the arguments and calls the command; what the command prints and what it returns is what the operator
 * reads.
 *
 * <h2>Why reflection</h2>
 * The Gogo API ({@code org.apache.felix.service.command}) is not on the test's class path: the Gogo runtime bundle
 * exports and imports it from its own jar, and the layer45 runtime bundle wires to that copy. Sharing it through the
 * system bundle, as the fixture does for the layer45 API, would change which copy every bundle wires to, and so the
 * assembly under test. The test needs a handful of calls ({@code createSession}, {@code execute}, {@code format},
 * {@code currentDir}, {@code close}), so it makes them by reflection on the interfaces the Gogo bundle itself loads,
 * and leaves the class spaces, the fixture and the test class path as they are. Exceptions a command throws come back out of {@link #execute} unwrapped; the layer45 ones
 * ({@code Layer45Exception}) are castable here, since the layer45 API is shared.
 */
final class GogoSession implements AutoCloseable {

    /** The Gogo command processor's service interface. */
    static final String COMMAND_PROCESSOR = "org.apache.felix.service.command.CommandProcessor";

    /** Gogo's {@code Converter.INSPECT}: how the console formats a command's result. */
    private static final int INSPECT = 0;

    private final BundleContext context;
    private final ServiceReference<?> reference;
    private final Object session;
    private final Method execute;
    private final Method format;
    private final Method close;
    private final Method currentDir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** What one command line gave: the text printed on stdout and stderr, and the formatted result. */
    record Result(String command, String printed, String errors, String result) {

        /** @return what an operator reads on the console's standard output: what was printed, then the result */
        String text() {
            if (printed.isEmpty()) {
                return result;
            }
            if (result.isEmpty()) {
                return printed.endsWith("\n") ? printed.substring(0, printed.length() - 1) : printed;
            }
            return printed + (printed.endsWith("\n") ? "" : "\n") + result;
        }
    }

    /**
     * Opens a session on the framework's command processor, waiting for it if it is not registered yet.
     *
     * @param context a bundle context of the framework
     */
    GogoSession(BundleContext context) {
        this.context = context;
        this.reference = OsgiFixture.await("the Gogo CommandProcessor service",
                () -> context.getServiceReference(COMMAND_PROCESSOR));
        Object processor = Objects.requireNonNull(context.getService(reference), "the CommandProcessor service");
        try {
            // The interfaces as the Gogo bundle sees them: the same Class objects its implementation implements.
            ClassLoader gogo = reference.getBundle().adapt(BundleWiring.class)
                    .getClassLoader();
            Class<?> processorType = gogo.loadClass(COMMAND_PROCESSOR);
            Class<?> sessionType = gogo.loadClass("org.apache.felix.service.command.CommandSession");
            InputStream in = new ByteArrayInputStream(new byte[0]);
            this.session = processorType.getMethod("createSession", InputStream.class, OutputStream.class,
                    OutputStream.class).invoke(processor, in, out, err);
            this.execute = sessionType.getMethod("execute", CharSequence.class);
            this.format = sessionType.getMethod("format", Object.class, int.class);
            this.close = sessionType.getMethod("close");
            this.currentDir = sessionType.getMethod("currentDir", Path.class);
        } catch (ReflectiveOperationException e) {
            context.ungetService(reference);
            throw new IllegalStateException("cannot open a Gogo session: " + e, e);
        }
    }

    /**
     * Sets the session's current directory, against which commands resolve relative paths (the console starts
     * with the process's working directory).
     *
     * @param directory the directory
     */
    void cd(Path directory) {
        try {
            currentDir.invoke(session, directory);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set the session's directory: " + e, e);
        }
    }

    /**
     * Runs one command line.
     *
     * @param line what an operator types, such as {@code l45:lsmod}
     * @return what it printed and returned
     * @throws Exception whatever the command (or Gogo, for a line it cannot parse or run) throws
     */
    Result execute(String line) throws Exception {
        synchronized (this) {
            out.reset();
            err.reset();
            Object value;
            try {
                value = execute.invoke(session, line);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw e;
            }
            String result = value == null ? "" : String.valueOf(format.invoke(session, value, INSPECT));
            return new Result(line, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    result);
        }
    }

    /**
     * Runs a command line that must succeed.
     *
     * @param line the command line
     * @return what an operator reads: printed text and result
     */
    String run(String line) {
        try {
            return execute(line).text();
        } catch (Exception e) {
            throw new AssertionError("'" + line + "' failed: " + e, e);
        }
    }

    /**
     * Runs a command line that must fail.
     *
     * @param line the command line
     * @return what it threw
     */
    Exception fail(String line) {
        Result result;
        try {
            result = execute(line);
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("'" + line + "' succeeded, though it should have failed; it gave:\n" + result.text());
    }

    @Override
    public void close() {
        try {
            close.invoke(session);
        } catch (ReflectiveOperationException e) {
            // the framework is going away
        } finally {
            try {
                context.ungetService(reference);
            } catch (IllegalStateException e) {
                // the framework already stopped
            }
        }
    }

    /** @return the {@code key: value} lines of modinfo before its tables, in order */
    static Map<String, String> modinfoFields(String modinfo) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : modinfo.lines().toList()) {
            if (line.equals("parameters:")) {
                break;
            }
            int colon = line.indexOf(": ");
            if (colon <= 0) {
                throw new AssertionError("not a key: value line: '" + line + "' in\n" + modinfo);
            }
            fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return fields;
    }

    /** @return the table under a heading of modinfo ("parameters:", "counters:"), indented by two spaces */
    static Table modinfoTable(String modinfo, String heading, String... rightAligned) {
        List<String> lines = modinfo.lines().toList();
        int start = lines.indexOf(heading);
        if (start < 0) {
            throw new AssertionError("no " + heading + " in\n" + modinfo);
        }
        List<String> table = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (!line.startsWith("  ")) {
                break;
            }
            table.add(line.substring(2));
        }
        return Table.parse(String.join("\n", table), rightAligned);
    }

    /**
     * A table as the layer45 commands print it, read back by column: a header line, then one line per row, columns
     * two spaces apart, left-aligned unless numeric. Parsing checks the alignment: every cell of a row must start
     * where its header starts (left-aligned columns) or end where it ends (right-aligned ones), so a shifted or
     * misaligned column fails the test instead of being read as the neighbouring one.
     *
     * @param text the table's lines, header first
     * @param columns the column titles, in order
     * @param rows each row's cells by column title ("" where a row has no cell)
     */
    record Table(String text, List<String> columns, List<Map<String, String>> rows) {

        /** A cell: words separated by single spaces. */
        private static final Pattern CELL = Pattern.compile("\\S+(?: \\S+)*");

        /**
         * @param text the table, header line first; every further line is a row
         * @param rightAligned the titles of the right-aligned columns
         * @return the table
         * @throws AssertionError if a cell is not aligned with its column
         */
        static Table parse(String text, String... rightAligned) {
            // A table ends at the first blank line: notes may follow it (lsmod's taint)
            List<String> lines = text.lines().takeWhile(line -> !line.isBlank()).toList();
            if (lines.isEmpty()) {
                throw new AssertionError("no table, nothing was printed");
            }
            Set<String> right = Set.of(rightAligned);
            List<String> titles = new ArrayList<>();
            List<int[]> spans = new ArrayList<>();
            Matcher header = CELL.matcher(lines.getFirst());
            while (header.find()) {
                titles.add(header.group());
                spans.add(new int[] { header.start(), header.end() });
            }
            if (!titles.containsAll(right)) {
                throw new AssertionError("the header has no column " + right + ":\n" + text);
            }
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                Map<String, String> row = new LinkedHashMap<>();
                titles.forEach(title -> row.put(title, ""));
                Matcher cell = CELL.matcher(line);
                int column = 0;
                while (cell.find()) {
                    int found = -1;
                    for (int i = column; i < titles.size() && found < 0; i++) {
                        boolean aligned = right.contains(titles.get(i)) ? cell.end() == spans.get(i)[1]
                                : cell.start() == spans.get(i)[0];
                        found = aligned ? i : -1;
                    }
                    if (found < 0) {
                        throw new AssertionError("cell '" + cell.group() + "' at column " + cell.start()
                                + " is aligned with no column of the header:\n" + text);
                    }
                    row.put(titles.get(found), cell.group());
                    column = found + 1;
                }
                rows.add(row);
            }
            return new Table(text, List.copyOf(titles), List.copyOf(rows));
        }

        /**
         * @param column a column title
         * @param value a cell value
         * @return the one row with that value in that column
         */
        Map<String, String> row(String column, String value) {
            List<Map<String, String>> found = rows.stream().filter(r -> value.equals(r.get(column))).toList();
            if (found.size() != 1) {
                throw new AssertionError(found.size() + " rows with " + column + " '" + value + "', expected one:\n"
                        + text);
            }
            return found.getFirst();
        }

        /**
         * @param column a column title
         * @return its cells, top to bottom
         */
        List<String> column(String column) {
            return rows.stream().map(r -> r.get(column)).toList();
        }
    }
}
