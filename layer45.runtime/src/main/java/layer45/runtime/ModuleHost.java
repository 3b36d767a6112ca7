package layer45.runtime;

import java.io.IOException;
import java.util.Map;

import layer45.runtime.module.Module;

/** The platform that provides modules: told when the runtime unloads one, and asked to configure one. */
public interface ModuleHost {

    /** A host without a platform: unloaded modules are simply no longer called; modules cannot be configured. */
    ModuleHost NONE = new ModuleHost() {
        @Override
        public void unloaded(Module module) {
            // nothing provides the module, so nothing to stop
        }

        @Override
        public void configure(Module module, Map<String, Object> properties) throws IOException {
            throw new IOException("this runtime runs without OSGi, where a module's own configuration has no home");
        }
    };

    /**
     * The runtime unloaded a module at an operator's request; stop its component, so it is not loaded again.
     *
     * @param module the module, detached from every flow
     */
    void unloaded(Module module);

    /**
     * Sets properties of the module's own configuration (its component's), merged into what it has; a {@code null}
     * value removes a property. The module applies them if it takes live changes.
     *
     * @param module the module
     * @param properties the properties
     * @throws IllegalArgumentException naming a property the module does not declare (a misspelling), when it
     *         declares its properties
     * @throws IOException if the configuration cannot be stored
     */
    void configure(Module module, Map<String, Object> properties) throws IOException;
}
