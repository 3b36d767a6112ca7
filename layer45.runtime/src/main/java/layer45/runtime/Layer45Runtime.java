package layer45.runtime;

import static layer45.api.runtime.ErrorCode.CONFIGURATION_FAILED;
import static layer45.api.runtime.ErrorCode.INVALID_PARAMETER;
import static layer45.api.runtime.ErrorCode.INVALID_STATE;
import static layer45.api.runtime.ErrorCode.MODULE_IN_USE;
import static layer45.api.runtime.ErrorCode.UNKNOWN_MODULE;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import layer45.api.CustomizationService;
import layer45.api.FlowInfo;
import layer45.api.runtime.CountersDTO;
import layer45.api.runtime.CustomizationRuntime;
import layer45.api.runtime.FlowDTO;
import layer45.api.runtime.Layer45Exception;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.api.runtime.RefusalDTO;
import layer45.api.runtime.RuntimeStatsDTO;
import layer45.api.spi.FlowControl;
import layer45.api.spi.FlowTap;
import layer45.api.spi.TappedFlow;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.flow.CallWatchdog;
import layer45.runtime.flow.FlowTable;
import layer45.runtime.module.FlowBinding;
import layer45.runtime.module.Module;
import layer45.runtime.module.ModuleOrigin;
import layer45.runtime.module.ModuleRefusedException;
import layer45.runtime.module.ModuleRegistry;
import layer45.runtime.module.ModuleSettings;
import layer45.runtime.module.Refusal;

/**
 * The layer45 customization runtime, independent of OSGi: modules come in through {@link #load}, flows through
 * {@link #open}, operators through {@link CustomizationRuntime}. The OSGi component feeds it services and
 * configuration; tests and benchmarks use it directly.
 */
public final class Layer45Runtime implements CustomizationRuntime, FlowTap, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("layer45.runtime");

    private final ModuleRegistry registry = new ModuleRegistry();
    private final FlowTable flows;
    private final CallWatchdog watchdog;
    private final ParameterStore parameters;
    /** Orders every read-modify-apply of stored parameters: operator changes and store notifications. */
    private final Object parameterLock = new Object();
    private final ModuleHost host;
    private final OperatorState state;

    /**
     * Creates and starts a runtime that keeps no state across restarts.
     *
     * @param settings limits and budgets
     * @param parameters where operator parameters are kept
     * @param host told when an operator unloads a module
     */
    public Layer45Runtime(RuntimeSettings settings, ParameterStore parameters, ModuleHost host) {
        this(settings, parameters, host, OperatorState.NONE);
    }

    /**
     * Creates and starts a runtime.
     *
     * @param settings limits and budgets
     * @param parameters where operator parameters are kept while it runs
     * @param host told when an operator unloads a module
     * @param state what operators set, kept across restarts and applied to modules as they load again
     */
    public Layer45Runtime(RuntimeSettings settings, ParameterStore parameters, ModuleHost host,
            OperatorState state) {
        this.flows = new FlowTable(registry, settings);
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.host = Objects.requireNonNull(host, "host");
        this.state = Objects.requireNonNull(state, "state");
        this.watchdog = new CallWatchdog(flows);
        watchdog.start();
    }

    /** @return a runtime with default settings, parameters in memory, outside OSGi */
    public static Layer45Runtime standalone() {
        return new Layer45Runtime(RuntimeSettings.DEFAULTS, ParameterStore.inMemory(), ModuleHost.NONE);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Modules arriving and leaving
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Loads a customization service.
     *
     * @param name the module's name
     * @param service the service object
     * @param serviceProperties its service properties
     * @param origin where it comes from
     * @return the module, LIVE (or DEPRECATED if an operator deprecated it before)
     * @throws ModuleRefusedException if it cannot be run; the reason is logged and listed in {@link #refusals()}
     */
    public Module load(String name, Object service, Map<String, ?> serviceProperties, ModuleOrigin origin)
            throws ModuleRefusedException {
        RuntimeSettings settings = flows.settings();
        try {
            OperatorState.Saved saved = name == null ? null : state.saved(name)
                    .filter(s -> s.appliesTo(origin.symbolicName())).orElse(null);
            Map<String, Object> overrides = name == null ? Map.of() : restored(name, saved);
            Module module = registry.load(name, service, serviceProperties, overrides, origin,
                    settings.faultBudget(), settings.faultWindowMillis());
            ModuleSettings s = module.settings();
            LOG.log(Level.INFO, "module ''{0}'' loaded from {1}: {2}, {3}, priority {4}, target {5}{6}", name, origin,
                    module.state(), s.active() ? "active" : "inactive", String.valueOf(s.priority()), s.target(),
                    s.applyNow() ? ", applies now" : "");
            if (!overrides.isEmpty()) {
                state.runtimeParameters(name, origin.symbolicName(), overrides);
            }
            if (saved != null && !saved.ownParameters().isEmpty()) {
                restoreOwn(module, saved.ownParameters());
            }
            return module;
        } catch (ModuleRefusedException e) {
            LOG.log(Level.WARNING, e.getMessage());
            throw e;
        }
    }

    /**
     * @return the operator parameters a module loads with: those stored while the runtime runs, or, when there are
     *         none (the first load since the start), those kept from before the restart, stored again
     */
    private Map<String, Object> restored(String name, OperatorState.Saved saved) {
        synchronized (parameterLock) {
            Map<String, Object> stored = parameters.load(name);
            if (!stored.isEmpty() || saved == null || saved.runtimeParameters().isEmpty()) {
                return stored;
            }
            try {
                parameters.store(name, new HashMap<>(saved.runtimeParameters()));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "module ''{0}'': cannot store its kept parameters: {1}", name, e.getMessage());
            }
            LOG.log(Level.INFO, "module ''{0}'': operator settings restored from {1}: {2}", name, state.where(),
                    saved.runtimeParameters());
            return saved.runtimeParameters();
        }
    }

    /** Puts back a module's own configuration as an operator left it; a module that no longer takes it says so. */
    private void restoreOwn(Module module, Map<String, Object> own) {
        try {
            host.configure(module, own);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "module ''{0}'': its own parameters {1} from {2} were not applied: {3}",
                    module.name(), own, state.where(), e.getMessage());
        }
    }

    /**
     * Records a registration that could not even be handed to {@link #load} (its service could not be obtained).
     *
     * @param name what was refused
     * @param origin where it came from
     * @param reason why, and what to do
     */
    public void refuse(String name, ModuleOrigin origin, String reason) {
        Refusal refusal = registry.refuse(name, origin, reason, System.currentTimeMillis());
        LOG.log(Level.WARNING, "refused ''{0}''{1}: {2}", name,
                origin.equals(ModuleOrigin.NONE) ? "" : " from " + origin, refusal.reason());
    }

    /**
     * The module's own service properties changed (its component was reconfigured).
     *
     * @param module the module
     * @param serviceProperties the new properties
     */
    public void servicePropertiesChanged(Module module, Map<String, ?> serviceProperties) {
        try {
            registry.reconfigure(module, serviceProperties, null);
            LOG.log(Level.INFO, "module ''{0}'' reconfigured: priority {1}, target {2}", module.name(),
                    module.priority(), module.settings().target());
        } catch (IllegalArgumentException e) {
            module.recordError("new service properties ignored: " + e.getMessage());
            LOG.log(Level.WARNING, "module ''{0}'': new service properties ignored, keeping the previous ones: {1}",
                    module.name(), e.getMessage());
        }
    }

    /**
     * Operator parameters of a module changed in the store: edited in the configuration directly, or an echo of this
     * runtime's own change. Reads the store now, under the same lock as {@link #setParameters}, so a late
     * notification can never put back values an operator has since replaced.
     *
     * @param name the module's name
     */
    public void parametersChanged(String name) {
        synchronized (parameterLock) {
            registry.find(name).ifPresent(module -> {
                if (module.state() == ModuleState.UNLOADING) {
                    return;
                }
                try {
                    registry.reconfigure(module, null, parameters.load(name));
                } catch (IllegalArgumentException e) {
                    module.recordError("stored parameters ignored: " + e.getMessage());
                    LOG.log(Level.WARNING, "module ''{0}'': stored parameters ignored, keeping the previous ones: {1}",
                            name, e.getMessage());
                }
            });
        }
    }

    /**
     * A module's service went away (its bundle stopped, its component was disabled): it is detached from every
     * flow, which goes on without it.
     *
     * @param module the module
     */
    public void serviceGone(Module module) {
        if (module.state() != ModuleState.UNLOADING) {
            unloadNow(module, "its service was unregistered");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // FlowTap
    // ---------------------------------------------------------------------------------------------------------

    @Override
    public TappedFlow open(FlowInfo info, FlowControl control) {
        return flows.open(info, control);
    }

    // ---------------------------------------------------------------------------------------------------------
    // CustomizationRuntime
    // ---------------------------------------------------------------------------------------------------------

    @Override
    public List<ModuleDTO> modules() {
        return registry.toDTOs();
    }

    @Override
    public ModuleDTO module(String name) {
        return registry.find(name).map(Module::toDTO).orElseThrow(() -> unknown(name));
    }

    @Override
    public List<FlowDTO> flows() {
        return flows.toDTOs();
    }

    @Override
    public List<RefusalDTO> refusals() {
        return registry.refusals().stream().map(Refusal::toDTO).toList();
    }

    @Override
    public RuntimeStatsDTO stats() {
        RuntimeStatsDTO dto = new RuntimeStatsDTO();
        dto.modules = registry.all().size();
        dto.refusals = registry.refusalCount();
        dto.openFlows = flows.openCount();
        dto.flowsOpened = flows.openedCount();
        dto.flowsAborted = flows.abortedCount();
        dto.autoDeactivations = flows.autoDeactivationCount();
        dto.send = new CountersDTO();
        dto.recv = new CountersDTO();
        flows.sumCounters(dto.send, dto.recv);
        return dto;
    }

    @Override
    public void setActive(String name, boolean active) {
        Module module = changeable(name, active ? "activated" : "deactivated");
        storeAndApply(module, Map.of(CustomizationService.ACTIVE, active));
        registry.setActive(module, active); // also revives a module the runtime deactivated
        LOG.log(Level.INFO, "module ''{0}'' {1} by an operator", name, active ? "activated" : "deactivated");
    }

    @Override
    public void deprecate(String name) {
        Module module = changeable(name, "deprecated");
        storeAndApply(module, Map.of(ModuleSettings.DEPRECATED, true));
        if (registry.deprecate(module)) {
            LOG.log(Level.INFO, "module ''{0}'' deprecated: it keeps its {1} flows and attaches to no new ones", name,
                    String.valueOf(module.usedBy()));
        }
    }

    @Override
    public void setPriority(String name, int priority) {
        if (priority < 0 || priority > 65535) {
            throw new Layer45Exception(INVALID_PARAMETER, "priority " + priority + " is out of range: use 0 to 65535,"
                    + " lower runs first");
        }
        Module module = changeable(name, "given a new priority");
        storeAndApply(module, Map.of(CustomizationService.PRIORITY, priority));
        LOG.log(Level.INFO, "module ''{0}'' priority set to {1}", name, String.valueOf(priority));
    }

    @Override
    public void setParameters(String name, Map<String, ?> changes) {
        Module module = changeable(name, "reconfigured");
        Map<String, Object> runtimeKeys = new HashMap<>();
        Map<String, Object> ownKeys = new HashMap<>();
        changes.forEach((key, value) -> (key.startsWith(CustomizationService.PREFIX_) ? runtimeKeys : ownKeys)
                .put(key, value));
        for (String key : runtimeKeys.keySet()) {
            if (!ModuleSettings.PARAMETERS.contains(key)) {
                throw new Layer45Exception(INVALID_PARAMETER, "'" + key + "' is not a parameter of the runtime; known: "
                        + String.join(", ", ModuleSettings.PARAMETERS) + "; nothing was changed");
            }
        }
        if (!runtimeKeys.isEmpty()) {
            storeAndApply(module, runtimeKeys);
        }
        if (!ownKeys.isEmpty()) {
            try {
                host.configure(module, ownKeys);
            } catch (IllegalArgumentException e) {
                throw new Layer45Exception(INVALID_PARAMETER, "module '" + name + "': " + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                throw new Layer45Exception(CONFIGURATION_FAILED, "cannot configure module '" + name + "' with "
                        + ownKeys.keySet() + ": " + e.getMessage(), e);
            }
            state.ownParameters(name, module.origin().symbolicName(), ownKeys);
        }
        LOG.log(Level.INFO, "module ''{0}'' parameters set: {1}", name, changes);
    }

    @Override
    public void unload(String name, boolean force) {
        List<Module> versions = registry.versions(name);
        if (versions.isEmpty()) {
            throw unknown(name);
        }
        int used = versions.stream().mapToInt(Module::usedBy).sum();
        if (used > 0 && !force) {
            throw new Layer45Exception(MODULE_IN_USE, "module '" + name + "' is used by " + used + " flow"
                    + (used == 1 ? "" : "s") + "; wait for them to close, or force the unload (rmmod -f), which"
                    + " detaches them and lets them go on uncustomized");
        }
        for (Module module : versions) {
            if (module.state() != ModuleState.UNLOADING) {
                unloadNow(module, "unloaded by an operator" + (force && used > 0 ? " (forced)" : ""));
                host.unloaded(module);
            }
        }
        try {
            parameters.store(name, Map.of()); // an unloaded module starts afresh if it is loaded again
        } catch (IOException e) {
            LOG.log(Level.WARNING, "module ''{0}'': could not forget its parameters: {1}", name, e.getMessage());
        }
        state.forget(name);
    }

    @Override
    public Map<String, Object> settings() {
        return flows.settings().toMap();
    }

    // ---------------------------------------------------------------------------------------------------------
    // For the deployer: replacing the jar of a module
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Declares that a bundle replaces another, before it starts: its modules may take over the other's names.
     *
     * @param newBundle the replacing bundle's id
     * @param oldBundle the replaced bundle's id
     */
    public void expectSuccessor(long newBundle, long oldBundle) {
        registry.expectSuccessor(newBundle, oldBundle);
    }

    /**
     * Ends a replacement: the new bundle has settled.
     *
     * @param newBundle the replacing bundle's id
     */
    public void endSuccession(long newBundle) {
        registry.endSuccession(newBundle);
    }

    /**
     * Retires the modules of a replaced or removed bundle: they keep their flows, attach to no new ones.
     *
     * @param bundleId the bundle's id
     */
    public void retireBundle(long bundleId) {
        for (Module module : registry.retireBundle(bundleId)) {
            LOG.log(Level.INFO, "module ''{0}'' from {1} retired: it keeps its {2} flows and attaches to no new ones",
                    module.name(), module.origin(), String.valueOf(module.usedBy()));
        }
    }

    /**
     * Stores parameters for a module before it is loaded, as {@code insmod NAME key=value} does: they apply when it
     * registers. They replace what was stored for that name.
     *
     * @param name the module's name
     * @param overrides {@code layer45.*} parameters
     * @return what was stored before, to put back with this method if the module is not loaded after all
     * @throws Layer45Exception {@link layer45.api.runtime.ErrorCode#INVALID_PARAMETER} if they do not parse, or
     *         {@link layer45.api.runtime.ErrorCode#INVALID_STATE} if a module of that name is already loaded
     */
    public Map<String, Object> presetParameters(String name, Map<String, ?> overrides) {
        synchronized (parameterLock) {
            if (registry.find(name).isPresent()) {
                throw new Layer45Exception(INVALID_STATE, "a module named '" + name + "' is already loaded; rmmod it"
                        + " first, or change its parameters with param");
            }
            try {
                ModuleSettings.parse(Map.of(), overrides);
            } catch (IllegalArgumentException e) {
                throw new Layer45Exception(INVALID_PARAMETER, "module '" + name + "': " + e.getMessage()
                        + "; nothing was installed");
            }
            Map<String, Object> before = parameters.load(name);
            try {
                parameters.store(name, new HashMap<>(overrides));
            } catch (IOException e) {
                throw new Layer45Exception(CONFIGURATION_FAILED, "cannot store the parameters of module '" + name
                        + "': " + e.getMessage(), e);
            }
            return before;
        }
    }

    /**
     * @param bundleId a bundle's id
     * @return the modules it provides now, current and retired
     */
    public List<Module> modulesOf(long bundleId) {
        return registry.ofBundle(bundleId);
    }

    /**
     * @param bundleId a bundle's id
     * @return the names of every module the bundle has loaded, including ones an operator unloaded since
     */
    public java.util.Set<String> loadedFrom(long bundleId) {
        return registry.loadedFrom(bundleId);
    }

    /** @param bundleId a bundle that was uninstalled; the runtime forgets what it loaded */
    public void forgetBundle(long bundleId) {
        registry.forgetBundle(bundleId);
    }

    /**
     * @param bundleId a bundle's id
     * @return registrations of that bundle refused since start, oldest first
     */
    public List<Refusal> refusalsOf(long bundleId) {
        return registry.refusals().stream().filter(r -> r.origin().bundleId() == bundleId).toList();
    }

    /** @return where operator settings are kept across restarts, for the log */
    public String stateLocation() {
        return state.where();
    }

    /** @param settings new limits and budgets; open flows use them from their next chunk */
    public void updateSettings(RuntimeSettings settings) {
        flows.settings(settings);
    }

    /** Stops the watchdog. Flows and modules are left to their owners. */
    @Override
    public void close() {
        watchdog.close();
    }

    private void unloadNow(Module module, String reason) {
        List<FlowBinding> bound = registry.beginUnload(module);
        for (FlowBinding binding : bound) {
            binding.detach(reason);
        }
        registry.remove(module);
        LOG.log(Level.INFO, "module ''{0}'' unloaded ({1}); detached from {2} flow{3}", module.name(), reason,
                String.valueOf(bound.size()), bound.size() == 1 ? "" : "s");
    }

    private void storeAndApply(Module module, Map<String, ?> changes) {
        synchronized (parameterLock) {
            storeAndApplyLocked(module, changes);
        }
    }

    private void storeAndApplyLocked(Module module, Map<String, ?> changes) {
        Map<String, Object> next = new HashMap<>(parameters.load(module.name()));
        for (Map.Entry<String, ?> change : changes.entrySet()) {
            if (change.getValue() == null) {
                next.remove(change.getKey());
            } else {
                next.put(change.getKey(), change.getValue());
            }
        }
        try {
            registry.check(module, next);
        } catch (IllegalArgumentException e) {
            throw new Layer45Exception(INVALID_PARAMETER, "module '" + module.name() + "': " + e.getMessage()
                    + "; nothing was changed");
        }
        try {
            parameters.store(module.name(), next);
        } catch (IOException | RuntimeException e) {
            throw new Layer45Exception(CONFIGURATION_FAILED, "cannot store the parameters of module '" + module.name()
                    + "': " + e.getMessage() + "; nothing was changed", e);
        }
        registry.reconfigure(module, null, next);
        state.runtimeParameters(module.name(), module.origin().symbolicName(), next);
    }

    private Module changeable(String name, String action) {
        Module module = registry.find(name).orElseThrow(() -> unknown(name));
        if (module.state() == ModuleState.UNLOADING || module.state() == ModuleState.LOADING) {
            throw new Layer45Exception(INVALID_STATE, "module '" + name + "' is " + module.state()
                    + " and cannot be " + action);
        }
        return module;
    }

    private static Layer45Exception unknown(String name) {
        return new Layer45Exception(UNKNOWN_MODULE, "no module named '" + name + "' is loaded; list them with lsmod");
    }
}
