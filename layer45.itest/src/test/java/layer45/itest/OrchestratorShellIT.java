package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * The orchestrator as a component of a runtime, driven from its shell ({@code nco:...}) as an operator would: a real
 * broker (Mosquitto, TLS, a password and ACL per device), two device runtimes whose agents are dev1 and dev2 (group
 * lab), and a third runtime with the orchestrator bundle, H2, Paho and Gogo, configured through Configuration
 * Admin. The orchestrator stays connected for the whole class: no command line is involved, so what a device does
 * while it is away and after it returns is recorded by the component alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrchestratorShellIT {

    /** Seconds between the orchestrator's periodic report requests. */
    private static final int REPORT_INTERVAL_S = 2;

    @TempDir
    static Path folder;

    private static MqttBroker broker;
    private static final Map<String, OsgiFixture> DEVICES = new LinkedHashMap<>();
    private static OsgiFixture orchestrator;
    private static GogoSession shell;

    @BeforeAll
    static void start() throws Exception {
        String missing = MqttBroker.missing();
        Assumptions.assumeTrue(missing == null, missing);
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("dev1", List.of("lab"));
        groups.put("dev2", List.of("lab"));
        Map<String, String> users = new LinkedHashMap<>();
        users.put("orchestrator", "orchestrator-secret");
        groups.keySet().forEach(device -> users.put(device, device + "-secret"));
        broker = new MqttBroker(users, groups);
        for (Map.Entry<String, List<String>> device : groups.entrySet()) {
            OsgiFixture osgi = OsgiFixture.startWithoutModules(Map.of());
            DEVICES.put(device.getKey(), osgi);
            osgi.installAndStart(OsgiFixture.bundleDirectory().resolve("org.eclipse.paho.client.mqttv3.jar"));
            osgi.installAndStart(OsgiFixture.bundleDirectory().resolve("layer45.agent.jar"));
            osgi.configurationAdmin().getConfiguration("layer45.agent", "?").update(broker.agentConfiguration(
                    device.getKey(), device.getValue()));
        }
        orchestrator = OsgiFixture.startWithoutModules(Map.of());
        for (String bundle : List.of("org.eclipse.paho.client.mqttv3", "layer45.agent", "h2",
                "layer45.orchestrator")) {
            orchestrator.installAndStart(OsgiFixture.bundleDirectory().resolve(bundle + ".jar"));
        }
        Hashtable<String, Object> config = broker.orchestratorConfiguration("jdbc:h2:file:" + folder.resolve("cib"),
                "orchestrator-shell-it");
        config.put("report.interval.s", String.valueOf(REPORT_INTERVAL_S));
        orchestrator.configurationAdmin().getConfiguration("layer45.orchestrator", "?").update(config);
        shell = new GogoSession(orchestrator.context());
        try {
            OsgiFixture.until("the orchestrator connected", () -> info().contains(": connected"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\ncomponents: " + components() + "\nbroker log:\n"
                    + broker.log(), e);
        }
    }

    @AfterAll
    static void stop() {
        if (shell != null) {
            shell.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
        DEVICES.values().forEach(OsgiFixture::close);
        if (broker != null) {
            broker.close();
        }
    }

    private static String info() {
        try {
            return shell.execute("nco:info").text();
        } catch (Exception e) {
            return "nco:info: " + e; // not registered yet
        }
    }

    private static String components() {
        return List.of(orchestrator.context().getBundles()).stream()
                .filter(b -> "layer45.orchestrator".equals(b.getSymbolicName()))
                .map(b -> b.getState() + " " + orchestrator.components(b)).findFirst().orElse("no bundle");
    }

    @Test
    @Order(1)
    void devicesRegisteredInTheShellAreSeenOnlineByTheStandingConnection() {
        assertEquals("device dev1 registered in [lab]\ndevice dev2 registered in [lab]",
                shell.run("nco:device add dev1 dev2 --group lab"));
        String devices = OsgiFixture.await("both devices online in nco:devices", () -> {
            String text = shell.run("nco:devices");
            return text.lines().filter(l -> l.contains(" online ")).count() == 2 ? text : null;
        });
        assertTrue(devices.lines().anyMatch(l -> l.startsWith("dev1 ") && l.contains(" lab ")), devices);
        assertTrue(info().contains("2 registered, 2 online"), info());
        String status = OsgiFixture.await("a periodic report request to all devices", () -> {
            String text = shell.run("nco:status");
            return rollout(text).stream().anyMatch(r -> r.get("Op").equals("report") && r.get("Target")
                    .equals("all") && r.get("Result").equals("done")) ? text : null;
        });
        assertTrue(status.startsWith("Command "), status);
    }

    @Test
    @Order(2)
    void aJarDeployedFromTheShellLoadsOnTheGroup() {
        shell.cd(OsgiFixture.bundleDirectory());
        String out = shell.run("nco:deploy echo-tag.jar --group lab layer45.priority=7");
        List<Map<String, String>> rows = rollout(out);
        assertEquals(List.of("dev1 done", "dev2 done"), rows.stream().map(r -> r.get("Device") + " " + r.get("Result"))
                .toList(), out);
        assertTrue(rows.stream().allMatch(r -> r.get("Op").equals("install") && r.get("Target").equals("group:lab")),
                out);
        assertTrue(out.lines().toList().getLast().matches("2 of 2 devices answered in \\d+ ms"), out);
        for (OsgiFixture device : DEVICES.values()) {
            device.awaitLive(OsgiFixture.CLIENT, OsgiFixture.SERVER);
            ModuleDTO client = device.moduleOrNull(OsgiFixture.CLIENT);
            assertEquals(7, client.priority, "parameters come with the install");
        }
        assertTrue(rollout(shell.run("nco:status")).stream().anyMatch(r -> r.get("Op").equals("install")
                && r.get("Device").equals("dev2") && r.get("Result").equals("done")));
    }

    @Test
    @Order(3)
    void reportsShowWhatRunsOnADevice() {
        String out = shell.run("nco:report --device dev1");
        assertTrue(rollout(out).stream().anyMatch(r -> r.get("Device").equals("dev1") && r.get("Result")
                .equals("done")), out);
        String report = out.lines().filter(l -> l.startsWith("dev1: ")).findFirst().orElseThrow(
                () -> new AssertionError("no report line in\n" + out));
        assertTrue(report.contains("\"name\":\"echo-tag-client\"") && report.contains("\"priority\":7"), report);
    }

    @Test
    @Order(4)
    void aDeviceAwayDuringACommandGetsItWhenItReturns() throws Exception {
        OsgiFixture dev2 = DEVICES.get("dev2");
        Bundle agent = List.of(dev2.context().getBundles()).stream()
                .filter(b -> "layer45.agent".equals(b.getSymbolicName())).findFirst().orElseThrow();
        agent.stop();
        OsgiFixture.until("dev2 offline in nco:devices", () -> shell.run("nco:devices").lines()
                .anyMatch(l -> l.startsWith("dev2 ") && l.contains(" offline ")));
        String out = shell.run("nco:deactivate echo-tag-client --group lab --wait 2");
        List<Map<String, String>> rows = rollout(out);
        assertEquals(List.of("dev1 done", "dev2 pending"), rows.stream().map(r -> r.get("Device") + " "
                + r.get("Result")).toList(), out);
        String command = rows.getFirst().get("Command");
        assertFalse(DEVICES.get("dev1").moduleOrNull(OsgiFixture.CLIENT).active);
        assertTrue(dev2.moduleOrNull(OsgiFixture.CLIENT).active, "dev2 did not get it yet");
        agent.start();
        OsgiFixture.until("dev2 deactivated echo-tag-client", () -> !dev2.moduleOrNull(OsgiFixture.CLIENT).active);
        String status = OsgiFixture.await("dev2's ack recorded by the running component", () -> {
            String text = shell.run("nco:status " + command);
            return rollout(text).stream().anyMatch(r -> r.get("Device").equals("dev2") && r.get("Result")
                    .equals("done")) ? text : null;
        });
        assertEquals(2, rollout(status).size(), status);
        assertTrue(shell.run("nco:devices").lines().anyMatch(l -> l.startsWith("dev2 ") && l.contains(" online ")));
    }

    @Test
    @Order(5)
    void aNameBothScopesHaveNeedsATargetHere() {
        Exception e = shell.fail("nco:activate echo-tag-client");
        assertTrue(e.getMessage().contains("for this runtime's own modules, type l45:activate"), e.getMessage());
        Exception wrong = shell.fail("nco:deploy no-such.jar --all");
        assertTrue(wrong.getMessage().contains("there is no jar at ") && wrong.getMessage().contains(
                "usage: nco:deploy JAR"), wrong.getMessage());
    }

    @Test
    @Order(6)
    void aJarRevokedFromTheShellIsUnloadedEverywhere() {
        String out = shell.run("nco:revoke echo-tag --all");
        assertEquals(List.of("dev1 done", "dev2 done"), rollout(out).stream().map(r -> r.get("Device") + " "
                + r.get("Result")).toList(), out);
        for (OsgiFixture device : DEVICES.values()) {
            OsgiFixture.until("echo-tag gone", () -> device.moduleOrNull(OsgiFixture.CLIENT) == null);
            assertNull(device.moduleOrNull(OsgiFixture.SERVER));
            assertFalse(Files.exists(device.autoload().resolve("echo-tag.jar")));
        }
        String report = shell.run("nco:report --device dev2");
        assertTrue(report.contains("\"revoked\":[{\"jar\":\"echo-tag\""), report);
    }

    @Test
    @Order(7)
    void theConfigurationFilesOrchestratorKeysGoToItsPidWithTheCibInTheStateFolder() throws Exception {
        Path conf = Files.writeString(folder.resolve("layer45.conf"), "state.dir = state\n"
                + "orchestrator.broker = tcp://127.0.0.1:1\norchestrator.report.interval.s = 60\n");
        try (OsgiFixture runtime = OsgiFixture.startWithoutModules(Map.of("layer45.config", conf.toString()))) {
            Path home = Path.of(runtime.context().getProperty("layer45.home"));
            Map<String, Object> handed = OsgiFixture.await("the orchestrator's configuration", () -> {
                try {
                    var found = runtime.configurationAdmin().listConfigurations("(service.pid=layer45.orchestrator)");
                    return found == null ? null : asMap(found[0].getProperties());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals("tcp://127.0.0.1:1", handed.get("broker"));
            assertEquals("60", handed.get("report.interval.s"));
            assertEquals("jdbc:h2:file:" + home.resolve("state/orchestrator/cib"), handed.get("db"));
        }
        try (OsgiFixture runtime = OsgiFixture.startWithoutModules(Map.of())) {
            assertNull(runtime.configurationAdmin().listConfigurations("(service.pid=layer45.orchestrator)"),
                    "without orchestrator.* keys, nothing is handed over");
        }
    }

    private static Map<String, Object> asMap(java.util.Dictionary<String, Object> dictionary) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : java.util.Collections.list(dictionary.keys())) {
            map.put(key, dictionary.get(key));
        }
        return map;
    }

    /**
     * Reads the rollout table (header Command, Op, Target, Device, Result, Reason, in fixed-width columns) and the
     * rows under it, up to the first line that is not a row.
     *
     * @param text what a command printed
     * @return each row's cells by column
     */
    static List<Map<String, String>> rollout(String text) {
        List<String> lines = text.lines().toList();
        int header = 0;
        while (header < lines.size() && !lines.get(header).startsWith("Command ")) {
            header++;
        }
        if (header == lines.size()) {
            throw new AssertionError("no rollout table in\n" + text);
        }
        List<String> titles = List.of("Command", "Op", "Target", "Device", "Result", "Reason");
        int[] starts = titles.stream().mapToInt(lines.get(header)::indexOf).toArray();
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(header + 1, lines.size())) {
            if (!isRow(line, starts)) {
                break; // the summary line, or the reports
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < titles.size(); i++) {
                int end = i + 1 < starts.length ? starts[i + 1] - 1 : line.length();
                row.put(titles.get(i), line.substring(starts[i], Math.min(end, line.length())).strip());
            }
            rows.add(row);
        }
        return rows;
    }

    private static boolean isRow(String line, int[] starts) {
        if (line.length() < starts[starts.length - 1]) {
            return false;
        }
        for (int i = 1; i < starts.length; i++) {
            if (line.charAt(starts[i] - 1) != ' ') {
                return false;
            }
        }
        return true;
    }
}
