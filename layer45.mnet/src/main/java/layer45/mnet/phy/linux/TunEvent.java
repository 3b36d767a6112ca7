package layer45.mnet.phy.linux;

/** What a {@link TunDevice} counts; see {@link TunDevice#counters()}. */
public enum TunEvent {
    /** IPv4 and IPv6 packets handed to the stack. */
    RX_PACKETS,
    /** Bytes of those packets. */
    RX_BYTES,
    /** Packets read whose version nibble was neither 4 nor 6: dropped. */
    RX_NOT_IP,
    /** Packets longer than the device's MTU (the link's MTU is larger than the stack's): dropped. */
    RX_TOO_LONG,
    /** Packets sent. */
    TX_PACKETS,
    /** Bytes of those packets. */
    TX_BYTES,
    /** Packets of a link protocol other than IPv4 and IPv6, which a TUN device cannot carry: dropped. */
    TX_UNSUPPORTED_PROTOCOL,
    /** Packets the kernel could not queue at once ({@code EAGAIN}, {@code ENOBUFS}): dropped. */
    TX_FULL,
    /** Packets the kernel refused as malformed ({@code EINVAL}: no IPv4 or IPv6 header): dropped. */
    TX_REJECTED,
    /** Packets offered after the device closed or failed: dropped. */
    TX_DEVICE_DOWN,
    /** System calls that failed for a reason other than the above; the first one makes the device fail. */
    IO_ERRORS,
    /** Wakeups read from the device's eventfd by {@link TunDevice#await}. */
    WAKEUPS
}
