package layer45.runtime.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which customization jars the runtime accepts by their signature (jarsigner): signed by a signer its trust store
 * names, or also unsigned ones, which mark the runtime tainted (as the kernel does for unsigned modules).
 *
 * @param policy whether unsigned jars load
 * @param truststore a PKCS12 file with the trusted certificates (absolute), or {@code null} for none: then no signer
 *        is trusted
 * @param password the trust store's password, or "" for none
 */
public record SigningSettings(Policy policy, Path truststore, String password) {

    /** Configuration key of {@link #policy()}: {@code required} or {@code allow-unsigned}. */
    public static final String SIGNATURE = "modules.signature";
    /** Configuration key of {@link #truststore()}; a relative path is taken from {@code layer45.home}. */
    public static final String TRUSTSTORE = "modules.truststore";
    /** Configuration key of {@link #password()}. */
    public static final String PASSWORD = "modules.truststore.password";

    /** Every key, in the order the configuration file documents them. */
    public static final List<String> KEYS = List.of(SIGNATURE, TRUSTSTORE, PASSWORD);

    /** What a source checkout runs with: unsigned jars load, and taint the runtime. */
    public static final SigningSettings DEFAULTS = new SigningSettings(Policy.ALLOW_UNSIGNED, null, "");

    /** Whether unsigned jars load. A jar whose signature does not verify, or is untrusted, never loads. */
    public enum Policy {
        /** Only jars signed by a trusted signer load. */
        REQUIRED,
        /** Unsigned jars load too, and mark the runtime tainted. */
        ALLOW_UNSIGNED;

        /** @return the configuration value, such as {@code allow-unsigned} */
        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Checks the path. */
    public SigningSettings {
        if (truststore != null && !truststore.isAbsolute()) {
            throw new IllegalArgumentException(TRUSTSTORE + ": '" + truststore + "' must be absolute here");
        }
        password = password == null ? "" : password;
    }

    /**
     * @param properties configuration
     * @param home where a relative trust store path is taken from
     * @return the settings; missing keys take the defaults
     * @throws IllegalArgumentException if the policy is neither {@code required} nor {@code allow-unsigned}
     */
    public static SigningSettings from(Map<String, ?> properties, Path home) {
        String policyText = text(properties.get(SIGNATURE));
        Policy policy = switch (policyText) {
            case "", "allow-unsigned" -> Policy.ALLOW_UNSIGNED;
            case "required" -> Policy.REQUIRED;
            default -> throw new IllegalArgumentException(SIGNATURE + ": '" + policyText + "' is neither 'required'"
                    + " nor 'allow-unsigned'");
        };
        String store = text(properties.get(TRUSTSTORE));
        return new SigningSettings(policy, store.isEmpty() ? null : home.resolve(store).toAbsolutePath().normalize(),
                text(properties.get(PASSWORD)));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString().trim();
    }

    /** @return the settings as configuration properties, the password left out */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(SIGNATURE, policy.text());
        map.put(TRUSTSTORE, truststore == null ? "" : truststore.toString());
        return map;
    }
}
