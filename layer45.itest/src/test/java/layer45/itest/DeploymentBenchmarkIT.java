package layer45.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

import layer45.agent.protocol.Ack;
import layer45.agent.protocol.BrokerTls;
import layer45.agent.protocol.Challenge;
import layer45.agent.protocol.Command;
import layer45.agent.protocol.Op;
import layer45.agent.protocol.Topics;
import layer45.orchestrator.Main;
import layer45.runtime.testing.ModuleSigning;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment benchmark ({@code ./layer45 bench deploy}, bench/deploy.sh; skipped in the normal build): the
 * orchestrator's command line deploys a signed jar to all of N simulated devices (10, 50, 100, 250 by default)
 * through a TLS broker, and the time from the command to the last device's ack recorded in the CIB is measured. A
 * simulated device is an MQTT session of its own (its own user, TLS connection and persistent session) that checks
 * the jar's SHA-256 and signature as the agent and the runtime do, and acknowledges; it loads nothing.
 */
class DeploymentBenchmarkIT {

    /** The sizes to measure, as "10,50,100,250"; the benchmark runs only when this property is set. */
    static final String SIZES = "layer45.bench.deploy";
    /** Where the table goes besides standard output. */
    static final String OUT = "layer45.bench.out";

    /** Deployments per size; the median is reported. */
    static final int ROUNDS = 3;

    private static final java.util.regex.Pattern ANSWERED = java.util.regex.Pattern.compile(
            "devices answered in (\\d+) ms");

    @TempDir
    Path work;

    @Test
    void deploymentTimeToManyDevices() throws Exception {
        String sizes = System.getProperty(SIZES);
        Assumptions.assumeTrue(sizes != null && !sizes.isBlank(), "the deployment benchmark runs with -D" + SIZES
                + "=10,50,100,250 (./layer45 bench deploy)");
        String missing = MqttBroker.missing();
        Assumptions.assumeTrue(missing == null, missing);
        List<Integer> counts = new ArrayList<>();
        for (String size : sizes.split(",")) {
            counts.add(Math.clamp(Integer.parseInt(size.trim()), 1, 1000));
        }
        int most = counts.stream().mapToInt(Integer::intValue).max().orElseThrow();
        ModuleSigning signer = ModuleSigning.generate(work, "operator");
        byte[] jar = signer.sign(Files.readAllBytes(OsgiFixture.bundleDirectory().resolve("echo-tag.jar")));
        Path jarFile = Files.write(work.resolve("echo-tag.jar"), jar);
        Map<String, String> users = new LinkedHashMap<>();
        users.put("orchestrator", "orchestrator-secret");
        for (int i = 1; i <= most; i++) {
            users.put(device(i), device(i) + "-secret");
        }
        StringBuilder table = new StringBuilder("""
                | devices | deploy (ms) | CLI run (ms) | per device (ms) | original (ms, ~30/device) |
                |--------:|------------:|-------------:|----------------:|--------------------------:|
                """);
        try (MqttBroker broker = new MqttBroker(users, Map.of())) {
            for (int count : counts) {
                List<SimulatedDevice> devices = new ArrayList<>();
                try {
                    List<String> options = broker.orchestratorOptions();
                    options.addAll(List.of("--db", "jdbc:h2:file:" + work.resolve("cib-" + count), "--client-id",
                            "bench-" + count, "--wait", "120"));
                    List<String> add = new ArrayList<>(List.of("device", "add"));
                    for (int i = 1; i <= count; i++) {
                        devices.add(new SimulatedDevice(broker, device(i), signer.certificate()));
                        add.add(device(i));
                    }
                    run(options, add.toArray(String[]::new));
                    List<Long> rounds = new ArrayList<>();
                    long total = 0;
                    for (int round = 0; round < ROUNDS; round++) {
                        long begun = System.nanoTime();
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        int status = run(options, out, "deploy", jarFile.toString(), "--all");
                        total = (System.nanoTime() - begun) / 1_000_000;
                        String text = out.toString(StandardCharsets.UTF_8);
                        assertEquals(count, text.lines().filter(l -> l.contains(" done ")).count(), text);
                        assertEquals(0, status, text);
                        java.util.regex.Matcher answered = ANSWERED.matcher(text);
                        assertEquals(true, answered.find(), text);
                        rounds.add(Long.parseLong(answered.group(1)));
                    }
                    long median = rounds.stream().sorted().toList().get(ROUNDS / 2);
                    table.append(String.format("| %7d | %11d | %12d | %15.1f | %25d |%n", count, median, total,
                            (double) median / count, count * 30));
                } finally {
                    for (SimulatedDevice device : devices) {
                        device.close();
                    }
                }
            }
        }
        System.out.println("\nDeployment of a signed " + jar.length + "-byte jar to N simulated devices (TLS, QoS 1,"
                + " one MQTT session per device, SHA-256 and signature checked):\n" + table);
        String file = System.getProperty(OUT);
        if (file != null && !file.isBlank()) {
            Files.writeString(Path.of(file), table);
        }
    }

    private static String device(int i) {
        return String.format("sim%03d", i);
    }

    private static int run(List<String> options, String... args) {
        return run(options, new ByteArrayOutputStream(), args);
    }

    private static int run(List<String> options, OutputStream out, String... args) {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of(args));
        return Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    }

    /** A device that checks an install as the agent does (SHA-256, then signature) and acknowledges it. */
    private static final class SimulatedDevice implements MqttCallback, AutoCloseable {
        private final MqttClient client;
        private final String id;
        private final X509Certificate trusted;

        SimulatedDevice(MqttBroker broker, String id, X509Certificate trusted) throws Exception {
            this.id = id;
            this.trusted = trusted;
            this.client = new MqttClient(broker.uri(), id, new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(false);
            options.setUserName(id);
            options.setPassword(broker.password(id).toCharArray());
            options.setSocketFactory(BrokerTls.socketFactory(broker.truststore(), MqttBroker.TRUST_PASSWORD));
            client.setCallback(this);
            client.connect(options);
            client.subscribe(new String[] { Topics.commands(id), Topics.ALL_COMMANDS }, new int[] { 1, 1 });
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            Command command = Command.decode(message.getPayload());
            if (command.op() != Op.INSTALL) {
                return;
            }
            byte[] bytes = command.bytes("bytes");
            boolean sound = Challenge.sha256(bytes).equals(command.text("sha256")) && signedByTrusted(bytes);
            Ack ack = new Ack(command.id(), id, command.op().text(), sound ? Ack.Result.DONE : Ack.Result.REFUSED,
                    sound ? "" : "bad checksum or signature", System.currentTimeMillis(), Map.of());
            client.publish(Topics.acks(id), ack.encode(), 1, false);
        }

        /** Every entry signed, by the trusted certificate (the runtime checks the same, and more). */
        private boolean signedByTrusted(byte[] bytes) throws Exception {
            try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(bytes), true)) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null;) {
                    in.transferTo(OutputStream.nullOutputStream());
                    if (e.isDirectory() || e.getName().startsWith("META-INF/")) {
                        continue;
                    }
                    CodeSigner[] signers = e.getCodeSigners();
                    if (signers == null || !signers[0].getSignerCertPath().getCertificates().getFirst().equals(trusted)) {
                        return false;
                    }
                }
                return true;
            } catch (SecurityException e) {
                return false;
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        @Override
        public void close() throws MqttException {
            client.disconnect(2000);
            client.close(true);
        }
    }
}
