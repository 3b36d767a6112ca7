package layer45.api.runtime;

/** Traffic counters for one direction of a module or a flow. */
public class CountersDTO {
    /** Chunks that went through the chain. */
    public long chunks;
    /**
     * Bytes taken from the application (send) or the network (recv); bytes a module held are counted once, when
     * they arrived.
     */
    public long bytesIn;
    /** Bytes delivered to the network (send) or the application (recv). */
    public long bytesOut;
    /** Chunks whose output was a module's (DELIVER). */
    public long customized;
    /** Chunks passed unchanged (no module decided, NO_CUSTOMIZATION, inactive, bypassed). */
    public long passed;
    /** Chunks dropped (DROP, or DELIVER of nothing). */
    public long dropped;
    /** Chunks kept whole by a module reassembling frames: delivered later, with the bytes that complete them. */
    public long held;
    /** Bytes held back by a module and discarded when the stream ended. */
    public long heldDiscarded;
    /** Errors reported by a module (ERROR, negative copy length); each aborted a flow. */
    public long errors;
    /** Faults: a module threw, broke a rule, or overran its time budget; each aborted a flow. */
    public long faults;
}
