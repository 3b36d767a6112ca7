package layer45.orchestrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import layer45.orchestrator.testing.PostgresServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The customization information base: targets, rollout status, pending commands, reports, on each database it
 * supports: H2 in memory, and PostgreSQL (a throwaway server, started by the first test that needs it).
 */
class CibTest {

    /** The databases the CIB runs on. */
    enum Database {
        H2, POSTGRESQL
    }

    /** A test run once on each {@link Database}, with a new, empty database. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ParameterizedTest(name = "on {0}")
    @EnumSource(Database.class)
    @interface OnEachDatabase {
    }

    private static PostgresServer postgres;

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** @return the URL of a new, empty database */
    private static String create(Database database, String name) throws Exception {
        return switch (database) {
            case H2 -> "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
            case POSTGRESQL -> {
                if (postgres == null) {
                    postgres = PostgresServer.start();
                }
                yield postgres.createDatabase(name);
            }
        };
    }

    private static Cib open(Database database, String url) throws Exception {
        return new Cib(url, database == Database.POSTGRESQL ? PostgresServer.USER : "", "");
    }

    private static Cib fresh(Database database, String name) throws Exception {
        return open(database, create(database, name));
    }

    @OnEachDatabase
    void aDevicesHistoryIsItsStateChangingCommandsInTheOrderIssued(Database database) throws Exception {
        try (Cib cib = fresh(database, "history")) {
            cib.device("d1", List.of("lab"));
            cib.device("d2", List.of("lab"));
            cib.command("i1", "install", "group:lab", bytes("i1"), List.of("d1", "d2"), null);
            cib.command("r1", "report", "group:lab", bytes("r1"), List.of("d1", "d2"), null);
            cib.command("c1", "challenge", "device:d1", bytes("c1"), List.of("d1"), null);
            cib.command("p1", "priority", "device:d1", bytes("p1"), List.of("d1"), null);
            cib.command("a1", "activate", "device:d2", bytes("a1"), List.of("d2"), null);
            List<Cib.Issued> history = cib.history("d1");
            assertEquals(List.of("i1", "p1"), bodies(history),
                    "no reports or challenges, no other device's commands, oldest first");
            assertEquals(true, history.get(0).issued() < history.get(1).issued(), "issue times increase");
            assertEquals(List.of(), cib.history("d9"));
        }
    }

    @OnEachDatabase
    void aDevicesHistoryLeavesOutWhatALaterCommandToItSuperseded(Database database) throws Exception {
        try (Cib cib = fresh(database, "superseded")) {
            cib.device("d1", List.of("lab"));
            cib.device("d2", List.of("lab"));
            cib.command("g1", "install", "group:lab", bytes("g1"), List.of("d1", "d2"), "jar tag");
            cib.command("p1", "priority", "device:d1", bytes("p1"), List.of("d1"), "priority m");
            cib.command("x1", "deactivate", "device:d1", bytes("x1"), List.of("d1"), "active m");
            cib.command("g2", "install", "device:d1", bytes("g2"), List.of("d1"), "jar tag");
            cib.command("p2", "priority", "device:d1", bytes("p2"), List.of("d1"), "priority m");
            assertEquals(List.of("x1", "g2", "p2"), bodies(cib.history("d1")), "the newest per key, in order");
            assertEquals(List.of("g1"), bodies(cib.history("d2")), "a command to d1 supersedes nothing on d2");
        }
    }

    @OnEachDatabase
    void aCibFromBeforeStateKeysIsUpgradedAndItsCommandsStayInTheHistory(Database database) throws Exception {
        String url = create(database, "upgraded");
        try (Connection db = java.sql.DriverManager.getConnection(url, database == Database.POSTGRESQL
                ? PostgresServer.USER : "", ""); Statement old = db.createStatement()) {
            String bytes = database == Database.H2 ? "VARBINARY(1024)" : "BYTEA";
            old.execute("CREATE TABLE commands (id VARCHAR(128) PRIMARY KEY, op VARCHAR(16) NOT NULL, target"
                    + " VARCHAR(128) NOT NULL, body " + bytes + " NOT NULL, issued BIGINT NOT NULL)");
            old.execute("CREATE TABLE deliveries (command VARCHAR(128) NOT NULL, device VARCHAR(64) NOT NULL,"
                    + " result VARCHAR(16) NOT NULL, reason VARCHAR(4096) NOT NULL, acked BIGINT NOT NULL,"
                    + " PRIMARY KEY (command, device))");
            try (java.sql.PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO commands VALUES ('o1', 'priority', 'device:d1', ?, 1)")) {
                insert.setBytes(1, bytes("o1"));
                insert.execute();
            }
            old.execute("INSERT INTO deliveries VALUES ('o1', 'd1', 'done', '', 2)");
        }
        try (Cib cib = open(database, url)) {
            cib.command("n1", "priority", "device:d1", bytes("n1"), List.of("d1"), "priority m");
            assertEquals(List.of("o1", "n1"), bodies(cib.history("d1")),
                    "a command recorded without a key stays; the device's desired state compacts it");
        }
    }

    private static List<String> bodies(List<Cib.Issued> history) {
        return history.stream().map(i -> new String(i.body(), StandardCharsets.UTF_8)).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @OnEachDatabase
    void targetsNameADeviceAGroupOrAll(Database database) throws Exception {
        try (Cib cib = fresh(database, "targets")) {
            cib.device("d1", List.of("lab"));
            cib.device("d2", List.of("lab", "edge"));
            cib.device("d3", List.of());
            assertEquals(List.of("d1", "d2"), cib.devicesOf("group:lab"));
            assertEquals(List.of("d2"), cib.devicesOf("group:edge"));
            assertEquals(List.of("d3"), cib.devicesOf("device:d3"));
            assertEquals(List.of("d1", "d2", "d3"), cib.devicesOf("all"));
            assertEquals(List.of(), cib.devicesOf("device:nobody"));
        }
    }

    @OnEachDatabase
    void devicesAreListedWithTheirStatusUnderUpperCaseLabels(Database database) throws Exception {
        try (Cib cib = fresh(database, "listing")) {
            cib.device("d2", List.of());
            cib.device("d1", List.of("lab", "edge"));
            cib.device("d1", List.of("lab")); // registered again: replaced
            cib.status("d1", "online", 1_700_000_000_123L);
            assertEquals(List.of(Map.of("ID", "d1", "GROUPS_", "lab", "STATUS", "online", "SEEN", 1_700_000_000_123L),
                    Map.of("ID", "d2", "GROUPS_", "", "STATUS", "unknown", "SEEN", 0L)), cib.devices());
        }
    }

    @OnEachDatabase
    void aCommandIsPendingOnEachDeviceUntilItAnswers(Database database) throws Exception {
        try (Cib cib = fresh(database, "rollout")) {
            cib.device("d1", List.of("lab"));
            cib.device("d2", List.of("lab"));
            byte[] body = "{\"id\":\"c1\",\"op\":\"report\"}".getBytes(StandardCharsets.UTF_8);
            cib.command("c1", "report", "group:lab", body, cib.devicesOf("group:lab"), null);
            assertArrayEquals(body, cib.pending("d1").getFirst());
            cib.ack("c1", "d1", "done", "", 5);
            cib.ack("c1", "d9", "done", "", 6); // joined the group after the command: recorded too
            cib.ack("unknown", "d1", "done", "", 7); // not ours: ignored
            assertEquals(List.of(), cib.pending("d1"));
            assertEquals(1, cib.pending("d2").size());
            assertEquals(List.of("d1 done", "d2 pending", "d9 done"), cib.deliveries("c1").stream()
                    .map(d -> d.device() + " " + d.result()).toList());
            assertEquals(List.of("c1"), cib.deliveries(null).stream().map(Cib.Delivery::command).distinct().toList(),
                    "the unknown command's ack left nothing");
            assertNull(cib.latestReport("d1"));
            cib.report("d1", 1, "{\"old\":1}");
            cib.report("d1", 2, "{\"new\":2}");
            assertEquals("{\"new\":2}", cib.latestReport("d1"));
        }
    }

    @OnEachDatabase
    void anAckFromADeviceNeverRegisteredIsRecordedWithItsReasonAndTime(Database database) throws Exception {
        try (Cib cib = fresh(database, "stranger")) {
            cib.device("d1", List.of());
            cib.command("install-1", "install", "all", new byte[] { 1 }, cib.devicesOf("all"), null);
            String reason = "its signature does not verify: \"échec\" \0 at byte 7"; // PostgreSQL text has no NUL
            cib.ack("install-1", "stranger", "refused", reason, 42);
            Cib.Delivery delivery = cib.deliveries("install-1").getLast();
            assertEquals(new Cib.Delivery("install-1", "install", "all", "stranger", "refused",
                    reason.replace('\0', '\uFFFD'), delivery.issued(), 42), delivery);
            assertEquals(List.of(), cib.pending("stranger"));
        }
    }

    @OnEachDatabase
    void pendingCommandsComeOldestFirstAndDeliveriesNewestFirst(Database database) throws Exception {
        try (Cib cib = fresh(database, "ordering")) {
            cib.device("d1", List.of());
            cib.device("d2", List.of());
            List<String> ids = List.of("c1", "c2", "c3", "c4", "c5");
            for (String id : ids) { // within the same millisecond, mostly
                cib.command(id, "report", "all", id.getBytes(StandardCharsets.US_ASCII), List.of("d2", "d1"), null);
            }
            cib.ack("c2", "d1", "done", "", 1);
            assertEquals(List.of("c1", "c3", "c4", "c5"), cib.pending("d1").stream()
                    .map(b -> new String(b, StandardCharsets.US_ASCII)).toList());
            assertEquals(List.of("c5 d1", "c5 d2", "c4 d1", "c4 d2", "c3 d1", "c3 d2", "c2 d1", "c2 d2", "c1 d1",
                    "c1 d2"), cib.deliveries(null).stream().map(d -> d.command() + " " + d.device()).toList());
        }
    }

    @OnEachDatabase
    void jarsAndCommandsKeepTheirBytesExactly(Database database) throws Exception {
        try (Cib cib = fresh(database, "bytes")) {
            byte[] jar = new byte[3 << 20];
            new SplittableRandom(45).nextBytes(jar);
            jar[0] = 0;
            jar[1] = (byte) 0xff;
            cib.jar("echo-tag", "sha-1", jar);
            cib.jar("echo-tag", "sha-1", jar); // the same again: kept once
            assertArrayEquals(jar, cib.jarBytes("echo-tag"));
            byte[] newer = { 0, 1, 2, (byte) 0x80, (byte) 0xff };
            cib.jar("echo-tag", "sha-2", newer);
            assertArrayEquals(newer, cib.jarBytes("echo-tag"), "the newest jar under a name");
            assertNull(cib.jarBytes("other"));

            byte[] body = new byte[5 << 20];
            new SplittableRandom(4).nextBytes(body);
            cib.device("d1", List.of());
            cib.command("install-big", "install", "device:d1", body, List.of("d1"), null);
            assertArrayEquals(body, cib.commandBody("install-big"));
            assertArrayEquals(body, cib.pending("d1").getFirst());
            assertNull(cib.commandBody("install-none"));
        }
    }

    @OnEachDatabase
    void aLargeReportComesBackWhole(Database database) throws Exception {
        try (Cib cib = fresh(database, "reports")) {
            StringBuilder modules = new StringBuilder("{\"modules\":[");
            while (modules.length() < 900_000) {
                modules.append("{\"name\":\"échange-").append(modules.length()).append("\",\"flows\":7},");
            }
            String report = modules.append("{}]}").toString();
            cib.report("d1", 10, report);
            cib.report("d2", 11, "{}");
            assertEquals(report, cib.latestReport("d1"));
        }
    }

    @OnEachDatabase
    void reopeningADatabaseKeepsWhatItHolds(Database database) throws Exception {
        String url = create(database, "reopened");
        try (Cib cib = open(database, url)) {
            cib.device("d1", List.of("lab"));
            cib.jar("echo-tag", "sha", new byte[] { 4, 5 });
            cib.command("c1", "install", "group:lab", new byte[] { 6 }, cib.devicesOf("group:lab"), null);
            cib.report("d1", 3, "{\"r\":3}");
        }
        try (Cib cib = open(database, url)) { // the schema is there: created only when missing
            assertEquals(List.of("d1"), cib.devicesOf("group:lab"));
            assertArrayEquals(new byte[] { 4, 5 }, cib.jarBytes("echo-tag"));
            assertArrayEquals(new byte[] { 6 }, cib.pending("d1").getFirst());
            assertEquals("{\"r\":3}", cib.latestReport("d1"));
            cib.command("c2", "report", "all", new byte[] { 7 }, cib.devicesOf("all"), null);
            assertEquals(List.of("c2", "c1"), cib.deliveries(null).stream().map(Cib.Delivery::command).toList(),
                    "a command issued after reopening is the newest");
        }
    }

    @Test
    void theCommandLineExplainsItsUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.run(List.of(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        assertEquals(true, err.toString(StandardCharsets.UTF_8).startsWith("usage: layer45 orchestrate"));
        ByteArrayOutputStream noTarget = new ByteArrayOutputStream();
        assertEquals(2, Main.run(List.of("--db", "jdbc:h2:mem:cli", "revoke", "x", "--broker", "tcp://127.0.0.1:1"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(noTarget)));
    }
}
