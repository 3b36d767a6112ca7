package layer45.api.runtime;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The running layer45 customization runtime, for the tools that manage it: the Gogo commands, the autoload
 * folder, remote agents.
 *
 * <p>Module names are the customization components' names. Every change applies to open flows at their next
 * chunk and is kept in the runtime's configuration, so it survives a restart where configuration is persisted.
 * Requests that cannot be carried out throw {@link Layer45Exception} with a stable {@link ErrorCode} and a
 * message that says what to do.
 */
@ProviderType
public interface CustomizationRuntime {

    /**
     * @return the loaded modules, by name; a module being replaced appears twice, the old version DEPRECATED until
     *         its flows have closed
     */
    List<ModuleDTO> modules();

    /**
     * @param name a module name
     * @return the module
     * @throws Layer45Exception {@link ErrorCode#UNKNOWN_MODULE}
     */
    ModuleDTO module(String name);

    /** @return the open flows, oldest first */
    List<FlowDTO> flows();

    /** @return registrations refused since start, oldest first (the most recent 100) */
    List<RefusalDTO> refusals();

    /** @return runtime-wide counters */
    RuntimeStatsDTO stats();

    /**
     * Activates or deactivates a module (rule 10). Activating also resets the fault budget of a module the runtime
     * deactivated.
     *
     * @param name a module name
     * @param active whether it customizes
     * @throws Layer45Exception {@link ErrorCode#UNKNOWN_MODULE}, {@link ErrorCode#INVALID_STATE} when unloading
     */
    void setActive(String name, boolean active);

    /**
     * Deprecates a module: it keeps the flows it has and attaches to no new ones (rule 11). Deprecating a
     * deprecated module does nothing.
     *
     * @param name a module name
     * @throws Layer45Exception {@link ErrorCode#UNKNOWN_MODULE}, {@link ErrorCode#INVALID_STATE} when unloading
     */
    void deprecate(String name);

    /**
     * Moves a module in the chains: lower runs first. Open flows re-sort at their next chunk.
     *
     * @param name a module name
     * @param priority 0 to 65535
     * @throws Layer45Exception {@link ErrorCode#UNKNOWN_MODULE}, {@link ErrorCode#INVALID_PARAMETER}
     */
    void setPriority(String name, int priority);

    /**
     * Sets module parameters live. The {@code layer45.*} target and control properties of
     * {@link layer45.api.CustomizationService} are the runtime's: they override the module's own values, and a
     * {@code null} value removes an override; a new target applies to flows opened from now on, while flows already
     * attached keep the module. Any other key is the module's own configuration property (such as
     * {@code start.tag}), handed to its component, which applies it if it takes live changes.
     *
     * @param name a module name
     * @param parameters property names and values (strings are parsed as in configuration files)
     * @throws Layer45Exception {@link ErrorCode#UNKNOWN_MODULE}, {@link ErrorCode#INVALID_PARAMETER} (nothing is
     *         changed), {@link ErrorCode#CONFIGURATION_FAILED}
     */
    void setParameters(String name, Map<String, ?> parameters);

    /**
     * Unloads a module, every version of it (a replaced jar's version may still be draining): detaches it from its
     * flows, which go on without it, and stops its component. Refused while flows use it, unless forced; forcing
     * detaches them cleanly (bytes it held are passed on unchanged).
     *
     * @param name a module name
     * @param force whether to unload a module in use
     * @throws Layer45Exception {@link ErrorCode#UNKNOWN_MODULE}, {@link ErrorCode#MODULE_IN_USE}
     */
    void unload(String name, boolean force);

    /**
     * @return the runtime-wide settings as effectively applied (chain limit, time and fault budgets, limits), by
     *         configuration property name
     */
    Map<String, Object> settings();
}
