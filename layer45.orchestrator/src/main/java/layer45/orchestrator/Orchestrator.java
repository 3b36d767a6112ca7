package layer45.orchestrator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import layer45.agent.protocol.Ack;
import layer45.agent.protocol.BrokerTls;
import layer45.agent.protocol.Challenge;
import layer45.agent.protocol.Command;
import layer45.agent.protocol.DesiredState;
import layer45.agent.protocol.Json;
import layer45.agent.protocol.MalformedMessage;
import layer45.agent.protocol.Op;
import layer45.agent.protocol.Topics;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The orchestrator's side of the control plane (the original's NCO): issues commands to one device, a group or
 * all, records them and every device's ack in the {@link Cib}, checks challenge responses (a failed one revokes
 * the jar on that device at once, as the original does), keeps the devices' reports, and sends a device that comes
 * online the commands it has not answered yet. After each command that changes devices it publishes each one's
 * {@link DesiredState}, retained, so a device catches up even when no orchestrator is running.
 */
final class Orchestrator implements MqttCallbackExtended, AutoCloseable {

    /**
     * How to reach the broker.
     *
     * @param broker ssl://HOST:PORT or tcp://HOST:PORT
     * @param user the orchestrator's MQTT user (its ACL allows every layer45 topic)
     * @param password its password
     * @param truststore the broker CA's trust store (PKCS12), or {@code null} for tcp://
     * @param truststorePassword its password
     * @param clientId the MQTT client id; its persistent session keeps acks that arrive while the tool is not running
     */
    record Settings(String broker, String user, String password, Path truststore, String truststorePassword,
            String clientId) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Cib cib;
    /** Asynchronous, so the desired states of many devices are pipelined rather than one round trip each. */
    private final MqttAsyncClient client;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private final ExecutorService resender = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("layer45-orchestrator-resend").factory());
    private final AtomicLong malformed = new AtomicLong();

    Orchestrator(Cib cib, Settings settings) throws MqttException, IOException, GeneralSecurityException {
        this.cib = cib;
        this.client = new MqttAsyncClient(settings.broker(), settings.clientId(), new MemoryPersistence());
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setConnectionTimeout(10);
        options.setMaxInflight(1000);
        options.setUserName(settings.user());
        options.setPassword(settings.password().toCharArray());
        if (settings.truststore() != null) {
            options.setSocketFactory(BrokerTls.socketFactory(settings.truststore(), settings.truststorePassword()));
        }
        client.setCallback(this);
    }

    /** Connects and subscribes to every device's acks, reports and status. */
    void connect() throws MqttException {
        client.connect(options).waitForCompletion(WAIT_MILLIS);
        subscribe();
    }

    private void subscribe() throws MqttException {
        List<String> filters = Topics.fromDevices();
        int[] qos = new int[filters.size()];
        java.util.Arrays.fill(qos, 1);
        client.subscribe(filters.toArray(String[]::new), qos).waitForCompletion(WAIT_MILLIS);
    }

    /**
     * Issues a command.
     *
     * @param op what to do
     * @param target {@code device:ID}, {@code group:NAME} or {@code all}
     * @param fields the command's fields
     * @return the command's id
     */
    String issue(Op op, String target, Object... fields) throws SQLException, MqttException {
        String id = op.text() + "-" + UUID.randomUUID();
        Command command = Command.of(id, op, fields);
        List<String> devices = cib.devicesOf(target);
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no registered device is in '" + target + "'; register devices with"
                    + " 'device add ID [--group G]'");
        }
        byte[] body = command.encode();
        String key = DesiredState.keyOf(command);
        cib.command(id, op.text(), target, body, devices, key == null ? null : Challenge.sha256(
                key.getBytes(StandardCharsets.UTF_8)));
        Deliveries deliveries = new Deliveries();
        deliveries.add(client.publish(topicOf(target), body, 1, false));
        if (op != Op.REPORT && op != Op.CHALLENGE) {
            for (String device : devices) {
                deliveries.add(publishDesired(device));
            }
        }
        deliveries.await();
        return id;
    }

    /** Publishes a device's desired state, retained: what it should have applied, from the CIB. */
    private IMqttDeliveryToken publishDesired(String device) throws SQLException, MqttException {
        List<Cib.Issued> history = cib.history(device);
        List<Command> commands = new ArrayList<>(history.size());
        for (Cib.Issued issued : history) {
            try {
                commands.add(Command.decode(issued.body()));
            } catch (MalformedMessage e) {
                throw new IllegalStateException("the CIB holds a command that is not one: " + e.getMessage(), e);
            }
        }
        long version = history.isEmpty() ? 0 : history.getLast().issued();
        return client.publish(Topics.desired(device), DesiredState.of(device, version, commands).encode(), 1, true);
    }

    /** How long one step with the broker (connect, subscribe, a publish acknowledged) may take. */
    private static final long WAIT_MILLIS = 30_000;

    /** Publishes in flight, waited for together, and at most {@value #WINDOW} at once (Paho's in-flight limit). */
    private static final class Deliveries {
        private static final int WINDOW = 500;
        private final java.util.ArrayDeque<IMqttDeliveryToken> tokens = new java.util.ArrayDeque<>();

        void add(IMqttDeliveryToken token) throws MqttException {
            tokens.add(token);
            if (tokens.size() >= WINDOW) {
                tokens.poll().waitForCompletion(WAIT_MILLIS);
            }
        }

        void await() throws MqttException {
            for (IMqttDeliveryToken token; (token = tokens.poll()) != null; ) {
                token.waitForCompletion(WAIT_MILLIS);
            }
        }
    }

    private static String topicOf(String target) {
        if (target.equals("all")) {
            return Topics.ALL_COMMANDS;
        }
        if (target.startsWith("group:")) {
            return Topics.groupCommands(target.substring(6));
        }
        if (target.startsWith("device:")) {
            return Topics.commands(target.substring(7));
        }
        throw new IllegalArgumentException("a target is --device ID, --group NAME or --all, not '" + target + "'");
    }

    /**
     * Deploys a jar: records its bytes (for challenges) and sends it.
     *
     * @param name the jar's name on the devices
     * @param bytes the jar (signed, if the devices require it)
     * @param target who gets it
     * @param params parameters for its modules
     * @return the command's id
     */
    String deploy(String name, byte[] bytes, String target, Map<String, String> params) throws SQLException,
            MqttException {
        if (!Topics.validName(name)) {
            throw new IllegalArgumentException("the jar name '" + name + "' is not 1 to 64 letters, digits, '.', '_'"
                    + " or '-'; give another with --name");
        }
        String sha256 = Challenge.sha256(bytes);
        cib.jar(name, sha256, bytes);
        return issue(Op.INSTALL, target, "jar", name, "sha256", sha256, "bytes",
                Base64.getEncoder().encodeToString(bytes), "params", new LinkedHashMap<>(params));
    }

    /**
     * Challenges the devices to prove they run the jar deployed under a name.
     *
     * @return the command's id
     */
    String challenge(String name, String target) throws SQLException, MqttException {
        if (cib.jarBytes(name) == null) {
            throw new IllegalArgumentException("no jar named '" + name + "' was deployed from this CIB");
        }
        byte[] nonce = new byte[Challenge.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return issue(Op.CHALLENGE, target, "jar", name, "nonce", HexFormat.of().formatHex(nonce));
    }

    /**
     * Waits until every device a command went to has answered, or the time is over.
     *
     * @return each device's delivery
     */
    List<Cib.Delivery> await(String command, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Cib.Delivery> deliveries = cib.deliveries(command);
            boolean done = deliveries.stream().noneMatch(d -> d.result().equals("pending"));
            if (done || System.nanoTime() > deadline) {
                return deliveries;
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        String device = Topics.deviceOf(topic);
        try {
            if (topic.equals(Topics.acks(device))) {
                acknowledged(Ack.decode(message.getPayload()));
            } else if (topic.equals(Topics.reports(device))) {
                Object report = Json.parse(new String(message.getPayload(), StandardCharsets.UTF_8));
                long time = report instanceof Map<?, ?> map && map.get("time") instanceof Long t ? t : 0;
                cib.report(device, time, Json.write(report));
            } else if (topic.equals(Topics.status(device))) {
                String status = new String(message.getPayload(), StandardCharsets.UTF_8);
                cib.status(device, status.equals("online") ? "online" : "offline", System.currentTimeMillis());
                if (status.equals("online")) {
                    resender.execute(() -> resendPending(device));
                }
            }
        } catch (MalformedMessage e) {
            malformed.incrementAndGet();
            System.err.println("layer45 orchestrator: refused a message on " + topic + ": " + e.getMessage());
        } catch (SQLException e) {
            System.err.println("layer45 orchestrator: cannot record a message on " + topic + ": " + e.getMessage());
        }
    }

    private void acknowledged(Ack ack) throws SQLException {
        String result = ack.result().name().toLowerCase(java.util.Locale.ROOT);
        String reason = ack.reason();
        Command challenge = ack.op().equals(Op.CHALLENGE.text()) && ack.result() == Ack.Result.DONE
                ? issued(ack.id()) : null;
        if (challenge != null) {
            String jar = String.valueOf(challenge.fields().get("jar"));
            byte[] bytes = cib.jarBytes(jar);
            byte[] nonce = HexFormat.of().parseHex(String.valueOf(challenge.fields().get("nonce")));
            boolean passed = bytes != null && Challenge.response(nonce, bytes).equals(ack.details().get("response"));
            result = passed ? "passed" : "failed";
            reason = passed ? "" : "the response does not match the jar deployed: revoking it on " + ack.device();
            if (!passed) {
                String revokeTarget = "device:" + ack.device();
                resender.execute(() -> {
                    try {
                        issue(Op.REVOKE, revokeTarget, "jar", jar);
                    } catch (SQLException | MqttException | RuntimeException e) {
                        System.err.println("layer45 orchestrator: cannot revoke " + jar + ": " + e.getMessage());
                    }
                });
            }
        }
        if (ack.details().get("report") instanceof Map<?, ?> report) {
            cib.report(ack.device(), ack.time(), Json.write(report));
        }
        cib.ack(ack.id(), ack.device(), result, reason, ack.time());
    }

    /** @return a command this orchestrator issued, or {@code null} */
    private Command issued(String id) throws SQLException {
        byte[] body = cib.commandBody(id);
        try {
            return body == null ? null : Command.decode(body);
        } catch (MalformedMessage e) {
            return null;
        }
    }

    private void resendPending(String device) {
        try {
            Deliveries deliveries = new Deliveries();
            for (byte[] body : cib.pending(device)) {
                deliveries.add(client.publish(Topics.commands(device), body, 1, false));
            }
            deliveries.await();
        } catch (SQLException | MqttException e) {
            System.err.println("layer45 orchestrator: cannot resend to " + device + ": " + e.getMessage());
        }
    }

    /** @return messages from devices that could not be read */
    long malformed() {
        return malformed.get();
    }

    /** @return whether the client is connected to the broker now */
    boolean connected() {
        return client.isConnected();
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        // The persistent session keeps the subscription, unless the broker lost its sessions (a restart without
        // persistence): subscribe again after a reconnect, off Paho's thread; that also brings the devices'
        // retained status, so pending commands go to the devices online.
        if (reconnect) {
            resender.execute(() -> {
                try {
                    subscribe();
                } catch (MqttException e) {
                    System.err.println("layer45 orchestrator: cannot subscribe again after reconnecting: " + e);
                }
            });
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        System.err.println("layer45 orchestrator: lost the broker (" + cause + "); reconnecting");
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // commands are recorded as pending until their acks arrive
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(2000).waitForCompletion(WAIT_MILLIS); // no message arrives after this
        }
        // Not shutdownNow: an interrupt inside H2's file I/O closes its file channel and loses what the task wrote
        resender.shutdown();
        try {
            resender.awaitTermination(WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close(true);
    }
}
