package layer45.runtime;

import layer45.runtime.module.Module;

/** The platform that provides modules, told when the runtime unloaded one so it can stop providing it. */
@FunctionalInterface
public interface ModuleHost {

    /** A host that does nothing: the module's object is simply no longer called. */
    ModuleHost NONE = module -> { };

    /**
     * The runtime unloaded a module at an operator's request; stop its component, so it is not loaded again.
     *
     * @param module the module, detached from every flow
     */
    void unloaded(Module module);
}
