package layer45.agent.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import layer45.agent.protocol.BrokerTls;
import layer45.agent.protocol.Command;
import layer45.agent.protocol.DesiredState;
import layer45.agent.protocol.MalformedMessage;
import layer45.agent.protocol.Topics;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The agent's MQTT session: a persistent session (clean session off) under the device's id, so QoS 1 commands
 * published while it was away wait at the broker; its own, its groups' and everyone's command topics; "online" /
 * "offline" (last will) on its status topic, retained; and its retained desired state, which brings it up to date
 * when it comes back without its session. A command is acknowledged to the broker only after it was applied and its
 * ack published, so a command the device did not finish comes again.
 */
final class MqttLink implements MqttCallbackExtended, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("layer45.agent");

    private final MqttClient client;
    private final MqttConnectOptions options;
    private final String device;
    private final List<String> subscriptions;
    private final DeviceAgent agent;
    /** Commands wait here to be applied one at a time, in order; bounded (unacknowledged ones come again). */
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256), Thread.ofPlatform().daemon().name("layer45-agent").factory());
    private final AtomicLong malformed = new AtomicLong();

    MqttLink(AgentSettings settings, DeviceAgent agent) throws MqttException, IOException, GeneralSecurityException {
        this.device = settings.device();
        this.agent = agent;
        this.subscriptions = settings.subscriptions();
        this.client = new MqttClient(settings.broker(), device, new MemoryPersistence());
        this.options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        options.setMaxInflight(64);
        options.setUserName(device);
        if (!settings.password().isEmpty()) {
            options.setPassword(settings.password().toCharArray());
        }
        if (settings.truststore() != null) {
            options.setSocketFactory(BrokerTls.socketFactory(settings.truststore(), settings.truststorePassword()));
        }
        options.setWill(Topics.status(device), "offline".getBytes(StandardCharsets.UTF_8), 1, true);
        client.setManualAcks(true);
        client.setCallback(this);
    }

    /** Connects in the background, retrying until it gets through. */
    void start() {
        worker.execute(this::connect);
    }

    private void connect() {
        for (int attempt = 0; !client.isConnected(); attempt++) {
            try {
                client.connect(options);
                return; // connectComplete subscribes
            } catch (MqttException e) {
                if (attempt % 10 == 0) {
                    LOG.log(Level.WARNING, "layer45 agent {0}: cannot connect to the broker {1}: {2}; retrying",
                            device, client.getServerURI(), e.getMessage());
                }
                try {
                    Thread.sleep(Math.min(5000, 200L << Math.min(attempt, 5)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
        try {
            for (String topic : subscriptions) {
                client.subscribe(topic, 1);
            }
            client.publish(Topics.status(device), "online".getBytes(StandardCharsets.UTF_8), 1, true);
            LOG.log(Level.INFO, "layer45 agent {0}: connected to {1}, listening on {2}", device, serverURI,
                    subscriptions);
            worker.execute(this::publishReport);
        } catch (MqttException | RejectedExecutionException e) {
            LOG.log(Level.WARNING, "layer45 agent {0}: connected, but cannot subscribe: {1}", device,
                    e.getMessage());
        }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        // Paho's callback thread: hand over; the broker hears the ack when the command is done
        try {
            worker.execute(() -> handle(topic, message));
        } catch (RejectedExecutionException e) {
            LOG.log(Level.WARNING, "layer45 agent {0}: {1} commands wait already; this one comes again at the next"
                    + " connection", device, worker.getQueue().size());
        }
    }

    private void handle(String topic, MqttMessage message) {
        List<byte[]> acks;
        boolean desired = topic.equals(Topics.desired(device));
        try {
            acks = desired ? agent.converge(DesiredState.decode(message.getPayload()))
                    : List.of(agent.apply(Command.decode(message.getPayload())));
        } catch (MalformedMessage e) {
            long count = malformed.incrementAndGet();
            LOG.log(Level.WARNING, "layer45 agent {0}: refused a message on {1} that is not a {2} ({3} so far): {4}",
                    device, topic, desired ? "desired state" : "command", count, e.getMessage());
            acks = List.of(agent.malformed(e.getMessage()));
        }
        try {
            for (byte[] ack : acks) {
                client.publish(Topics.acks(device), ack, 1, false);
            }
            if (desired && !acks.isEmpty()) {
                LOG.log(Level.INFO, "layer45 agent {0}: caught up with its desired state: {1} commands applied",
                        device, acks.size());
                publishReport();
            }
            client.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException e) {
            LOG.log(Level.WARNING, "layer45 agent {0}: cannot acknowledge a command ({1}); it comes again", device,
                    e.getMessage());
        }
    }

    /** Publishes the report now (retained: the orchestrator sees the latest even if it was away). */
    void publishReport() {
        try {
            byte[] report = layer45.agent.protocol.Json.write(agent.report()).getBytes(StandardCharsets.UTF_8);
            client.publish(Topics.reports(device), report, 1, true);
        } catch (MqttException | RuntimeException e) {
            LOG.log(Level.WARNING, "layer45 agent {0}: cannot publish its report: {1}", device, e.getMessage());
        }
    }

    /** @param task run on the agent's thread, after the commands before it */
    void submit(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            // busy: the next period will do
        }
    }

    /** @return messages that were not commands, since start */
    long malformed() {
        return malformed.get();
    }

    @Override
    public void connectionLost(Throwable cause) {
        LOG.log(Level.WARNING, "layer45 agent {0}: lost the broker ({1}); reconnecting", device, cause);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
        // acks and reports are fire-and-forget at QoS 1: Paho retries them
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            if (client.isConnected()) {
                client.publish(Topics.status(device), "offline".getBytes(StandardCharsets.UTF_8), 1, true);
                client.disconnect(2000);
            }
        } catch (MqttException e) {
            LOG.log(Level.DEBUG, "layer45 agent: disconnect: {0}", e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.log(Level.DEBUG, "layer45 agent: close: {0}", e.getMessage());
        }
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
