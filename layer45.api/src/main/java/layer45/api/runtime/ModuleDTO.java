package layer45.api.runtime;

import java.util.Map;


/** A loaded customization module, as {@code lsmod} and {@code modinfo} show it. */
public class ModuleDTO {
    /** The module's name (its component name). */
    public String name;
    /** The providing bundle's id. */
    public long bundleId;
    /** The providing bundle's symbolic name. */
    public String bundleSymbolicName;
    /** The providing bundle's version. */
    public String bundleVersion;
    /** Where it is in its life. */
    public ModuleState state;
    /** Whether it customizes the flows it is attached to. */
    public boolean active;
    /** Chain position, lower first. */
    public int priority;
    /** Whether it attached to flows already open when it was loaded. */
    public boolean applyNow;
    /** The flows it attaches to. */
    public TargetDTO target;
    /** Number of open flows it is attached to (the "used by" count). */
    public int usedBy;
    /** Send counters, over all flows ever attached. */
    public CountersDTO send;
    /** Receive counters, over all flows ever attached. */
    public CountersDTO recv;
    /** Faults in the current fault-budget window (reset when an operator activates the module). */
    public long budgetFaults;
    /** The most recent fault or error, or "". */
    public String lastProblem;
    /** Why it was deactivated by the runtime, or "" if it was not. */
    public String deactivatedReason;
    /** When it became LIVE, in epoch milliseconds, or 0. */
    public long loadedAt;
    /** When it was deprecated, in epoch milliseconds, or 0. */
    public long deprecatedAt;
    /** Its parameters as effectively applied, by property name (the layer45.* properties). */
    public Map<String, Object> parameters;
    /** The parameters an operator set, which override the module's own values, by property name. */
    public Map<String, Object> overrides;
}
