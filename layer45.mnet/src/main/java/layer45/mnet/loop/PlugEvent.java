package layer45.mnet.loop;

/** What a stack counts as network protocols are plugged in and out (counter group {@code protocols}). */
public enum PlugEvent {
    /** A network protocol was plugged in. */
    PLUGGED,
    /** A network protocol was unplugged. */
    UNPLUGGED,
    /** Not plugged in: the stack's device cannot carry the protocol's link protocol number (a TUN device). */
    NOT_PLUGGED_DEVICE_CANNOT_CARRY,
    /** Not plugged in: the stack refused it (its link protocol number is taken, or its settings are wrong). */
    NOT_PLUGGED_REFUSED,
    /** UDP flows and TCP connections over a protocol, ended because it was unplugged. */
    FLOWS_ENDED_BY_UNPLUG
}
