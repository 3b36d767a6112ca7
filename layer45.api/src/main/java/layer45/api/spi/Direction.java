package layer45.api.spi;

/** The direction of a chunk through a flow. */
public enum Direction {
    /** From the application to the network: the send chain. */
    SEND,
    /** From the network to the application: the receive chain. */
    RECV
}
