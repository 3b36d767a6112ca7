package layer45.api.runtime;

/** Where a customization jar stands, from the moment it was found to the moment it goes. */
public enum DeploymentState {
    /** Being checked, installed and started; its modules are not all live yet. */
    LOADING,
    /** Installed and started; its modules are loaded. */
    ACTIVE,
    /** Replaced or removed: its modules attach to no new flows, and the bundle goes when their last flow closes. */
    DRAINING,
    /** Not loaded, for the reason given; a corrected jar in its place is tried again. */
    REFUSED
}
