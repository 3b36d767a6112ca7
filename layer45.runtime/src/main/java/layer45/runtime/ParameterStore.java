package layer45.runtime;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where operator parameters of modules are kept, so they survive a module's reload and, when the store persists,
 * a restart. In OSGi this is Configuration Admin ({@code layer45.module.}<i>name</i>).
 */
public interface ParameterStore {

    /**
     * @param module a module name
     * @return its stored parameters; empty if none
     */
    Map<String, Object> load(String module);

    /**
     * Replaces a module's stored parameters; an empty map deletes them.
     *
     * @param module a module name
     * @param parameters the parameters
     * @throws IOException if they cannot be stored
     */
    void store(String module, Map<String, Object> parameters) throws IOException;

    /** @return a store in memory, lost when the runtime stops */
    static ParameterStore inMemory() {
        Map<String, Map<String, Object>> all = new ConcurrentHashMap<>();
        return new ParameterStore() {
            @Override
            public Map<String, Object> load(String module) {
                return all.getOrDefault(module, Map.of());
            }

            @Override
            public void store(String module, Map<String, Object> parameters) {
                if (parameters.isEmpty()) {
                    all.remove(module);
                } else {
                    all.put(module, Map.copyOf(parameters));
                }
            }
        };
    }
}
