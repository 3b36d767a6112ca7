package layer45.runtime.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the runtime watches its autoload folder.
 *
 * @param directory the folder (absolute)
 * @param pollMillis how often it is scanned; a new jar is loaded within about two scans (one to see it, one to see it
 *        stable)
 * @param settleMillis how long a started jar has to register its customizations before it is refused
 * @param drainSeconds how long a replaced or removed jar's modules may keep their flows before they are detached
 *        (0: until the flows close)
 */
public record AutoloadSettings(Path directory, long pollMillis, long settleMillis, long drainSeconds) {

    /** Configuration key of {@link #directory()}; a relative path is taken from {@code layer45.home}. */
    public static final String DIR = "autoload.dir";
    /** Configuration key of {@link #pollMillis()}. */
    public static final String POLL_MS = "autoload.poll.ms";
    /** Configuration key of {@link #settleMillis()}. */
    public static final String SETTLE_MS = "autoload.settle.ms";
    /** Configuration key of {@link #drainSeconds()}. */
    public static final String DRAIN_S = "autoload.drain.s";

    /** Every key, in the order the configuration file documents them. */
    public static final List<String> KEYS = List.of(DIR, POLL_MS, SETTLE_MS, DRAIN_S);

    /** Checks the ranges. */
    public AutoloadSettings {
        List<String> problems = new ArrayList<>();
        if (!directory.isAbsolute()) {
            problems.add(DIR + ": '" + directory + "' must be absolute here");
        }
        if (pollMillis < 50 || pollMillis > 60_000) {
            problems.add(POLL_MS + ": " + pollMillis + " is out of range (50-60000)");
        }
        if (settleMillis < 100 || settleMillis > 600_000) {
            problems.add(SETTLE_MS + ": " + settleMillis + " is out of range (100-600000)");
        }
        if (drainSeconds < 0 || drainSeconds > 30L * 86_400) {
            problems.add(DRAIN_S + ": " + drainSeconds + " is out of range (0-2592000; 0 waits for the flows)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * Reads the settings; missing keys take their defaults.
     *
     * @param properties configuration
     * @param home where a relative folder is taken from
     * @return the settings
     * @throws IllegalArgumentException naming every key that does not parse or is out of range
     */
    public static AutoloadSettings from(Map<String, ?> properties, Path home) {
        List<String> problems = new ArrayList<>();
        Object dir = properties.get(DIR);
        Path directory = home.resolve(dir == null || dir.toString().isBlank() ? "autoload" : dir.toString().trim())
                .toAbsolutePath().normalize();
        long poll = Numbers.whole(properties, POLL_MS, 250, problems);
        long settle = Numbers.whole(properties, SETTLE_MS, 2000, problems);
        long drain = Numbers.whole(properties, DRAIN_S, 0, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new AutoloadSettings(directory, poll, settle, drain);
    }

    /** @return the settings as configuration properties */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(DIR, directory.toString());
        map.put(POLL_MS, pollMillis);
        map.put(SETTLE_MS, settleMillis);
        map.put(DRAIN_S, drainSeconds);
        return map;
    }
}
