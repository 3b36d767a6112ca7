package layer45.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto broker for one test class, on a free loopback port, with TLS (a CA and a server certificate that
 * openssl generates into a temporary folder), a password per user, and the control plane's ACL: a device (user =
 * device id) reads only its own, its groups' and everyone's commands and writes only its own acks, reports and
 * status; the orchestrator reads and writes every layer45 topic. {@link #close()} stops it (this process's child,
 * by its PID) and deletes the folder.
 */
final class MqttBroker implements AutoCloseable {

    /* Runs as the test's user ("user" below): as root, mosquitto would otherwise switch to the user mosquitto,
       which cannot read the test's private folder. */

    /** Where Debian installs it. */
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    /** The trust store password. */
    static final String TRUST_PASSWORD = "broker-ca";

    private final Path folder;
    private final Process process;
    private final int port;
    private final Map<String, String> passwords;

    /** @return why brokers cannot run here, or {@code null} if they can */
    static String missing() {
        if (!Files.isExecutable(MOSQUITTO) || !Files.isExecutable(Path.of("/usr/bin/mosquitto_passwd"))) {
            return "mosquitto is not installed (apt-get install mosquitto; ./layer45 deps installs it without"
                    + " starting its service)";
        }
        if (!Files.isExecutable(Path.of("/usr/bin/openssl"))) {
            return "openssl is not installed";
        }
        return null;
    }

    /**
     * Starts a broker.
     *
     * @param users user name to password; a user named "orchestrator" may use every topic
     * @param groups device to its groups, whose command topics it may read
     */
    MqttBroker(Map<String, String> users, Map<String, List<String>> groups) throws IOException, InterruptedException {
        this.folder = Files.createTempDirectory("layer45-broker-");
        this.passwords = Map.copyOf(users);
        try {
            certificates();
            Path passwordFile = folder.resolve("passwords");
            StringBuilder plain = new StringBuilder();
            users.forEach((user, password) -> plain.append(user).append(':').append(password).append('\n'));
            Files.writeString(passwordFile, plain);
            exec(List.of("/usr/bin/mosquitto_passwd", "-U", passwordFile.toString())); // hashes them in place
            StringBuilder acl = new StringBuilder("""
                    user orchestrator
                    topic readwrite layer45/#

                    pattern read layer45/dev/%u/cmd
                    pattern read layer45/dev/%u/desired
                    pattern read layer45/all/cmd
                    pattern write layer45/dev/%u/ack
                    pattern write layer45/dev/%u/report
                    pattern write layer45/dev/%u/status
                    """);
            groups.forEach((device, names) -> {
                acl.append("\nuser ").append(device).append('\n');
                names.forEach(g -> acl.append("topic read layer45/group/").append(g).append("/cmd\n"));
            });
            Files.writeString(folder.resolve("acl"), acl);
            this.port = FreePorts.pick();
            Files.writeString(folder.resolve("mosquitto.conf"), """
                    per_listener_settings false
                    user %3$s
                    allow_anonymous false
                    password_file %1$s/passwords
                    acl_file %1$s/acl
                    persistence false
                    max_queued_messages 10000
                    log_dest file %1$s/mosquitto.log
                    log_type error
                    log_type warning
                    log_type notice
                    listener %2$d 127.0.0.1
                    cafile %1$s/ca.pem
                    certfile %1$s/server.pem
                    keyfile %1$s/server.key
                    tls_version tlsv1.3
                    """.formatted(folder, port, System.getProperty("user.name")));
            this.process = new ProcessBuilder(MOSQUITTO.toString(), "-c", folder.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(folder.resolve("stdout").toFile()).start();
            OsgiFixture.until("mosquitto to listen on 127.0.0.1:" + port, () -> {
                if (!process.isAlive()) {
                    throw new OsgiFixture.GiveUp("mosquitto stopped: " + log());
                }
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            OsgiFixture.delete(folder);
            throw e;
        }
    }

    private void certificates() throws IOException, InterruptedException {
        String dir = folder.toString();
        exec(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir + "/ca.key", "-out", dir + "/ca.pem", "-days", "1", "-subj", "/CN=layer45 test CA"));
        exec(List.of("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                dir + "/server.key", "-out", dir + "/server.csr", "-subj", "/CN=localhost"));
        Files.writeString(folder.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        exec(List.of("openssl", "x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.pem", "-CAkey",
                dir + "/ca.key", "-CAcreateserial", "-out", dir + "/server.pem", "-days", "1", "-extfile",
                dir + "/san.ext"));
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        exec(List.of(keytool.toString(), "-importcert", "-noprompt", "-alias", "ca", "-file", dir + "/ca.pem",
                "-keystore", dir + "/ca.p12", "-storetype", "PKCS12", "-storepass", TRUST_PASSWORD));
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(command.getFirst() + " failed: " + out);
        }
    }

    /** @return the broker's URI */
    String uri() {
        return "ssl://127.0.0.1:" + port;
    }

    /** @return the PKCS12 trust store with the broker's CA */
    Path truststore() {
        return folder.resolve("ca.p12");
    }

    /** @return a user's password */
    String password(String user) {
        return passwords.get(user);
    }

    /** @return the broker's log */
    String log() {
        try {
            Path log = folder.resolve("mosquitto.log");
            return (Files.exists(log) ? Files.readString(log) : "") + Files.readString(folder.resolve("stdout"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** @return the orchestrator's command-line options for this broker, with a CIB in the broker's folder */
    List<String> orchestratorOptions() {
        return new ArrayList<>(List.of("--db", "jdbc:h2:file:" + folder.resolve("cib"), "--broker", uri(), "--user",
                "orchestrator", "--password", password("orchestrator"), "--truststore", truststore().toString(),
                "--truststore-password", TRUST_PASSWORD, "--wait", "30"));
    }

    /**
     * @return the agent's configuration (PID layer45.agent; {@code agent.<key>} in conf/layer45.conf) that makes a
     *         runtime this device
     */
    java.util.Hashtable<String, Object> agentConfiguration(String device, List<String> groups) {
        java.util.Hashtable<String, Object> properties = new java.util.Hashtable<>();
        properties.put("broker", uri());
        properties.put("device", device);
        properties.put("password", password(device));
        properties.put("groups", String.join(",", groups));
        properties.put("truststore", truststore().toString());
        properties.put("truststore.password", TRUST_PASSWORD);
        properties.put("report.interval.s", "0");
        return properties;
    }

    /**
     * @param db the CIB's JDBC URL
     * @param clientId the orchestrator's MQTT client id (one per orchestrator: two with one id disconnect each other)
     * @return the runtime orchestrator's configuration (PID layer45.orchestrator; {@code orchestrator.<key>} in
     *         conf/layer45.conf) that connects it to this broker, waiting 20 s for acks
     */
    java.util.Hashtable<String, Object> orchestratorConfiguration(String db, String clientId) {
        java.util.Hashtable<String, Object> properties = new java.util.Hashtable<>();
        properties.put("db", db);
        properties.put("broker", uri());
        properties.put("password", password("orchestrator"));
        properties.put("truststore", truststore().toString());
        properties.put("truststore.password", TRUST_PASSWORD);
        properties.put("client.id", clientId);
        properties.put("wait.s", "20");
        return properties;
    }

    @Override
    public void close() {
        try {
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            OsgiFixture.delete(folder);
        }
    }
}
