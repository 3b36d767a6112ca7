package layer45.mnet.iface;

/** What an interface counts before a network layer takes a packet. */
public enum InterfaceEvent {
    /** Packets received from the device. */
    RECEIVED,
    /** Dropped: no network layer for the packet's link protocol. */
    UNKNOWN_PROTOCOL,
    /** Dropped: a plugged-in network protocol handler threw; the stack went on. */
    HANDLER_FAILED,
    /** Dropped: the stack itself failed on the packet (a bug: logged with its stack trace); the stack went on. */
    INTERNAL_ERROR
}
