package layer45.runtime.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The runtime's configuration file ({@code conf/layer45.conf} in a source checkout), and command-line overrides.
 *
 * <p>The file is a Java properties file named by the property {@code layer45.config}; each key may be overridden
 * by a property {@code layer45.}<i>key</i> (which {@code ./layer45 start --set key=value} sets). Without a file,
 * every setting has its default. Configuration Admin ({@code layer45.runtime}) still wins over both, live.
 *
 * <p>Keys that start with {@value #NET_PREFIX} are the network stack's ({@code layer45.mnet}), and those that start
 * with {@value #MHOST_PREFIX} its host-identifier table's, and those that start with {@value #PEER_PREFIX} its peer
 * links'; {@value #AGENT_PREFIX} and {@value #ORCHESTRATOR_PREFIX} are the control plane's device agent's and
 * orchestrator's: they are not checked here but handed to their component, which checks them itself
 * ({@link #netValues()}, {@link #mhostValues()}, {@link #peerValues()}, {@link #agentValues()},
 * {@link #orchestratorValues()}).
 */
public final class ConfigFile {

    /** Property naming the configuration file. */
    public static final String CONFIG = "layer45.config";
    /** Property naming the folder relative paths are taken from (the checkout, or the daemon's home). */
    public static final String HOME = "layer45.home";
    /** Prefix of the properties that override single keys. */
    public static final String OVERRIDE_PREFIX = "layer45.";

    /** Prefix of the network stack's keys. */
    public static final String NET_PREFIX = "net.";
    /** Prefix of the host-identifier table's keys. */
    public static final String MHOST_PREFIX = "mhost.";
    /** Prefix of the peer links' keys, one per link: {@code peer.NAME = SPEC}. */
    public static final String PEER_PREFIX = "peer.";
    /** Prefix of the device agent's keys (layer45.agent; the agent is off without them). */
    public static final String AGENT_PREFIX = "agent.";
    /** Prefix of the orchestrator's keys (layer45.orchestrator; the orchestrator is off without them). */
    public static final String ORCHESTRATOR_PREFIX = "orchestrator.";
    /** The prefixes of the keys handed to other components as they are. */
    private static final List<String> HANDED_OVER = List.of(NET_PREFIX, MHOST_PREFIX, PEER_PREFIX, AGENT_PREFIX,
            ORCHESTRATOR_PREFIX);

    /** Every key the file may hold, besides the network stack's. */
    public static final List<String> KEYS;

    static {
        List<String> keys = new ArrayList<>(AutoloadSettings.KEYS);
        keys.addAll(RuntimeSettings.DEFAULTS.toMap().keySet());
        keys.addAll(ControlSettings.KEYS);
        keys.addAll(StateSettings.KEYS);
        keys.addAll(SigningSettings.KEYS);
        KEYS = List.copyOf(keys);
    }

    private final Map<String, Object> values;
    /** The handed-over keys by prefix, each without it. */
    private final Map<String, Map<String, Object>> handedOver;
    private final Path home;
    private final Path file;

    private ConfigFile(Map<String, Object> values, Map<String, Map<String, Object>> handedOver, Path home,
            Path file) {
        this.values = values;
        this.handedOver = handedOver;
        this.home = home;
        this.file = file;
    }

    /**
     * Reads the file and the overrides.
     *
     * @param property looks up a framework or system property ({@code BundleContext::getProperty})
     * @return the configuration
     * @throws IllegalArgumentException if the file cannot be read, or has a key this runtime does not know
     */
    public static ConfigFile load(UnaryOperator<String> property) {
        return load(property, System.getProperties().stringPropertyNames());
    }

    /**
     * Reads the file and the overrides.
     *
     * @param property looks up a framework or system property
     * @param propertyNames the names of the properties that may override handed-over keys
     *        ({@code layer45.net.}<i>key</i>, {@code layer45.mhost.}<i>key</i>)
     * @return the configuration
     * @throws IllegalArgumentException if the file cannot be read, or has a key this runtime does not know
     */
    public static ConfigFile load(UnaryOperator<String> property, java.util.Set<String> propertyNames) {
        String homeProperty = property.apply(HOME);
        Path home = Path.of(homeProperty == null || homeProperty.isBlank() ? "" : homeProperty).toAbsolutePath();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Map<String, Object>> handedOver = new LinkedHashMap<>();
        for (String prefix : HANDED_OVER) {
            handedOver.put(prefix, new LinkedHashMap<>());
        }
        String named = property.apply(CONFIG);
        Path file = null;
        if (named != null && !named.isBlank()) {
            file = home.resolve(named).toAbsolutePath().normalize();
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the configuration file " + file + " (" + CONFIG
                        + "): " + e.getMessage() + "; fix the path or start without it to get the defaults", e);
            }
            List<String> unknown = new ArrayList<>();
            for (String key : properties.stringPropertyNames()) {
                String prefix = handedOverPrefix(key);
                if (KEYS.contains(key)) {
                    values.put(key, properties.getProperty(key).trim());
                } else if (prefix != null) {
                    handedOver.get(prefix).put(key.substring(prefix.length()), properties.getProperty(key).trim());
                } else {
                    unknown.add(key);
                }
            }
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("the configuration file " + file + " has keys this runtime does"
                        + " not know: " + String.join(", ", unknown.stream().sorted().toList()) + "; known keys: "
                        + String.join(", ", KEYS));
            }
        }
        for (String key : KEYS) {
            String override = property.apply(OVERRIDE_PREFIX + key);
            if (override != null) {
                values.put(key, override.trim());
            }
        }
        for (String name : new java.util.TreeSet<>(propertyNames)) {
            String key = name.startsWith(OVERRIDE_PREFIX) ? name.substring(OVERRIDE_PREFIX.length()) : "";
            String prefix = handedOverPrefix(key);
            String value = prefix == null ? null : property.apply(name);
            if (value != null) {
                handedOver.get(prefix).put(key.substring(prefix.length()), value.trim());
            }
        }
        return new ConfigFile(values, handedOver, home, file);
    }

    /** @return the prefix of a key handed to another component, or {@code null} if it is not one */
    private static String handedOverPrefix(String key) {
        for (String prefix : HANDED_OVER) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                return prefix;
            }
        }
        return null;
    }

    /**
     * Reads the file and the overrides like {@link #load(UnaryOperator)}; a file that cannot be used is reported and
     * left out, so the defaults and the overrides still apply.
     *
     * @param property looks up a framework or system property ({@code BundleContext::getProperty})
     * @param problem receives what is wrong with the file
     * @return the configuration
     */
    public static ConfigFile loadOrDefaults(UnaryOperator<String> property, Consumer<String> problem) {
        try {
            return load(property);
        } catch (IllegalArgumentException e) {
            problem.accept(e.getMessage());
            return load(key -> key.equals(CONFIG) ? null : property.apply(key));
        }
    }

    /** @return the values read, by key (defaults are not included) */
    public Map<String, Object> values() {
        return values;
    }

    /**
     * @return the network stack's settings from the file and the overrides, by key without {@value #NET_PREFIX}
     *         (the stack's configuration PID {@code layer45.net} takes them as they are)
     */
    public Map<String, Object> netValues() {
        return handedOver.get(NET_PREFIX);
    }

    /**
     * @return the host-identifier table's settings and identifiers from the file and the overrides, by key without
     *         {@value #MHOST_PREFIX} (its configuration PID {@code layer45.mhost} takes them as they are)
     */
    public Map<String, Object> mhostValues() {
        return handedOver.get(MHOST_PREFIX);
    }

    /**
     * @return the peer links from the file and the overrides, by name without {@value #PEER_PREFIX} (the peer links'
     *         configuration PID {@code layer45.peer} takes them as they are)
     */
    public Map<String, Object> peerValues() {
        return handedOver.get(PEER_PREFIX);
    }

    /**
     * @return the device agent's settings from the file and the overrides, by key without {@value #AGENT_PREFIX}
     *         (its configuration PID {@code layer45.agent} takes them as they are); empty leaves the agent off
     */
    public Map<String, Object> agentValues() {
        return handedOver.get(AGENT_PREFIX);
    }

    /**
     * @return the orchestrator's settings from the file and the overrides, by key without
     *         {@value #ORCHESTRATOR_PREFIX} (its configuration PID {@code layer45.orchestrator} takes them as they
     *         are); empty leaves the orchestrator off
     */
    public Map<String, Object> orchestratorValues() {
        return handedOver.get(ORCHESTRATOR_PREFIX);
    }

    /** @return the folder relative paths are taken from */
    public Path home() {
        return home;
    }

    /** @return the file read, or {@code null} if none was named */
    public Path file() {
        return file;
    }
}
