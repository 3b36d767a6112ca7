package layer45.mnet.phy;

/** What one end of a {@link MemoryLink} counts. */
public enum MemoryLinkEvent {
    /** Packets this end sent to the other. */
    TX_PACKETS,
    /** Bytes of those packets. */
    TX_BYTES,
    /** Packets dropped on transmit because the other end had {@code capacity} packets waiting. */
    TX_QUEUE_FULL,
    /** Packets dropped on transmit because the link was closed. */
    TX_LINK_CLOSED,
    /** Packets this end handed to its stack. */
    RX_PACKETS,
    /** Bytes of those packets. */
    RX_BYTES
}
