package layer45.mnet.mhost;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import layer45.mnet.HostIdentifier;
import layer45.mnet.wire.IpCidr;

/**
 * How the host-identifier table behaves (configuration PID {@value #PID}; {@code mhost.<key>} in the runtime's
 * configuration file, which {@code conf/layer45.conf} documents).
 *
 * @param file the file of identifiers, or {@code null} for none
 * @param prefix4 where IPv4 virtual addresses are taken from, or {@code null} for none
 * @param prefix6 where IPv6 virtual addresses are taken from, or {@code null} for none
 * @param domain the domain programs may add to a name ({@code srv.mhost})
 * @param connectTimeout how long a TCP connection to one address of an identifier may take before the next is tried
 * @param ttlSeconds the time to live of the DNS answers for identifiers
 * @param edits the file that keeps operators' edits across restarts ({@link MhostEdits}), or {@code null} to keep
 *        them in memory only
 */
public record MhostSettings(Path file, IpCidr prefix4, IpCidr prefix6, String domain, Duration connectTimeout,
        int ttlSeconds, Path edits) {

    /** Configuration PID of the table. */
    public static final String PID = "layer45.mhost";
    /** Prefix of the configuration keys that are identifiers: {@code host.NAME = ADDRESS ...}. */
    public static final String HOST_PREFIX = "host.";
    /** The keys besides the identifiers, and their defaults. */
    public static final Map<String, String> DEFAULTS = Map.of("file", "conf/mhosts", "prefix4", "10.46.0.0/16",
            "prefix6", "fd46::/64", "domain", "mhost", "connect.timeout.ms", "1000", "ttl.s", "10", "edits", "");

    /** Checks the prefixes, the domain and the ranges. */
    public MhostSettings {
        domain = HostIdentifier.checkName(domain);
        if (prefix4 != null && (prefix4.address().version() != 4 || prefix4.prefixLength() > 30)) {
            throw new IllegalArgumentException("prefix4 " + prefix4 + " must be an IPv4 prefix of length 30 or less");
        }
        if (prefix6 != null && (prefix6.address().version() != 6 || prefix6.prefixLength() > 126)) {
            throw new IllegalArgumentException("prefix6 " + prefix6 + " must be an IPv6 prefix of length 126 or less");
        }
        prefix4 = prefix4 == null ? null : prefix4.network();
        prefix6 = prefix6 == null ? null : prefix6.network();
        if (connectTimeout.toMillis() < 10 || connectTimeout.toMillis() > 600_000) {
            throw new IllegalArgumentException("connect.timeout.ms " + connectTimeout.toMillis()
                    + " is outside 10..600000");
        }
        if (ttlSeconds < 0 || ttlSeconds > 86_400) {
            throw new IllegalArgumentException("ttl.s " + ttlSeconds + " is outside 0..86400");
        }
    }

    /**
     * Reads the settings from configuration properties; a key that is wrong keeps its default and is reported.
     *
     * @param properties the configuration (identifiers and framework keys are skipped)
     * @param home where a relative file path starts
     * @param problems receives what is wrong, one line per key
     * @return the settings
     */
    public static MhostSettings from(Map<String, ?> properties, Path home, List<String> problems) {
        Set<String> unknown = new TreeSet<>();
        for (String key : properties.keySet()) {
            if (!DEFAULTS.containsKey(key) && !key.startsWith(HOST_PREFIX) && !isFrameworkKey(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            problems.add(PID + ": unknown key(s) " + String.join(", ", unknown) + " are ignored; the table knows "
                    + String.join(", ", new TreeSet<>(DEFAULTS.keySet())) + " and host.NAME");
        }
        Path path = path(value(properties, "file"), home);
        IpCidr prefix4 = setting(properties, "prefix4", problems, text -> prefix(text, 4));
        IpCidr prefix6 = setting(properties, "prefix6", problems, text -> prefix(text, 6));
        String domain = setting(properties, "domain", problems, HostIdentifier::checkName);
        int timeout = setting(properties, "connect.timeout.ms", problems, text -> number(text, 10, 600_000));
        int ttl = setting(properties, "ttl.s", problems, text -> number(text, 0, 86_400));
        return new MhostSettings(path, prefix4, prefix6, domain, Duration.ofMillis(timeout), ttl,
                path(value(properties, "edits"), home));
    }

    /** @return the path, relative to {@code home}; {@code null} for an empty text */
    private static Path path(String text, Path home) {
        return text.isBlank() ? null : home.resolve(text.strip()).toAbsolutePath().normalize();
    }

    /** @return the defaults, with the file relative to {@code home} */
    public static MhostSettings defaults(Path home) {
        return from(Map.of(), home, new java.util.ArrayList<>());
    }

    /** @return whether a property is the framework's, not a setting (DS and Configuration Admin add them) */
    public static boolean isFrameworkKey(String key) {
        return key.startsWith("component.") || key.startsWith("service.") || key.startsWith("felix.")
                || key.startsWith("osgi.") || key.equals("objectClass");
    }

    private static <T> T setting(Map<String, ?> properties, String key, List<String> problems,
            java.util.function.Function<String, T> parse) {
        String text = value(properties, key).strip();
        try {
            return text.isEmpty() && key.startsWith("prefix") ? null : parse.apply(text);
        } catch (IllegalArgumentException e) {
            problems.add(PID + ": " + key + " '" + text + "' is not usable (" + e.getMessage() + "); it stays "
                    + DEFAULTS.get(key));
            return parse.apply(DEFAULTS.get(key));
        }
    }

    private static String value(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        return value == null ? DEFAULTS.get(key) : String.valueOf(value);
    }

    private static IpCidr prefix(String text, int version) {
        IpCidr cidr = IpCidr.parse(text);
        if (cidr.address().version() != version) {
            throw new IllegalArgumentException("an IPv" + version + " prefix is needed");
        }
        if (cidr.prefixLength() > (version == 4 ? 30 : 126)) {
            throw new IllegalArgumentException("leave at least two host bits");
        }
        return cidr;
    }

    private static int number(String text, int min, int max) {
        int n = Integer.parseInt(text);
        if (n < min || n > max) {
            throw new IllegalArgumentException("outside " + min + ".." + max);
        }
        return n;
    }

    /** @return the settings in the configuration's words, for logs */
    @Override
    public String toString() {
        return "file " + (file == null ? "(none)" : file) + ", prefix4 " + (prefix4 == null ? "-" : prefix4)
                + ", prefix6 " + (prefix6 == null ? "-" : prefix6) + ", domain " + domain + ", connect.timeout.ms "
                + connectTimeout.toMillis() + ", ttl.s " + ttlSeconds + ", edits " + (edits == null
                ? "(in memory)" : edits);
    }
}
