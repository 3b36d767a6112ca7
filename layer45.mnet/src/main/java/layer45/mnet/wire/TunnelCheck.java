package layer45.mnet.wire;

/** The outcome of checking a tunnel datagram ({@link TunnelFrame#check()}): valid, or why it is dropped. */
public enum TunnelCheck {
    /** A frame of this tunnel: its link protocol and packet may be read. */
    VALID,
    /** Shorter than the {@value TunnelFrame#HEADER_LENGTH}-byte header. */
    TRUNCATED,
    /** The first two bytes are not the magic {@code L5}: not a layer45 tunnel datagram (a foreign sender). */
    BAD_MAGIC,
    /** A version this end does not speak. */
    BAD_VERSION,
    /** The link protocol number is below 0x0600, so not an EtherType. */
    BAD_PROTOCOL,
    /** A header without a packet. */
    EMPTY
}
