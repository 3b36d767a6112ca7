package layer45.runtime.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAreTwoSpacesApartAndNumbersRightAligned() {
        Table table = new Table("Module", "Size", "Used", "State").right(1, 2);
        table.row("echo-tag-client", 10456, 2, "LIVE");
        table.row("dns", 812, 120, "DEPRECATED");
        assertEquals("""
                Module            Size  Used  State
                echo-tag-client  10456     2  LIVE
                dns                812   120  DEPRECATED""", table.toString());
    }

    @Test
    void noLineEndsInSpaces() {
        Table table = new Table("Name", "Note").row("a-long-name", "").row("b", "short");
        assertEquals("""
                Name         Note
                a-long-name
                b            short""", table.toString());
    }

    @Test
    void anEmptyTableShowsItsHeadersAndTheLineForNone() {
        assertEquals("A  B\n(none)", new Table("A", "B").whenEmpty("(none)").toString());
        assertEquals("A  B", new Table("A", "B").toString());
        assertEquals(0, new Table("A").size());
    }

    @Test
    void cellsAreOneLineAndNullIsEmpty() {
        Table table = new Table("Key", "Value").row("k", "two\nlines\there").row(null, "v");
        assertEquals("""
                Key  Value
                k    two lines here
                     v""", table.toString());
    }

    @Test
    void widthsCountCharactersNotChars() {
        Table table = new Table("X", "Y").row("\uD83D\uDE00", "1").row("ab", "2");
        assertEquals("X   Y\n\uD83D\uDE00   1\nab  2", table.toString()); // a surrogate pair is one character
    }

    @Test
    void aRowMustFillEveryColumn() {
        Table table = new Table("A", "B");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.row("only one"));
        assertEquals("a row of 1 cells in a table of 2 columns: [only one]", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> table.right(2));
        assertThrows(IllegalArgumentException.class, Table::new);
    }
}
