package layer45.runtime;

import java.util.Map;
import java.util.Optional;

/**
 * What operators set on modules (active, deprecated, priority, the runtime's and the module's own parameters), kept
 * across restarts of the runtime: the original Layer 4.5 lost it at every reboot. It is keyed by module name and
 * applies to a module of that name loaded again from a bundle with the same symbolic name, whatever its version (an
 * upgraded jar keeps its operator's settings); {@code rmmod} forgets it.
 */
public interface OperatorState {

    /** Keeps nothing: every start begins afresh (tests, and a runtime configured without {@code state.dir}). */
    OperatorState NONE = new OperatorState() {
        @Override
        public Optional<Saved> saved(String module) {
            return Optional.empty();
        }

        @Override
        public void runtimeParameters(String module, String bundle, Map<String, Object> parameters) {
            // nothing kept
        }

        @Override
        public void ownParameters(String module, String bundle, Map<String, Object> changes) {
            // nothing kept
        }

        @Override
        public void forget(String module) {
            // nothing kept
        }

        @Override
        public String where() {
            return "nowhere (state.dir is not set)";
        }
    };

    /**
     * What was kept for one module.
     *
     * @param bundle the symbolic name of the bundle it came from, "" if any
     * @param runtimeParameters its {@code layer45.*} parameters (active, priority, deprecated, target)
     * @param ownParameters its own configuration set through {@code param}
     */
    record Saved(String bundle, Map<String, Object> runtimeParameters, Map<String, Object> ownParameters) {

        /**
         * @param symbolicName the symbolic name of the bundle a module is loaded from now
         * @return whether this state belongs to it
         */
        public boolean appliesTo(String symbolicName) {
            return bundle.isEmpty() || bundle.equals(symbolicName);
        }
    }

    /**
     * @param module a module name
     * @return what was kept for it
     */
    Optional<Saved> saved(String module);

    /**
     * Replaces a module's kept {@code layer45.*} parameters.
     *
     * @param module the module's name
     * @param bundle its bundle's symbolic name
     * @param parameters its parameters; empty keeps none
     */
    void runtimeParameters(String module, String bundle, Map<String, Object> parameters);

    /**
     * Merges changes into a module's kept own parameters; a {@code null} value removes one.
     *
     * @param module the module's name
     * @param bundle its bundle's symbolic name
     * @param changes the changes
     */
    void ownParameters(String module, String bundle, Map<String, Object> changes);

    /** @param module a module an operator unloaded: what was kept for it goes */
    void forget(String module);

    /** @return where the state is kept, for the log */
    String where();
}
