package layer45.api;

/** Which side opened a flow. */
public enum Initiator {
    /** The local application: it connected (TCP) or sent the first datagram (UDP). */
    LOCAL,
    /** The remote peer: the application accepted the connection (TCP) or received the first datagram (UDP). */
    REMOTE
}
