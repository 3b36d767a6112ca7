package layer45.api.runtime;

/**
 * The life of a loaded customization module, after the kernel's module states.
 *
 * <pre>
 *   LOADING --validated--> LIVE --deprecate--> DEPRECATED
 *      |                    |                      |
 *      | refused            +-------unload---------+--> UNLOADING --detached--> (gone)
 *      v
 *   (refusal, with reason)
 * </pre>
 * Being active or not is a separate flag, valid in LIVE and DEPRECATED.
 */
public enum ModuleState {
    /** Registered and being checked; not attached to any flow yet. */
    LOADING,
    /** Attaches to new matching flows and customizes the flows it is attached to. */
    LIVE,
    /** Keeps customizing the flows it is attached to and attaches to no new ones (rule 11). There is no way back. */
    DEPRECATED,
    /** Being detached from its flows before it goes away; attaches to nothing and is no longer called. */
    UNLOADING
}
