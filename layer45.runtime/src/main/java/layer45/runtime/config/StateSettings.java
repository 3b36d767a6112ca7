package layer45.runtime.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the runtime keeps what operators set on modules and on the host-identifier table, so that it survives a
 * restart.
 *
 * @param directory the state folder (absolute), or {@code null} to keep nothing across restarts
 */
public record StateSettings(Path directory) {

    /** Configuration key of {@link #directory()}; empty for none, a relative path is taken from home. */
    public static final String DIR = "state.dir";

    /** Every key, in the order the configuration file documents them. */
    public static final List<String> KEYS = List.of(DIR);

    /** The file in the folder that holds the modules' state. */
    public static final String MODULES_FILE = "modules.state";
    /** The file in the folder that holds operators' edits of the host-identifier table ({@code l45:mhost}). */
    public static final String MHOST_EDITS_FILE = "mhost.edits";
    /** The orchestrator's CIB in the folder (an H2 database: H2 adds {@code .mv.db}). */
    public static final String ORCHESTRATOR_CIB = "orchestrator/cib";

    /** Checks the path. */
    public StateSettings {
        if (directory != null && !directory.isAbsolute()) {
            throw new IllegalArgumentException(DIR + ": '" + directory + "' must be absolute here");
        }
    }

    /**
     * @param properties configuration
     * @param home where a relative path is taken from, absolute
     * @return the settings; without {@value #DIR} (or with it empty), none
     */
    public static StateSettings from(Map<String, ?> properties, Path home) {
        Object configured = properties.get(DIR);
        String path = configured == null ? "" : configured.toString().trim();
        return new StateSettings(path.isEmpty() ? null : home.resolve(path).toAbsolutePath().normalize());
    }

    /** @return the modules' state file, or {@code null} when state is not kept */
    public Path modulesFile() {
        return directory == null ? null : directory.resolve(MODULES_FILE);
    }

    /** @return the file of operators' host-identifier edits, or {@code null} when state is not kept */
    public Path mhostEditsFile() {
        return directory == null ? null : directory.resolve(MHOST_EDITS_FILE);
    }

    /** @return the orchestrator's CIB (an H2 database path), or {@code null} when state is not kept */
    public Path orchestratorCib() {
        return directory == null ? null : directory.resolve(ORCHESTRATOR_CIB);
    }
}
