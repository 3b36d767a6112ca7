package layer45.runtime.deploy;

import java.io.IOException;
import java.util.Map;

/** Stores a module's own configuration (its component's configuration PID), merged into what is there. */
@FunctionalInterface
public interface ModuleConfigurator {

    /**
     * @param pid the configuration PID
     * @param properties properties to set; a {@code null} value removes one
     * @throws IOException if it cannot be stored
     */
    void configure(String pid, Map<String, Object> properties) throws IOException;
}
