package layer45.orchestrator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The customization information base: devices and their groups, the jars deployed, every command issued and what
 * each device answered (the rollout status), and the devices' reports. Plain JDBC: an embedded H2 file database by
 * default, or PostgreSQL ({@code jdbc:postgresql://...}); the schema is created when missing.
 */
final class Cib implements AutoCloseable {

    /** One device's answer to one command. */
    record Delivery(String command, String op, String target, String device, String result, String reason,
            long issued, long acked) {
    }

    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS devices (id VARCHAR(64) PRIMARY KEY, groups_ VARCHAR(1024) NOT NULL,"
                    + " status VARCHAR(16) NOT NULL, seen BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS jars (name VARCHAR(64) NOT NULL, sha256 VARCHAR(64) NOT NULL,"
                    + " bytes BYTEA NOT NULL, added BIGINT NOT NULL, PRIMARY KEY (name, sha256))",
            "CREATE TABLE IF NOT EXISTS commands (id VARCHAR(128) PRIMARY KEY, op VARCHAR(16) NOT NULL,"
                    + " target VARCHAR(128) NOT NULL, body BYTEA NOT NULL, issued BIGINT NOT NULL)",
            "CREATE TABLE IF NOT EXISTS deliveries (command VARCHAR(128) NOT NULL, device VARCHAR(64) NOT NULL,"
                    + " result VARCHAR(16) NOT NULL, reason VARCHAR(4096) NOT NULL, acked BIGINT NOT NULL,"
                    + " PRIMARY KEY (command, device))",
            "CREATE TABLE IF NOT EXISTS reports (device VARCHAR(64) NOT NULL, time_ BIGINT NOT NULL,"
                    + " body VARCHAR(1000000) NOT NULL)",
            // What a command sets (DesiredState.keyOf, hashed); NULL for reports, challenges and commands recorded
            // before the column was added. A later command with the same key on a device supersedes it there.
            "ALTER TABLE commands ADD COLUMN IF NOT EXISTS state_key VARCHAR(64)",
            "CREATE INDEX IF NOT EXISTS commands_state_key ON commands (state_key)",
            "CREATE INDEX IF NOT EXISTS deliveries_device ON deliveries (device)");

    private final Connection db;

    /**
     * @param url a JDBC URL
     * @param user its user, or "" for the driver's default (PostgreSQL: the URL's, else the system user's name)
     * @param password its password, or "" for the driver's default (PostgreSQL: the URL's, else ~/.pgpass)
     */
    Cib(String url, String user, String password) throws SQLException {
        this.db = Jdbc.open(url, user, password);
        try (Statement statement = db.createStatement()) {
            for (String table : SCHEMA) {
                statement.execute(url.startsWith("jdbc:h2:") ? table.replace("BYTEA", "VARBINARY(67108864)") : table);
            }
        }
    }

    synchronized void device(String id, List<String> groups) throws SQLException {
        update("DELETE FROM devices WHERE id = ?", id);
        update("INSERT INTO devices (id, groups_, status, seen) VALUES (?, ?, 'unknown', 0)", id,
                String.join(",", groups));
    }

    synchronized void status(String device, String status, long time) throws SQLException {
        update("UPDATE devices SET status = ?, seen = ? WHERE id = ?", status, time, device);
    }

    /** @return every device's id, groups, status and last time seen */
    synchronized List<Map<String, Object>> devices() throws SQLException {
        return query("SELECT id, groups_, status, seen FROM devices ORDER BY id");
    }

    /** @return the devices a target names: {@code device:ID}, {@code group:NAME} or {@code all} */
    synchronized List<String> devicesOf(String target) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> device : devices()) {
            String id = (String) device.get("ID");
            boolean member = List.of(((String) device.get("GROUPS_")).split(",")).contains(
                    target.startsWith("group:") ? target.substring(6) : "\0");
            if (target.equals("all") || target.equals("device:" + id) || member) {
                ids.add(id);
            }
        }
        return ids;
    }

    synchronized void jar(String name, String sha256, byte[] bytes) throws SQLException {
        if (query("SELECT name FROM jars WHERE name = ? AND sha256 = ?", name, sha256).isEmpty()) {
            update("INSERT INTO jars (name, sha256, bytes, added) VALUES (?, ?, ?, ?)", name, sha256, bytes,
                    after("jars", "added"));
        }
    }

    /** @return the newest bytes of a jar deployed under a name, or {@code null} */
    synchronized byte[] jarBytes(String name) throws SQLException {
        List<Map<String, Object>> rows = query("SELECT bytes FROM jars WHERE name = ? ORDER BY added DESC", name);
        return rows.isEmpty() ? null : (byte[]) rows.getFirst().get("BYTES");
    }

    /**
     * Records a command and a pending delivery for each of its devices; {@code stateKey} says what it sets (see
     * {@link #history}), or is {@code null} for a command that sets nothing. Its issue time is in milliseconds and later
     * than every command's before it, so commands issued within one millisecond keep their order.
     */
    synchronized void command(String id, String op, String target, byte[] body, List<String> devices,
            String stateKey) throws SQLException {
        update("INSERT INTO commands (id, op, target, body, issued, state_key) VALUES (?, ?, ?, ?, ?, ?)", id, op,
                target, body, after("commands", "issued"), stateKey);
        for (String device : devices) {
            update("INSERT INTO deliveries (command, device, result, reason, acked) VALUES (?, ?, 'pending', '', 0)",
                    id, device);
        }
    }

    /** @return a command's message, or {@code null} */
    synchronized byte[] commandBody(String id) throws SQLException {
        List<Map<String, Object>> rows = query("SELECT body FROM commands WHERE id = ?", id);
        return rows.isEmpty() ? null : (byte[]) rows.getFirst().get("BODY");
    }

    /** Records a device's answer; a device the command did not name (it joined the group later) is added. */
    synchronized void ack(String command, String device, String result, String reason, long time)
            throws SQLException {
        if (update("UPDATE deliveries SET result = ?, reason = ?, acked = ? WHERE command = ? AND device = ?",
                result, reason, time, command, device) == 0
                && !query("SELECT id FROM commands WHERE id = ?", command).isEmpty()) {
            update("INSERT INTO deliveries (command, device, result, reason, acked) VALUES (?, ?, ?, ?, ?)",
                    command, device, result, reason, time);
        }
    }

    /** @return the bodies of the commands a device has not answered yet, oldest first */
    synchronized List<byte[]> pending(String device) throws SQLException {
        List<byte[]> bodies = new ArrayList<>();
        for (Map<String, Object> row : query("SELECT c.body FROM commands c JOIN deliveries d ON d.command = c.id"
                + " WHERE d.device = ? AND d.result = 'pending' ORDER BY c.issued", device)) {
            bodies.add((byte[]) row.get("BODY"));
        }
        return bodies;
    }

    /** A command as it was issued: when, and its message. */
    record Issued(long issued, byte[] body) {
    }

    /**
     * @return the commands issued to a device that change its state (not reports or challenges), oldest first,
     *         without those a later command to the device with the same state key superseded; so the history is
     *         as long as the device's desired state, not as its whole past (commands recorded without a key are
     *         all in it)
     */
    synchronized List<Issued> history(String device) throws SQLException {
        List<Issued> history = new ArrayList<>();
        for (Map<String, Object> row : query("SELECT c.issued, c.body FROM commands c JOIN deliveries d"
                + " ON d.command = c.id WHERE d.device = ? AND c.op <> 'report' AND c.op <> 'challenge'"
                + " AND (c.state_key IS NULL OR NOT EXISTS (SELECT 1 FROM commands later JOIN deliveries dl"
                + " ON dl.command = later.id WHERE dl.device = d.device AND later.state_key = c.state_key"
                + " AND later.issued > c.issued)) ORDER BY c.issued", device)) {
            history.add(new Issued(((Number) row.get("ISSUED")).longValue(), (byte[]) row.get("BODY")));
        }
        return history;
    }

    /** @return every delivery of a command, or of all commands if {@code command} is null, newest first */
    synchronized List<Delivery> deliveries(String command) throws SQLException {
        List<Delivery> list = new ArrayList<>();
        String sql = "SELECT c.id, c.op, c.target, d.device, d.result, d.reason, c.issued, d.acked FROM commands c"
                + " JOIN deliveries d ON d.command = c.id" + (command == null ? "" : " WHERE c.id = ?")
                + " ORDER BY c.issued DESC, d.device";
        for (Map<String, Object> r : command == null ? query(sql) : query(sql, command)) {
            list.add(new Delivery((String) r.get("ID"), (String) r.get("OP"), (String) r.get("TARGET"),
                    (String) r.get("DEVICE"), (String) r.get("RESULT"), (String) r.get("REASON"),
                    ((Number) r.get("ISSUED")).longValue(), ((Number) r.get("ACKED")).longValue()));
        }
        return list;
    }

    synchronized void report(String device, long time, String body) throws SQLException {
        update("INSERT INTO reports (device, time_, body) VALUES (?, ?, ?)", device, time, body);
    }

    /** @return the latest report of a device, or {@code null} */
    synchronized String latestReport(String device) throws SQLException {
        List<Map<String, Object>> rows = query("SELECT body FROM reports WHERE device = ? ORDER BY time_ DESC",
                device);
        return rows.isEmpty() ? null : (String) rows.getFirst().get("BODY");
    }

    /** @return now in ms, or just after the latest time in a column: ordering by it is the order of insertion */
    private long after(String table, String column) throws SQLException {
        Object latest = query("SELECT MAX(" + column + ") AS latest FROM " + table).getFirst().get("LATEST");
        return Math.max(System.currentTimeMillis(), latest == null ? 0 : ((Number) latest).longValue() + 1);
    }

    private int update(String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = prepare(sql, values)) {
            return statement.executeUpdate();
        }
    }

    private List<Map<String, Object>> query(String sql, Object... values) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement statement = prepare(sql, values); ResultSet result = statement.executeQuery()) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(result.getMetaData().getColumnLabel(i).toUpperCase(java.util.Locale.ROOT),
                            result.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private PreparedStatement prepare(String sql, Object... values) throws SQLException {
        PreparedStatement statement = db.prepareStatement(sql);
        for (int i = 0; i < values.length; i++) {
            // PostgreSQL's text cannot hold NUL, which a device's reason may: the same replacement on every database
            statement.setObject(i + 1, values[i] instanceof String text ? text.replace('\0', '\uFFFD') : values[i]);
        }
        return statement;
    }

    @Override
    public synchronized void close() throws SQLException {
        db.close();
    }
}
