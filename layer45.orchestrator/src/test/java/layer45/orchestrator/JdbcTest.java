package layer45.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Connections come from the driver of the URL's scheme, without DriverManager; a missing driver says so. */
class JdbcTest {

    @Test
    void theSchemeIsTheWordAfterJdbc() {
        assertEquals("h2", Jdbc.scheme("jdbc:h2:file:/tmp/cib"));
        assertEquals("postgresql", Jdbc.scheme("jdbc:postgresql://db/cib"));
        assertEquals("", Jdbc.scheme("h2:file:/tmp/cib"));
        assertEquals("", Jdbc.scheme("jdbc:"));
    }

    @Test
    void h2OpensThroughItsDriverClass() throws SQLException {
        try (Connection connection = Jdbc.open("jdbc:h2:mem:jdbc-test", "", "")) {
            assertEquals("H2", connection.getMetaData().getDatabaseProductName());
        }
    }

    @Test
    void aDriverThatCannotBeLoadedIsNamedWithWhatToDo() {
        SQLException e = assertThrows(SQLException.class, () -> Jdbc.open("jdbc:h2:mem:x", "", "",
                Map.of("h2", "org.example.NoSuchDriver")));
        assertTrue(e.getMessage().contains("org.example.NoSuchDriver cannot be loaded")
                && e.getMessage().contains("its bundle must be installed"), e.getMessage());
    }

    @Test
    void aUrlTheDriverDoesNotTakeIsRefusedWithItsSyntax() {
        SQLException e = assertThrows(SQLException.class, () -> Jdbc.open("jdbc:h2x:mem:x", "", "",
                Map.of("h2x", "org.h2.Driver")));
        assertTrue(e.getMessage().contains("does not take the URL jdbc:h2x:mem:x"), e.getMessage());
    }
}
