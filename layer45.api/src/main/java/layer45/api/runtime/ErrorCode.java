package layer45.api.runtime;

/** Stable codes for the ways a management request can fail; each constant documents its message. */
public enum ErrorCode {
    /** "no module named NAME is loaded": check the name with the module list. */
    UNKNOWN_MODULE,
    /** "module NAME is used by N flows": wait for them to close, or force the unload. */
    MODULE_IN_USE,
    /** "module NAME is STATE and cannot be ACTION": the state diagram in {@link ModuleState} says what can. */
    INVALID_STATE,
    /** "KEY=VALUE: why": a parameter value that does not parse or is out of range. */
    INVALID_PARAMETER,
    /** "cannot store the parameters of NAME: cause": the configuration store failed; nothing was changed. */
    CONFIGURATION_FAILED,
    /** "JAR refused: reason": a jar could not be loaded; the reason says what to fix. */
    REFUSED
}
