package layer45.runtime.config;

import java.util.List;
import java.util.Map;

/** Reading whole numbers from configuration, which holds them as numbers or as text. */
final class Numbers {

    private Numbers() {
    }

    /**
     * @param properties configuration
     * @param key the key
     * @param fallback the value when the key is absent or does not parse
     * @param problems where a value that does not parse is reported
     * @return the value
     */
    static long whole(Map<String, ?> properties, String key, long fallback, List<String> problems) {
        Object value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            problems.add(key + ": '" + value + "' is not a whole number");
            return fallback;
        }
    }
}
