package layer45.api.runtime;

/** Runtime-wide counters. */
public class RuntimeStatsDTO {
    /** Modules loaded (in any state). */
    public int modules;
    /** Refusals since start: module registrations, and jars that could not be loaded. */
    public long refusals;
    /** Flows open now. */
    public int openFlows;
    /** Flows opened since start. */
    public long flowsOpened;
    /** Flows aborted by a module's error or fault since start. */
    public long flowsAborted;
    /** Send counters over all flows since start. */
    public CountersDTO send;
    /** Receive counters over all flows since start. */
    public CountersDTO recv;
    /** Modules deactivated automatically after exceeding the fault budget, since start. */
    public long autoDeactivations;
}
