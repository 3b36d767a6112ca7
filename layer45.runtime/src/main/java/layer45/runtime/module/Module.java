package layer45.runtime.module;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import layer45.api.Customization;
import layer45.api.runtime.CountersDTO;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.ModuleState;
import layer45.api.spi.Direction;
import layer45.runtime.stats.Counters;

/**
 * One loaded customization: the service, its settings, its state, and the flows it is attached to.
 *
 * <p>State, settings and the active flag are volatile: flows read them on every chunk without locking. Changes
 * that must agree with attaching (state transitions, attach itself) synchronize on the module.
 */
public final class Module {

    private final String name;
    private final Customization customization;
    private final ModuleOrigin origin;
    private final Set<FlowBinding> bindings = ConcurrentHashMap.newKeySet();
    private final Counters retiredSend = new Counters();
    private final Counters retiredRecv = new Counters();
    private final FaultBudget faultBudget;

    private volatile ModuleState state = ModuleState.LOADING;
    private volatile ModuleSettings settings;
    private volatile boolean active;
    private volatile long liveSequence = Long.MAX_VALUE;
    private volatile Map<String, ?> serviceProperties;
    private volatile Map<String, ?> overrides;
    private volatile String lastProblem = "";
    private volatile String deactivatedReason = "";
    private volatile long loadedAt;
    private volatile long deprecatedAt;

    Module(String name, Customization customization, ModuleOrigin origin, Map<String, ?> serviceProperties,
            Map<String, ?> overrides, ModuleSettings settings, int faultBudget, long faultWindowMillis) {
        this.name = name;
        this.customization = customization;
        this.origin = origin;
        this.serviceProperties = serviceProperties;
        this.overrides = overrides;
        this.settings = settings;
        this.active = settings.active();
        this.faultBudget = new FaultBudget(faultBudget, faultWindowMillis);
    }

    /** @return the module's name */
    public String name() {
        return name;
    }

    /** @return the customization service */
    public Customization customization() {
        return customization;
    }

    /** @return where it comes from */
    public ModuleOrigin origin() {
        return origin;
    }

    /** @return its state */
    public ModuleState state() {
        return state;
    }

    /** @return its settings */
    public ModuleSettings settings() {
        return settings;
    }

    /** @return its chain position */
    public int priority() {
        return settings.priority();
    }

    /** @return whether it customizes now (the configured flag, unless the runtime deactivated it) */
    public boolean active() {
        return active;
    }

    /** @return whether a flow should call it: active and not unloading */
    public boolean callable() {
        return active && state != ModuleState.UNLOADING;
    }

    /**
     * @return the registry sequence number at which it became LIVE; flows opened before that attach it only when it
     *         applies now
     */
    public long liveSequence() {
        return liveSequence;
    }

    /** @return the flows it is attached to */
    public Set<FlowBinding> bindings() {
        return bindings;
    }

    /** @return the number of flows it is attached to */
    public int usedBy() {
        return bindings.size();
    }

    /** @return the most recent fault or error, or "" */
    public String lastProblem() {
        return lastProblem;
    }

    /** @return why the runtime deactivated it, or "" */
    public String deactivatedReason() {
        return deactivatedReason;
    }

    Map<String, ?> serviceProperties() {
        return serviceProperties;
    }

    Map<String, ?> overrides() {
        return overrides;
    }

    /**
     * Attaches a flow, unless the module stopped accepting new flows.
     *
     * @param binding the attachment
     * @return whether it was attached: only a LIVE module attaches
     */
    public synchronized boolean attach(FlowBinding binding) {
        if (state != ModuleState.LIVE) {
            return false;
        }
        bindings.add(binding);
        return true;
    }

    /**
     * Forgets a detached flow and adds its counters to the module's totals.
     *
     * @param binding the attachment, detached
     */
    public void retire(FlowBinding binding) {
        if (bindings.remove(binding)) {
            synchronized (this) {
                binding.counters(Direction.SEND).addTo(retiredSend);
                binding.counters(Direction.RECV).addTo(retiredRecv);
            }
        }
    }

    /**
     * Records a module-reported error (verdict ERROR or a negative copy length).
     *
     * @param problem what happened
     */
    public void recordError(String problem) {
        lastProblem = problem;
    }

    /**
     * Records a fault and deactivates the module when it exceeds its fault budget.
     *
     * @param problem what happened
     * @param now the time in milliseconds
     * @return the reason it was deactivated now, or {@code null}
     */
    public synchronized String recordFault(String problem, long now) {
        lastProblem = problem;
        if (faultBudget.record(now) && active) {
            active = false;
            deactivatedReason = "deactivated by the runtime after more faults than its budget allows ("
                    + faultBudget.inWindow(now) + " in the window); last: " + problem
                    + ". Fix the module, then activate it again";
            return deactivatedReason;
        }
        return null;
    }

    synchronized void becomeLive(long sequence, long now) {
        state = ModuleState.LIVE;
        liveSequence = sequence;
        loadedAt = now;
    }

    synchronized boolean deprecate(long now) {
        if (state != ModuleState.LIVE) {
            return false;
        }
        state = ModuleState.DEPRECATED;
        deprecatedAt = now;
        return true;
    }

    /** @return the flows attached when it started unloading; it attaches to nothing from now on */
    synchronized List<FlowBinding> beginUnload() {
        state = ModuleState.UNLOADING;
        return List.copyOf(bindings);
    }

    /** Replaces the settings; the active flag follows only when the configured flag itself changed. */
    synchronized void apply(Map<String, ?> serviceProperties, Map<String, ?> overrides, ModuleSettings settings) {
        boolean wasConfiguredActive = this.settings.active();
        this.serviceProperties = serviceProperties;
        this.overrides = overrides;
        this.settings = settings;
        if (settings.active() != wasConfiguredActive) {
            setActive(settings.active());
        }
    }

    /** An operator's explicit (de)activation: applies even when the flag is unchanged, to revive a module. */
    synchronized void setActive(boolean on) {
        active = on;
        if (on) {
            deactivatedReason = "";
            faultBudget.reset();
        }
    }

    /** @return the module as a DTO, counters summed over retired and attached flows */
    public ModuleDTO toDTO() {
        ModuleDTO dto = new ModuleDTO();
        ModuleSettings s = settings;
        dto.name = name;
        dto.bundleId = origin.bundleId();
        dto.bundleSymbolicName = origin.symbolicName();
        dto.bundleVersion = origin.version();
        dto.state = state;
        dto.active = active;
        dto.priority = s.priority();
        dto.applyNow = s.applyNow();
        dto.target = s.target().toDTO();
        dto.parameters = Map.copyOf(s.parameters());
        dto.overrides = Map.copyOf(overrides);
        dto.usedBy = bindings.size();
        CountersDTO send;
        CountersDTO recv;
        synchronized (this) {
            send = retiredSend.toDTO();
            recv = retiredRecv.toDTO();
            dto.budgetFaults = faultBudget.inWindow(System.currentTimeMillis());
        }
        for (FlowBinding binding : bindings) {
            binding.counters(Direction.SEND).sumInto(send);
            binding.counters(Direction.RECV).sumInto(recv);
        }
        dto.send = send;
        dto.recv = recv;
        dto.lastProblem = lastProblem;
        dto.deactivatedReason = deactivatedReason;
        dto.loadedAt = loadedAt;
        dto.deprecatedAt = deprecatedAt;
        return dto;
    }

    @Override
    public String toString() {
        return "module '" + name + "' (" + state + ", " + origin + ")";
    }
}
