package layer45.agent.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import layer45.agent.protocol.Topics;

/**
 * The agent's settings, checked.
 *
 * @param broker the broker URI
 * @param device this device's id
 * @param groups its groups
 * @param password its MQTT password, or ""
 * @param truststore the broker's CA trust store, or {@code null} for plain TCP
 * @param truststorePassword its password
 * @param reportSeconds seconds between periodic reports, 0 for none
 */
record AgentSettings(String broker, String device, List<String> groups, String password, Path truststore,
        String truststorePassword, long reportSeconds) {

    AgentSettings {
        List<String> problems = new ArrayList<>();
        if (broker == null || !(broker.startsWith("ssl://") || broker.startsWith("tcp://"))) {
            problems.add("agent.broker: '" + broker + "' is not ssl://HOST:PORT (or tcp://HOST:PORT)");
        }
        if (!Topics.validName(device)) {
            problems.add("agent.device: '" + device + "' is not 1 to 64 letters, digits, '.', '_' or '-'");
        }
        for (String group : groups) {
            if (!Topics.validName(group)) {
                problems.add("agent.groups: '" + group + "' is not 1 to 64 letters, digits, '.', '_' or '-'");
            }
        }
        if (broker != null && broker.startsWith("ssl://") && truststore == null) {
            problems.add("agent.truststore: an ssl:// broker needs the trust store with its CA certificate");
        }
        if (reportSeconds < 0 || reportSeconds > 86_400) {
            problems.add("agent.report.interval.s: " + reportSeconds + " is out of range (0-86400)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * @param config the component's configuration
     * @param home where relative paths are taken from
     * @return the settings
     * @throws IllegalArgumentException naming each setting that is wrong
     */
    static AgentSettings from(AgentConfig config, Path home) {
        List<String> groups = new ArrayList<>();
        for (String group : config.groups().split(",")) {
            if (!group.isBlank()) {
                groups.add(group.trim());
            }
        }
        String store = config.truststore().trim();
        return new AgentSettings(config.broker().trim(), config.device().trim(), List.copyOf(groups),
                config.password(), store.isEmpty() ? null : home.resolve(store).toAbsolutePath().normalize(),
                config.truststore_password(), config.report_interval_s());
    }

    /** @return the topics the device listens on: its desired state, and its own, its groups' and everyone's commands */
    List<String> subscriptions() {
        List<String> topics = new ArrayList<>();
        topics.add(Topics.desired(device));
        topics.add(Topics.commands(device));
        groups.forEach(group -> topics.add(Topics.groupCommands(group)));
        topics.add(Topics.ALL_COMMANDS);
        return topics;
    }
}
