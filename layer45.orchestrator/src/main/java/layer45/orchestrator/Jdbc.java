package layer45.orchestrator;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Opens the CIB's database connection the same way on the command line and in an OSGi framework. In a framework,
 * {@link DriverManager} finds only drivers its caller's class loader can see, so the orchestrator loads the driver
 * class for the URL's scheme itself (through its bundle's optional imports of {@code org.h2} and
 * {@code org.postgresql}; from {@code lib/} on the command line) and asks it directly. Other schemes go to
 * {@link DriverManager}, which works on the command line when their driver is on the class path.
 */
final class Jdbc {

    /** The drivers the orchestrator knows, by the URL's scheme ({@code jdbc:SCHEME:...}). */
    static final Map<String, String> DRIVERS = Map.of("h2", "org.h2.Driver", "postgresql", "org.postgresql.Driver");

    /** H2's error code for a database file another process holds open (ErrorCode.DATABASE_ALREADY_OPEN_1). */
    private static final int H2_ALREADY_OPEN = 90020;

    private Jdbc() {
    }

    /**
     * @param url a JDBC URL
     * @param user its user, or ""
     * @param password its password, or ""
     * @return an open connection
     * @throws SQLException if the driver is missing, refuses the URL, or cannot connect; the message says which
     */
    static Connection open(String url, String user, String password) throws SQLException {
        return open(url, user, password, DRIVERS);
    }

    /** Like {@link #open(String, String, String)}, with other drivers (for tests). */
    static Connection open(String url, String user, String password, Map<String, String> drivers)
            throws SQLException {
        String scheme = scheme(url);
        String driverClass = drivers.get(scheme);
        // user and password only when given: PostgreSQL then takes the URL's user, the system user or ~/.pgpass
        Properties properties = new Properties();
        if (!user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        try {
            if (driverClass == null) {
                return DriverManager.getConnection(url, properties);
            }
            Connection connection = driver(driverClass, url).connect(url, properties);
            if (connection == null) {
                throw new SQLException("the JDBC driver " + driverClass + " does not take the URL " + url
                        + "; check its syntax (jdbc:" + scheme + ":...)");
            }
            return connection;
        } catch (SQLException e) {
            if (e.getErrorCode() == H2_ALREADY_OPEN) {
                throw new SQLException("the CIB " + url + " is open in another process (H2 lets one process use a"
                        + " file at a time: the runtime's orchestrator component, or another ./layer45 orchestrate);"
                        + " use the runtime's nco: commands, stop the other, or give each its own database", e);
            }
            throw e;
        }
    }

    private static Driver driver(String driverClass, String url) throws SQLException {
        try {
            return (Driver) Class.forName(driverClass, true, Jdbc.class.getClassLoader()).getConstructor()
                    .newInstance();
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new SQLException("no JDBC driver for " + url + ": " + driverClass + " cannot be loaded; on the"
                    + " command line its jar belongs in lib/, in the runtime its bundle must be installed (and the"
                    + " orchestrator bundle refreshed)", e);
        } catch (ReflectiveOperationException e) {
            throw new SQLException("cannot create the JDBC driver " + driverClass + ": " + e, e);
        }
    }

    /** @return the scheme of a JDBC URL ({@code h2} of {@code jdbc:h2:file:...}), or "" if it is not one */
    static String scheme(String url) {
        if (url == null || !url.startsWith("jdbc:")) {
            return "";
        }
        int colon = url.indexOf(':', 5);
        return colon < 0 ? "" : url.substring(5, colon);
    }
}
