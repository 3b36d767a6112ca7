package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import layer45.agent.protocol.Ack;
import layer45.agent.protocol.BrokerTls;
import layer45.agent.protocol.Command;
import layer45.agent.protocol.Json;
import layer45.agent.protocol.Op;
import layer45.agent.protocol.Topics;
import layer45.api.Transport;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.orchestrator.Main;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;
import layer45.runtime.testing.ModuleSigning;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
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
 * The control plane end to end, with a real broker (Mosquitto, TLS, a password and ACL per device) and three
 * runtimes (three Felix frameworks, each with its own autoload folder, storage and control socket) whose agents
 * are devices dev1 and dev2 (group lab) and dev3 (group edge); the orchestrator is driven through its command line.
 * The runtimes require signed modules; echo-tag is signed by a key the test generates.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneIT {

    @TempDir
    static Path keys;

    private static MqttBroker broker;
    private static final Map<String, OsgiFixture> DEVICES = new LinkedHashMap<>();
    private static ModuleSigning signer;
    private static Path signedJar;

    @BeforeAll
    static void start() throws Exception {
        String missing = MqttBroker.missing();
        Assumptions.assumeTrue(missing == null, missing);
        signer = ModuleSigning.generate(keys, "operator");
        signer.trustIn(keys.resolve("modules.p12"));
        signedJar = keys.resolve("echo-tag.jar");
        Files.write(signedJar, signer.sign(Files.readAllBytes(OsgiFixture.bundleDirectory().resolve("echo-tag.jar"))));
        Map<String, List<String>> groups = new LinkedHashMap<>();
        groups.put("dev1", List.of("lab"));
        groups.put("dev2", List.of("lab"));
        groups.put("dev3", List.of("edge"));
        Map<String, String> users = new LinkedHashMap<>();
        users.put("orchestrator", "orchestrator-secret");
        groups.keySet().forEach(device -> users.put(device, device + "-secret"));
        broker = new MqttBroker(users, groups);
        for (Map.Entry<String, List<String>> device : groups.entrySet()) {
            DEVICES.put(device.getKey(), startDevice(device.getKey(), device.getValue()));
            assertEquals(0, orchestrate("device", "add", device.getKey(), "--group", device.getValue().getFirst()));
        }
        try {
            OsgiFixture.until("every device online", () -> orchestrateOut("devices").lines()
                    .filter(line -> line.contains(" online ")).count() == 3);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\ndevices:\n" + orchestrateOut("devices") + "\nbroker log:\n"
                    + broker.log() + "\nagents: " + DEVICES.values().stream().map(ControlPlaneIT::agentState)
                    .toList(), e);
        }
    }

    /** @return a runtime that requires signed modules, with the agent of a device in groups */
    private static OsgiFixture startDevice(String device, List<String> groups) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("layer45.modules.signature", "required");
        properties.put("layer45.modules.truststore", keys.resolve("modules.p12").toString());
        properties.put("layer45.modules.truststore.password", ModuleSigning.PASSWORD);
        OsgiFixture osgi = OsgiFixture.startWithoutModules(properties);
        osgi.installAndStart(OsgiFixture.bundleDirectory().resolve("org.eclipse.paho.client.mqttv3.jar"));
        osgi.installAndStart(OsgiFixture.bundleDirectory().resolve("layer45.agent.jar"));
        osgi.configurationAdmin().getConfiguration("layer45.agent", "?").update(broker.agentConfiguration(device,
                groups));
        return osgi;
    }

    private static String agentState(OsgiFixture osgi) {
        return List.of(osgi.context().getBundles()).stream().filter(b -> "layer45.agent".equals(b.getSymbolicName()))
                .map(b -> b.getState() + " " + osgi.components(b)).findFirst().orElse("no agent bundle");
    }

    @AfterAll
    static void stop() {
        DEVICES.values().forEach(OsgiFixture::close);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void aJarDeployedToAGroupLoadsOnItsDevicesOnly() throws Exception {
        String out = orchestrateOut("deploy", signedJar.toString(), "--group", "lab", "layer45.priority=7");
        assertTrue(out.contains("dev1         done") && out.contains("dev2         done"), out);
        for (String device : List.of("dev1", "dev2")) {
            ModuleDTO client = DEVICES.get(device).moduleOrNull(OsgiFixture.CLIENT);
            assertEquals(ModuleState.LIVE, client.state, device);
            assertEquals(7, client.priority, "parameters come with the install");
        }
        assertNull(DEVICES.get("dev3").moduleOrNull(OsgiFixture.CLIENT), "dev3 is not in lab");
        String again = orchestrateOut("deploy", signedJar.toString(), "--group", "lab");
        assertTrue(again.contains("dev1         already"), "an install is idempotent: " + again);
    }

    @Test
    @Order(2)
    void modulesAreToggledDeprecatedAndReprioritizedIdempotently() throws Exception {
        assertEquals(0, orchestrate("deactivate", OsgiFixture.CLIENT, "--group", "lab"));
        assertFalse(DEVICES.get("dev1").moduleOrNull(OsgiFixture.CLIENT).active);
        assertFalse(DEVICES.get("dev2").moduleOrNull(OsgiFixture.CLIENT).active);
        assertTrue(orchestrateOut("deactivate", OsgiFixture.CLIENT, "--device", "dev1").contains("already"));
        assertEquals(0, orchestrate("activate", OsgiFixture.CLIENT, "--device", "dev2"));
        assertTrue(DEVICES.get("dev2").moduleOrNull(OsgiFixture.CLIENT).active);
        assertEquals(0, orchestrate("priority", OsgiFixture.SERVER, "3", "--device", "dev1"));
        assertEquals(3, DEVICES.get("dev1").moduleOrNull(OsgiFixture.SERVER).priority);
        assertEquals(0, orchestrate("deprecate", OsgiFixture.SERVER, "--device", "dev1"));
        assertEquals(ModuleState.DEPRECATED, DEVICES.get("dev1").moduleOrNull(OsgiFixture.SERVER).state);
        String report = orchestrateOut("report", "--device", "dev1");
        assertTrue(report.contains("\"deprecated\":[{\"name\":\"echo-tag-server\"") && report.contains(
                "\"signed\":true") && report.contains("\"tainted\":\"\""), report);
        String unknown = orchestrateOut("activate", "no-such-module", "--device", "dev1");
        assertTrue(unknown.contains("refused") && unknown.contains("no module named 'no-such-module'"), unknown);
    }

    @Test
    @Order(3)
    void devicesProveTheyRunTheJarDeployed() throws Exception {
        String out = orchestrateOut("challenge", "echo-tag", "--group", "lab");
        assertTrue(out.contains("dev1         passed") && out.contains("dev2         passed"), out);
    }

    @Test
    @Order(4)
    void reportsListTheOpenFlowsEachModuleIsAttachedTo() throws Exception {
        OsgiFixture dev2 = DEVICES.get("dev2");
        try (DriverFlow flow = dev2.driver().open(InMemoryFlowDriver.flow(Transport.TCP, "python3",
                "127.0.0.1:50000", "127.0.0.1:65432"))) {
            flow.send("hello".getBytes(StandardCharsets.US_ASCII));
            Map<?, ?> client = reported("dev2", "installed", OsgiFixture.CLIENT);
            assertEquals(1L, client.get("count"), client.toString());
            assertEquals(List.of("tcp 127.0.0.1:50000 127.0.0.1:65432 python3"), client.get("flows"));
            assertEquals(List.of(), reported("dev2", "installed", OsgiFixture.SERVER).get("flows"),
                    "the server module is not on a client's flow");
        }
        assertEquals(List.of(), reported("dev2", "installed", OsgiFixture.CLIENT).get("flows"), "the flow closed");
    }

    /** @return a device's report, asked for now */
    private static Map<?, ?> report(String device) throws Exception {
        String out = orchestrateOut("report", "--device", device);
        String line = out.lines().filter(l -> l.startsWith(device + ": {")).findFirst().orElseThrow(
                () -> new AssertionError("no report of " + device + ":\n" + out));
        return (Map<?, ?>) Json.parse(line.substring(device.length() + 2));
    }

    /** @return a module's entry in a device's report, asked for now, from a list (installed, deprecated) */
    private static Map<?, ?> reported(String device, String list, String module) throws Exception {
        Map<?, ?> report = report(device);
        return ((List<?>) report.get(list)).stream().map(Map.class::cast).filter(m -> module.equals(m.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError(module + " is not in " + list + ": " + report));
    }

    @Test
    @Order(5)
    void aDeviceOfflineDuringADeployCatchesUpWhenItReturns() throws Exception {
        OsgiFixture dev3 = DEVICES.get("dev3");
        Bundle agent = List.of(dev3.context().getBundles()).stream()
                .filter(b -> "layer45.agent".equals(b.getSymbolicName())).findFirst().orElseThrow();
        agent.stop();
        OsgiFixture.until("dev3 offline", () -> orchestrateOut("devices").lines()
                .anyMatch(line -> line.startsWith("dev3") && line.contains(" offline ")));
        List<String> args = new ArrayList<>(List.of("deploy", signedJar.toString(), "--device", "dev3"));
        args.addAll(List.of("--wait", "1"));
        String out = orchestrateOut(args.toArray(String[]::new));
        assertTrue(out.contains("dev3         pending"), out);
        agent.start();
        dev3.awaitLive(OsgiFixture.CLIENT, OsgiFixture.SERVER);
        String status = OsgiFixture.await("dev3's ack in the CIB", () -> {
            orchestrate("report", "--device", "dev3"); // connects: the acks queued for the orchestrator arrive
            String text = orchestrateOut("status");
            return text.lines().anyMatch(l -> l.startsWith("install-") && l.contains("dev3         done")) ? text : null;
        });
        assertFalse(status.lines().anyMatch(l -> l.contains("dev3         pending")), status);
    }

    @Test
    @Order(6)
    void aDeviceSetUpAgainCatchesUpFromItsDesiredStateWithNoOrchestratorRunning() throws Exception {
        DEVICES.remove("dev3").close(); // the machine goes away
        assertTrue(orchestrateOut("priority", OsgiFixture.CLIENT, "9", "--device", "dev3", "--wait", "1")
                .contains("dev3         pending"));
        forgetSession("dev3"); // and comes back re-imaged: no runtime state, no broker session, no queued commands
        OsgiFixture dev3 = startDevice("dev3", List.of("edge"));
        DEVICES.put("dev3", dev3);
        dev3.awaitLive(OsgiFixture.CLIENT, OsgiFixture.SERVER);
        OsgiFixture.until("the priority from the desired state", () -> dev3.moduleOrNull(OsgiFixture.CLIENT)
                .priority == 9);
        assertTrue(dev3.moduleOrNull(OsgiFixture.SERVER).active);
        String status = OsgiFixture.await("dev3's acks, queued for the orchestrator while it was not running", () -> {
            orchestrate("report", "--device", "dev3");
            String text = orchestrateOut("status");
            return text.lines().anyMatch(l -> l.startsWith("priority-") && l.contains("dev3         done")) ? text
                    : null;
        });
        assertFalse(status.lines().anyMatch(l -> l.contains("dev3         pending")), status);
        assertTrue((Long) report("dev3").get("desired") > 0, "the report names the desired state it converged to");
    }

    /** Ends a device's persistent session at the broker, with the commands queued in it. */
    private static void forgetSession(String device) throws Exception {
        new Listener(device, device, null).close(); // a clean session under its client id replaces the old one
    }

    @Test
    @Order(7)
    void aForgedOrTamperedJarIsRefusedAndAcknowledgedAsRefused() throws Exception {
        byte[] jar = Files.readAllBytes(signedJar);
        try (Listener orchestrator = new Listener("orchestrator", Topics.acks("dev1"))) {
            Command forged = Command.of("forged-1", Op.INSTALL, "jar", "forged", "sha256", "00".repeat(32), "bytes",
                    java.util.Base64.getEncoder().encodeToString(jar));
            orchestrator.client.publish(Topics.commands("dev1"), forged.encode(), 1, false);
            Ack ack = Ack.decode(orchestrator.next());
            assertEquals(Ack.Result.REFUSED, ack.result());
            assertTrue(ack.reason().contains("SHA-256") && ack.reason().contains("nothing was installed"), ack.reason());
        }
        Path tampered = keys.resolve("tampered.jar");
        Files.write(tampered, ModuleSigning.tamper(jar, "OSGI-INF/echo-tag-client.xml", "<x/>".getBytes()));
        String out = orchestrateOut("deploy", tampered.toString(), "--device", "dev2");
        assertTrue(out.contains("refused") && out.contains("its signature does not verify"), out);
        assertEquals(ModuleState.LIVE, DEVICES.get("dev2").moduleOrNull(OsgiFixture.CLIENT).state, "undisturbed");
    }

    @Test
    @Order(8)
    void aDeviceCannotReadAnotherDevicesCommands() throws Exception {
        try (Listener intruder = new Listener("dev2", null)) {
            boolean refused;
            try {
                intruder.client.subscribe(Topics.commands("dev1"), 1);
                refused = false;
            } catch (MqttException e) {
                refused = true; // Paho reports a SUBACK failure
            }
            try (Listener orchestrator = new Listener("orchestrator", null)) {
                orchestrator.client.publish(Topics.commands("dev1"), Command.of("report-x", Op.REPORT).encode(), 1,
                        false);
            }
            assertNull(intruder.messages.poll(1500, TimeUnit.MILLISECONDS), "dev2 hears nothing of dev1's commands"
                    + " (subscription refused: " + refused + ")");
            try {
                intruder.client.subscribe(Topics.desired("dev1"), 1);
            } catch (MqttException e) {
                // refused: as good
            }
            assertNull(intruder.messages.poll(1500, TimeUnit.MILLISECONDS), "dev2 cannot read dev1's retained desired"
                    + " state (which carries its jars)");
        }
    }

    @Test
    @Order(9)
    void aRevokedJarIsUnloadedEverywhere() throws Exception {
        String out = orchestrateOut("revoke", "echo-tag", "--all");
        assertTrue(out.contains("dev1         done") && out.contains("dev3         done"), out);
        for (OsgiFixture osgi : DEVICES.values()) {
            OsgiFixture.until("echo-tag gone", () -> osgi.moduleOrNull(OsgiFixture.CLIENT) == null);
            assertFalse(Files.exists(osgi.autoload().resolve("echo-tag.jar")));
        }
        String report = orchestrateOut("report", "--device", "dev1");
        assertTrue(report.contains("\"revoked\":[{\"jar\":\"echo-tag\""), report);
    }

    /** An MQTT client of the test's own, as one of the broker's users. */
    private static final class Listener implements AutoCloseable {
        final MqttClient client;
        final BlockingQueue<byte[]> messages = new ArrayBlockingQueue<>(100);

        Listener(String user, String topic) throws Exception {
            this(user, user + "-test-" + System.nanoTime(), topic);
        }

        Listener(String user, String clientId, String topic) throws Exception {
            client = new MqttClient(broker.uri(), clientId, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName(user);
            options.setPassword(broker.password(user).toCharArray());
            options.setSocketFactory(BrokerTls.socketFactory(broker.truststore(), MqttBroker.TRUST_PASSWORD));
            client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                public void connectionLost(Throwable cause) {
                }

                public void messageArrived(String t, org.eclipse.paho.client.mqttv3.MqttMessage m) {
                    messages.offer(m.getPayload());
                }

                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            client.connect(options);
            if (topic != null) {
                client.subscribe(topic, 1);
            }
        }

        byte[] next() throws InterruptedException {
            byte[] message = messages.poll(30, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within 30 s");
            }
            return message;
        }

        @Override
        public void close() throws MqttException {
            client.disconnect(2000);
            client.close(true);
        }
    }

    private static int orchestrate(String... args) {
        List<String> all = broker.orchestratorOptions();
        all.addAll(List.of(args));
        return Main.run(all, new PrintStream(new ByteArrayOutputStream()), System.err);
    }

    private static String orchestrateOut(String... args) {
        List<String> all = broker.orchestratorOptions();
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        return out.toString(StandardCharsets.UTF_8);
    }
}
