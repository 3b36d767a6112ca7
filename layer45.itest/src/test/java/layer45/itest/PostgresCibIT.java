package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import layer45.agent.protocol.Challenge;
import layer45.api.runtime.ModuleState;
import layer45.orchestrator.Main;
import layer45.orchestrator.testing.PostgresServer;
import layer45.runtime.testing.ModuleSigning;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The orchestrator with its CIB in PostgreSQL, end to end: a throwaway PostgreSQL server, a real broker (Mosquitto,
 * TLS) and one runtime (a Felix framework requiring signed modules) whose agent is the device pgdev1. The
 * orchestrator's command line ({@code --db jdbc:postgresql://127.0.0.1:PORT/layer45 --db-user layer45}) registers
 * the device, deploys echo-tag to it and reads the rollout status and the device's report back; the test finds the
 * same in PostgreSQL's tables. Then a runtime's orchestrator component (its bundle with PostgreSQL's JDBC bundle, as
 * the runtime ships them) works on the same CIB beside the command line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresCibIT {

    private static final String DEVICE = "pgdev1";

    @TempDir
    static Path keys;

    private static PostgresServer postgres;
    private static MqttBroker broker;
    private static OsgiFixture device;
    private static Path signedJar;

    @BeforeAll
    static void start() throws Exception {
        String missing = MqttBroker.missing();
        Assumptions.assumeTrue(missing == null, missing); // as ControlPlaneIT
        postgres = PostgresServer.start(); // fails without PostgreSQL, saying to run scripts/deps.sh
        ModuleSigning signer = ModuleSigning.generate(keys, "operator");
        Path truststore = signer.trustIn(keys.resolve("modules.p12"));
        signedJar = keys.resolve("echo-tag.jar");
        Files.write(signedJar, signer.sign(Files.readAllBytes(OsgiFixture.bundleDirectory().resolve("echo-tag.jar"))));
        Map<String, String> users = new LinkedHashMap<>();
        users.put("orchestrator", "orchestrator-secret");
        users.put(DEVICE, DEVICE + "-secret");
        broker = new MqttBroker(users, Map.of(DEVICE, List.of("pg")));
        device = OsgiFixture.startWithoutModules(Map.of("layer45.modules.signature", "required",
                "layer45.modules.truststore", truststore.toString(),
                "layer45.modules.truststore.password", ModuleSigning.PASSWORD));
        device.installAndStart(OsgiFixture.bundleDirectory().resolve("org.eclipse.paho.client.mqttv3.jar"));
        device.installAndStart(OsgiFixture.bundleDirectory().resolve("layer45.agent.jar"));
        device.configurationAdmin().getConfiguration("layer45.agent", "?").update(broker.agentConfiguration(DEVICE,
                List.of("pg")));
        assertEquals("device " + DEVICE + " registered in [pg]\n", orchestrate(0, "device", "add", DEVICE, "--group",
                "pg"));
        OsgiFixture.until(DEVICE + " online", () -> orchestrate(0, "devices").lines()
                .anyMatch(line -> line.startsWith(DEVICE + " ") && line.split("\\s+")[2].equals("online")));
    }

    @AfterAll
    static void stop() {
        try {
            if (device != null) {
                device.close();
            }
        } finally {
            try {
                if (broker != null) {
                    broker.close();
                }
            } finally {
                if (postgres != null) {
                    postgres.close();
                }
            }
        }
    }

    @Test
    @Order(1)
    void aJarDeployedThroughAPostgresCibIsReportedLiveFromIt() throws Exception {
        String deployed = orchestrate(0, "deploy", signedJar.toString(), "--device", DEVICE);
        assertEquals(List.of("install", "device:" + DEVICE, DEVICE, "done"), resultOf(deployed, "install-"),
                deployed);
        assertEquals(ModuleState.LIVE, device.moduleOrNull(OsgiFixture.CLIENT).state);

        // status reads the CIB alone: no broker
        List<String> status = new ArrayList<>(List.of("--db", postgres.url(), "--db-user", PostgresServer.USER,
                "status"));
        assertEquals(List.of("install", "device:" + DEVICE, DEVICE, "done"), resultOf(run(0, status), "install-"));

        String sha256 = Challenge.sha256(Files.readAllBytes(signedJar));
        String reported = orchestrate(0, "report", "--device", DEVICE);
        String report = reported.lines().filter(line -> line.startsWith(DEVICE + ": ")).findFirst()
                .orElseThrow(() -> new AssertionError("no report of " + DEVICE + " in:\n" + reported))
                .substring(DEVICE.length() + 2);
        assertTrue(report.contains("\"name\":\"echo-tag-client\",\"jar\":\"echo-tag\",\"sha256\":\"" + sha256 + "\","
                + "\"state\":\"LIVE\"") && report.contains("\"signed\":true"), report);

        try (Connection db = postgres.connect()) {
            assertArrayEquals(Files.readAllBytes(signedJar), (byte[]) single(db,
                    "SELECT bytes FROM jars WHERE name = ? AND sha256 = ?", "echo-tag", sha256), "the jar, as a BYTEA");
            assertEquals("done", single(db, "SELECT d.result FROM deliveries d JOIN commands c ON c.id = d.command"
                    + " WHERE c.op = ? AND d.device = ?", "install", DEVICE));
            assertEquals(report, single(db, "SELECT body FROM reports WHERE device = ? ORDER BY time_ DESC LIMIT 1",
                    DEVICE));
        }
    }

    @Test
    @Order(2)
    void theRuntimesOrchestratorSharesThePostgresCibWithTheCommandLine() throws Exception {
        orchestrate(0, "deploy", signedJar.toString(), "--device", DEVICE); // the command line's, recorded in PostgreSQL
        try (OsgiFixture runtime = OsgiFixture.startWithoutModules(Map.of())) {
            for (String bundle : List.of("org.eclipse.paho.client.mqttv3", "layer45.agent", "postgresql",
                    "layer45.orchestrator")) {
                runtime.installAndStart(OsgiFixture.bundleDirectory().resolve(bundle + ".jar"));
            }
            Hashtable<String, Object> config = broker.orchestratorConfiguration(postgres.url(), "postgres-cib-it");
            config.put("db.user", PostgresServer.USER);
            runtime.configurationAdmin().getConfiguration("layer45.orchestrator", "?").update(config);
            try (GogoSession shell = new GogoSession(runtime.context())) {
                OsgiFixture.until("the runtime's orchestrator connected", () -> {
                    try {
                        return shell.execute("nco:info").text().contains(": connected");
                    } catch (Exception e) {
                        return false; // not registered yet
                    }
                });
                assertTrue(shell.run("nco:devices").lines().anyMatch(l -> l.startsWith(DEVICE + " ")),
                        "the device the command line registered");
                assertTrue(shell.run("nco:status").lines().anyMatch(l -> l.startsWith("install-")
                        && l.contains(DEVICE) && l.contains(" done ")), "the command line's deploy");
                String deactivated = shell.run("nco:deactivate " + OsgiFixture.CLIENT + " --device " + DEVICE);
                assertEquals(List.of("deactivate", "device:" + DEVICE, DEVICE, "done"), resultOf(deactivated,
                        "deactivate-"), deactivated);
                assertFalse(device.moduleOrNull(OsgiFixture.CLIENT).active);
            }
        }
        assertEquals(List.of("deactivate", "device:" + DEVICE, DEVICE, "done"), resultOf(run(0, new ArrayList<>(
                List.of("--db", postgres.url(), "--db-user", PostgresServer.USER, "status"))), "deactivate-"),
                "the runtime's command, seen by the command line");
        orchestrate(0, "activate", OsgiFixture.CLIENT, "--device", DEVICE);
    }

    /** @return the op, target, device and result of the command whose id starts with the prefix, from a table */
    private static List<String> resultOf(String table, String prefix) {
        return table.lines().filter(line -> line.startsWith(prefix)).map(line -> List.of(line.split("\\s+")))
                .map(columns -> columns.subList(1, 5)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " command in:\n" + table));
    }

    private static Object single(Connection db, String sql, String... values) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setString(i + 1, values[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                assertTrue(result.next(), "no row for " + sql);
                return result.getObject(1);
            }
        }
    }

    /** Runs the orchestrator with the broker and the CIB in PostgreSQL. @return what it printed */
    private static String orchestrate(int status, String... args) {
        List<String> all = broker.orchestratorOptions(); // its --db (H2) is replaced by the one after it
        all.addAll(List.of("--db", postgres.url(), "--db-user", PostgresServer.USER));
        all.addAll(List.of(args));
        return run(status, all);
    }

    private static String run(int status, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(status, exit, "layer45 orchestrate " + args + " printed:\n" + printed + err.toString(
                StandardCharsets.UTF_8));
        return printed;
    }
}
