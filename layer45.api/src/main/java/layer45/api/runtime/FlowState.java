package layer45.api.runtime;

/** Where a flow stands with respect to customization. */
public enum FlowState {
    /** No module matched; a module loaded later with apply-now may still attach. */
    UNMATCHED,
    /** At least one module is attached. */
    CUSTOMIZED,
    /** A module answered SKIP_FLOW: the flow passes unchanged for good. */
    BYPASSED,
    /** The flow was aborted by a module's error or fault. */
    ABORTED,
    /** The stack closed the flow. */
    CLOSED
}
