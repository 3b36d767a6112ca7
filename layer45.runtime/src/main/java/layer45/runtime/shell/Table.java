package layer45.runtime.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An aligned text table for people: a header line, then one line per row, columns two spaces apart. Columns are
 * left-aligned unless marked {@link #right(int...) right} (numbers); no line ends in spaces.
 *
 * <pre>{@code
 * new Table("Module", "Used").right(1).row("echo-tag-client", "2").toString()
 * }</pre>
 */
final class Table {

    private static final String GAP = "  ";

    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();
    private String whenEmpty;

    /** @param headers the column titles; their number fixes the number of columns */
    Table(String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.headers = headers.clone();
        this.right = new boolean[headers.length];
    }

    /**
     * @param columns indexes of the columns to right-align, header included
     * @return this table
     */
    Table right(int... columns) {
        for (int column : columns) {
            Objects.checkIndex(column, headers.length);
            right[column] = true;
        }
        return this;
    }

    /**
     * @param line the line shown under the headers when there are no rows, such as {@code (none)}
     * @return this table
     */
    Table whenEmpty(String line) {
        this.whenEmpty = line;
        return this;
    }

    /**
     * Adds a row. A {@code null} cell is shown empty; line breaks and tabs in a cell become spaces.
     *
     * @param cells one value per column
     * @return this table
     * @throws IllegalArgumentException if the number of cells is not the number of columns
     */
    Table row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + headers.length
                    + " columns: " + Arrays.toString(cells));
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = cells[i] == null ? "" : cells[i].toString().replaceAll("[\\r\\n\\t]+", " ");
        }
        rows.add(row);
        return this;
    }

    /** @return the number of rows */
    int size() {
        return rows.size();
    }

    /** @return the table, lines separated by {@code \n}, without a final line break */
    @Override
    public String toString() {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = width(headers[i]);
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], width(row[i]));
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        for (String[] row : rows) {
            out.append('\n');
            line(out, row, widths);
        }
        if (rows.isEmpty() && whenEmpty != null) {
            out.append('\n').append(whenEmpty);
        }
        return out.toString();
    }

    private void line(StringBuilder out, String[] cells, int[] widths) {
        int start = out.length();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append(GAP);
            }
            String pad = " ".repeat(widths[i] - width(cells[i]));
            if (right[i]) {
                out.append(pad).append(cells[i]);
            } else {
                out.append(cells[i]).append(pad);
            }
        }
        int end = out.length();
        while (end > start && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
    }

    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}
