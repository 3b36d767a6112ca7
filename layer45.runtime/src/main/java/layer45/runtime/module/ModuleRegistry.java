package layer45.runtime.module;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.runtime.rules.ModuleRule;

/**
 * The loaded modules, by name, and the live ones in chain order.
 *
 * <p>A name belongs to one current module. When a jar is replaced, the new bundle is declared the successor of the
 * old one ({@link #expectSuccessor}); its module then takes over the name, and the old module retires: it stays,
 * DEPRECATED, with the flows it has, until it is unloaded. Retired modules are listed, but not found by name.
 *
 * <p>Flows never lock the registry: they read {@link #liveModules()} (an immutable array swapped on every change)
 * and two epochs, {@link #matchEpoch()} (a module that applies now went live) and {@link #orderEpoch()} (a priority
 * changed), and catch up at their next chunk. Changes synchronize on the registry.
 */
public final class ModuleRegistry {

    /** Modules of a flow are ordered by priority, then by name, so ties never depend on timing. */
    public static final Comparator<Module> CHAIN_ORDER =
            Comparator.comparingInt(Module::priority).thenComparing(Module::name);

    private static final Module[] NONE = new Module[0];
    private static final int REFUSALS_KEPT = 100;

    private final Map<String, Module> modules = new LinkedHashMap<>();
    private final List<Module> retired = new ArrayList<>();
    /** New bundle id to the bundle id it replaces. */
    private final Map<Long, Long> successors = new HashMap<>();
    /** Names each bundle has loaded, even if an operator unloaded them since: how a jar's loading is judged. */
    private final Map<Long, Set<String>> loadedByBundle = new HashMap<>();
    private final ArrayDeque<Refusal> refusals = new ArrayDeque<>();
    private long refusalCount;
    private long sequence;
    private volatile Module[] live = NONE;
    private volatile long matchEpoch;
    private volatile long orderEpoch;

    /**
     * Loads a customization: checks it, parses its settings, and makes it LIVE (or DEPRECATED, when the operator
     * deprecated it before a restart).
     *
     * @param name the module's name
     * @param service the registered service object
     * @param serviceProperties its service properties
     * @param overrides operator parameters for it
     * @param origin where it comes from
     * @param faultBudget faults tolerated in the fault window
     * @param faultWindowMillis the fault window
     * @return the module
     * @throws ModuleRefusedException if it cannot be run; the refusal is recorded
     */
    public Module load(String name, Object service, Map<String, ?> serviceProperties, Map<String, ?> overrides,
            ModuleOrigin origin, int faultBudget, long faultWindowMillis) throws ModuleRefusedException {
        long now = System.currentTimeMillis();
        synchronized (this) {
            String problem = checkName(name, origin);
            if (problem == null) {
                problem = checkPaths(service);
            }
            ModuleSettings settings = null;
            if (problem == null) {
                try {
                    settings = ModuleSettings.parse(serviceProperties, overrides);
                } catch (IllegalArgumentException e) {
                    problem = "its parameters do not parse: " + e.getMessage();
                }
            }
            if (problem != null) {
                throw new ModuleRefusedException(refuse(name, origin, problem, now));
            }
            Module module = new Module(name, (Customization) service, origin, Map.copyOf(serviceProperties),
                    Map.copyOf(overrides), settings, faultBudget, faultWindowMillis);
            Module predecessor = modules.get(name);
            if (predecessor != null) {
                retire(predecessor, now); // checkName allowed it: this bundle succeeds the predecessor's
            }
            modules.put(name, module);
            loadedByBundle.computeIfAbsent(origin.bundleId(), id -> new HashSet<>()).add(name);
            module.becomeLive(++sequence, now);
            if (settings.deprecated()) {
                module.deprecate(now);
            }
            publish();
            if (settings.applyNow()) {
                matchEpoch++;
            }
            return module;
        }
    }

    /**
     * Records a refusal made outside {@link #load} (a service that could not even be obtained, say).
     *
     * @param name what was refused
     * @param origin where it came from
     * @param reason why, and what to do
     * @param time when, in epoch milliseconds
     * @return the refusal
     */
    public synchronized Refusal refuse(String name, ModuleOrigin origin, String reason, long time) {
        Refusal refusal = new Refusal(name, origin, reason, time);
        refusals.addLast(refusal);
        refusalCount++;
        if (refusals.size() > REFUSALS_KEPT) {
            refusals.removeFirst();
        }
        return refusal;
    }

    /**
     * Re-parses a module's settings after its service properties or the operator's parameters changed.
     *
     * @param module the module
     * @param serviceProperties the new service properties, or {@code null} to keep the current ones
     * @param overrides the new operator parameters, or {@code null} to keep the current ones
     * @throws IllegalArgumentException if the result does not parse; nothing is changed
     */
    public void reconfigure(Module module, Map<String, ?> serviceProperties, Map<String, ?> overrides) {
        synchronized (this) {
            Map<String, ?> props = serviceProperties != null ? Map.copyOf(serviceProperties) : module.serviceProperties();
            Map<String, ?> over = overrides != null ? Map.copyOf(overrides) : module.overrides();
            ModuleSettings settings = ModuleSettings.parse(props, over);
            int oldPriority = module.priority();
            module.apply(props, over, settings);
            if (settings.deprecated()) {
                module.deprecate(System.currentTimeMillis());
            }
            if (settings.priority() != oldPriority) {
                orderEpoch++;
            }
            publish();
        }
    }

    /**
     * Checks operator parameters against a module without applying them.
     *
     * @param module the module
     * @param overrides the parameters it would have
     * @throws IllegalArgumentException if they do not parse
     */
    public void check(Module module, Map<String, ?> overrides) {
        ModuleSettings.parse(module.serviceProperties(), overrides);
    }

    /**
     * An operator's explicit (de)activation, which also revives a module the runtime deactivated.
     *
     * @param module the module
     * @param active the flag
     */
    public void setActive(Module module, boolean active) {
        module.setActive(active);
    }

    /**
     * Deprecates a LIVE module.
     *
     * @param module the module
     * @return whether it changed (false if already deprecated)
     */
    public boolean deprecate(Module module) {
        synchronized (this) {
            boolean changed = module.deprecate(System.currentTimeMillis());
            publish();
            return changed;
        }
    }

    /**
     * Starts unloading a module: it leaves the live list and attaches to nothing more.
     *
     * @param module the module
     * @return the flows it was attached to, to detach
     */
    public List<FlowBinding> beginUnload(Module module) {
        synchronized (this) {
            List<FlowBinding> bound = module.beginUnload();
            publish();
            return bound;
        }
    }

    /**
     * Forgets an unloaded module; a flow losing a module may take another in its place.
     *
     * @param module the module, detached from every flow
     */
    public synchronized void remove(Module module) {
        if (modules.get(module.name()) == module) {
            modules.remove(module.name());
        }
        retired.remove(module);
        matchEpoch++;
    }

    /**
     * Declares that a bundle replaces another: its modules may take over the names of the other's.
     *
     * @param newBundle the replacing bundle's id
     * @param oldBundle the replaced bundle's id
     */
    public synchronized void expectSuccessor(long newBundle, long oldBundle) {
        successors.put(newBundle, oldBundle);
    }

    /**
     * Retires every current module of a bundle (it was replaced or removed): they stay, DEPRECATED, with their flows.
     *
     * @param bundleId the bundle's id
     * @return the modules retired now
     */
    public synchronized List<Module> retireBundle(long bundleId) {
        List<Module> now = new ArrayList<>();
        for (Module m : List.copyOf(modules.values())) {
            if (m.origin().bundleId() == bundleId) {
                retire(m, System.currentTimeMillis());
                now.add(m);
            }
        }
        return now;
    }

    /**
     * Ends a replacement started with {@link #expectSuccessor}: the new bundle's modules have registered (or were
     * refused), and no later registration may take over a name through it.
     *
     * @param newBundle the replacing bundle's id
     */
    public synchronized void endSuccession(long newBundle) {
        successors.remove(newBundle);
    }

    private void retire(Module module, long now) {
        modules.remove(module.name());
        module.deprecate(now);
        retired.add(module);
        publish();
    }

    /**
     * @param name a module name
     * @return the current module with that name
     */
    public synchronized Optional<Module> find(String name) {
        return Optional.ofNullable(modules.get(name));
    }

    /**
     * @param name a module name
     * @return every loaded version of it: the current one first, then retired ones still draining
     */
    public synchronized List<Module> versions(String name) {
        List<Module> versions = new ArrayList<>();
        Module current = modules.get(name);
        if (current != null) {
            versions.add(current);
        }
        for (Module m : retired) {
            if (m.name().equals(name)) {
                versions.add(m);
            }
        }
        return versions;
    }

    /**
     * @param bundleId a bundle's id
     * @return the names of every module the bundle has loaded, including ones unloaded since
     */
    public synchronized Set<String> loadedFrom(long bundleId) {
        return Set.copyOf(loadedByBundle.getOrDefault(bundleId, Set.of()));
    }

    /** @param bundleId a bundle that is gone; its history is forgotten */
    public synchronized void forgetBundle(long bundleId) {
        loadedByBundle.remove(bundleId);
    }

    /**
     * @param bundleId a bundle's id
     * @return the modules it provides, current and retired
     */
    public synchronized List<Module> ofBundle(long bundleId) {
        List<Module> found = new ArrayList<>();
        for (Module m : all()) {
            if (m.origin().bundleId() == bundleId) {
                found.add(m);
            }
        }
        return found;
    }

    /** @return every loaded module, current and retired, as DTOs, by name (retired versions after current ones) */
    public List<ModuleDTO> toDTOs() {
        return all().stream().sorted(Comparator.comparing(Module::name)).map(Module::toDTO).toList();
    }

    /** @return every loaded module, current ones first, then retired ones */
    public synchronized List<Module> all() {
        List<Module> all = new ArrayList<>(modules.values());
        all.addAll(retired);
        return all;
    }

    /** @return the LIVE modules in chain order; immutable, do not modify */
    public Module[] liveModules() {
        return live;
    }

    /** @return the sequence number of the most recent module to go live */
    public synchronized long sequence() {
        return sequence;
    }

    /** @return changes whenever a module that applies now goes live, or a module is removed */
    public long matchEpoch() {
        return matchEpoch;
    }

    /** @return changes whenever a module's priority changes */
    public long orderEpoch() {
        return orderEpoch;
    }

    /** @return recent refusals, oldest first */
    public synchronized List<Refusal> refusals() {
        return List.copyOf(refusals);
    }

    /** @return refusals since start */
    public synchronized long refusalCount() {
        return refusalCount;
    }

    private void publish() {
        Module[] next = modules.values().stream().filter(m -> m.state() == ModuleState.LIVE).toArray(Module[]::new);
        Arrays.sort(next, CHAIN_ORDER);
        live = next;
    }

    private String checkName(String name, ModuleOrigin origin) {
        if (name == null || name.isBlank()) {
            return "it has no name: register it as a Declarative Services component (its component name is the"
                    + " module's name)";
        }
        if (!name.chars().allMatch(c -> c > ' ' && c < 127)) {
            return "its name '" + name + "' has spaces or characters outside printable ASCII; operators type it in"
                    + " shell commands, so give the component a plain name such as 'dns-tag'";
        }
        Module existing = modules.get(name);
        if (existing != null && !succeeds(origin, existing.origin())) {
            return "a module named '" + name + "' is already loaded from " + existing.origin()
                    + "; give the component another name or unload the other one first";
        }
        return null;
    }

    private boolean succeeds(ModuleOrigin candidate, ModuleOrigin existing) {
        Long replaced = successors.get(candidate.bundleId());
        return replaced != null && replaced == existing.bundleId() && existing.bundleId() >= 0;
    }

    /**
     * Rule 1: both paths must be there, and the object must really be a Customization of this API.
     *
     * @param service the service object
     * @return why it cannot be a module, or {@code null} if it can
     */
    public static String checkPaths(Object service) {
        if (!(service instanceof Customization)) {
            return "the object registered as a layer45.api.Customization is a " + service.getClass().getName()
                    + ", which is not a layer45.api.Customization as this runtime sees it (its bundle may be wired"
                    + " to another copy of the API); build it against layer45.api 1.x and import the API package";
        }
        for (String path : new String[] { "send", "recv" }) {
            try {
                Method method = service.getClass().getMethod(path, Chunk.class, Output.class, Flow.class);
                if (Modifier.isAbstract(method.getModifiers())) {
                    return ModuleRule.BOTH_PATHS.broken(service.getClass().getName() + " has no " + path
                            + "(Chunk, Output, Flow): it was built against an API without it, so rebuild it against"
                            + " layer45.api 1.x");
                }
            } catch (NoSuchMethodException e) {
                return ModuleRule.BOTH_PATHS.broken(service.getClass().getName() + " has no public " + path
                        + "(Chunk, Output, Flow)");
            }
        }
        return null;
    }
}
