package layer45.runtime.module;

import static layer45.api.CustomizationService.ACTIVE;
import static layer45.api.CustomizationService.APPLY_NOW;
import static layer45.api.CustomizationService.LOCAL_ADDRESS;
import static layer45.api.CustomizationService.LOCAL_PORT;
import static layer45.api.CustomizationService.PRIORITY;
import static layer45.api.CustomizationService.PROCESS;
import static layer45.api.CustomizationService.PROTOCOL;
import static layer45.api.CustomizationService.REMOTE_ADDRESS;
import static layer45.api.CustomizationService.REMOTE_PORT;
import static layer45.api.CustomizationService.THREAD;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import layer45.api.CustomizationService;
import layer45.runtime.target.Target;

/**
 * A module's parsed settings: its service properties overridden by operator parameters.
 *
 * @param target the flows it attaches to
 * @param priority chain position, lower first
 * @param active whether it customizes
 * @param applyNow whether it attaches to flows already open when it is loaded
 * @param deprecated whether the operator deprecated it (kept as a parameter so it survives restarts)
 * @param parameters the {@code layer45.*} parameters as applied, for display
 */
public record ModuleSettings(Target target, int priority, boolean active, boolean applyNow, boolean deprecated,
        Map<String, Object> parameters) {

    /** Parameter kept in the operator overrides when a module is deprecated. */
    public static final String DEPRECATED = "layer45.deprecated";

    /** The parameters operators set, in the order they are shown. */
    public static final Set<String> PARAMETERS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(PROTOCOL,
            PROCESS, THREAD, REMOTE_ADDRESS, REMOTE_PORT, LOCAL_ADDRESS, LOCAL_PORT, PRIORITY, ACTIVE, APPLY_NOW)));

    /** Every key the runtime stores for a module: the parameters, and whether an operator deprecated it. */
    public static final Set<String> NAMES;

    static {
        Set<String> names = new LinkedHashSet<>(PARAMETERS);
        names.add(DEPRECATED);
        NAMES = Collections.unmodifiableSet(names);
    }

    /**
     * Parses the effective settings.
     *
     * @param serviceProperties the module's service properties (annotation defaults and its own configuration)
     * @param overrides operator parameters, which win; only {@link #NAMES} are allowed
     * @return the settings
     * @throws IllegalArgumentException listing every value that does not parse, and every unknown override
     */
    public static ModuleSettings parse(Map<String, ?> serviceProperties, Map<String, ?> overrides) {
        List<String> problems = new ArrayList<>();
        for (String key : overrides.keySet()) {
            if (!NAMES.contains(key)) {
                problems.add(key + ": not a parameter of the runtime; known: " + String.join(", ", PARAMETERS));
            }
        }
        for (String key : serviceProperties.keySet()) {
            // A misspelled target key would otherwise be ignored and widen the module to more flows than meant.
            if (key.startsWith(CustomizationService.PREFIX_) && !NAMES.contains(key)) {
                problems.add(key + ": not a parameter of the runtime (misspelled?); known: "
                        + String.join(", ", PARAMETERS));
            }
        }
        Map<String, Object> effective = new LinkedHashMap<>();
        for (String key : NAMES) {
            Object value = overrides.get(key); // a null override is no override
            if (value == null) {
                value = serviceProperties.get(key);
            }
            if (value != null) {
                effective.put(key, value);
            }
        }
        Target target = Target.ANY;
        try {
            target = Target.parse(effective);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        int priority = integer(effective, PRIORITY, CustomizationService.DEFAULT_PRIORITY, 0, 65535, problems);
        boolean active = bool(effective, ACTIVE, true, problems);
        boolean applyNow = bool(effective, APPLY_NOW, false, problems);
        boolean deprecated = bool(effective, DEPRECATED, false, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        if (effective.containsKey(PROTOCOL)) { // Declarative Services writes the enum's names: show tcp, udp
            effective.put(PROTOCOL, String.join(",", target.toDTO().protocol));
        }
        return new ModuleSettings(target, priority, active, applyNow, deprecated,
                Collections.unmodifiableMap(effective));
    }

    /**
     * @param active the new flag
     * @return these settings with another active flag
     */
    public ModuleSettings withActive(boolean active) {
        return new ModuleSettings(target, priority, active, applyNow, deprecated, parameters);
    }

    private static int integer(Map<String, ?> properties, String key, int fallback, int min, int max,
            List<String> problems) {
        Object value = single(properties.get(key));
        if (value == null) {
            return fallback;
        }
        long parsed;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            parsed = ((Number) value).longValue();
        } else if (value instanceof String s) {
            try {
                parsed = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                problems.add(key + ": '" + s + "' is not a whole number (" + min + "-" + max + ")");
                return fallback;
            }
        } else {
            problems.add(key + ": " + show(value) + " is not a whole number");
            return fallback;
        }
        if (parsed < min || parsed > max) {
            problems.add(key + ": " + parsed + " is out of range (" + min + "-" + max + ")");
            return fallback;
        }
        return (int) parsed;
    }

    private static boolean bool(Map<String, ?> properties, String key, boolean fallback, List<String> problems) {
        Object value = single(properties.get(key));
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            switch (s.trim().toLowerCase()) {
                case "true", "yes", "on", "1" -> {
                    return true;
                }
                case "false", "no", "off", "0" -> {
                    return false;
                }
                default -> {
                    // reported below
                }
            }
        }
        problems.add(key + ": " + show(value) + " is not true or false");
        return fallback;
    }

    private static String show(Object value) {
        if (value instanceof Object[] array) {
            return java.util.Arrays.toString(array) + " (a list; one value is expected)";
        }
        return value instanceof String ? "'" + value + "'" : value + " (" + value.getClass().getSimpleName() + ")";
    }

    /** Configuration tools may store a single value as a one-element array or list. */
    private static Object single(Object value) {
        if (value instanceof Object[] array && array.length == 1) {
            return array[0];
        }
        if (value instanceof List<?> list && list.size() == 1) {
            return list.get(0);
        }
        return value;
    }
}
