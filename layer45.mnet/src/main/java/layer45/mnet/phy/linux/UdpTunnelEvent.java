package layer45.mnet.phy.linux;

/** What a {@link UdpTunnelDevice} counts, besides the malformed datagrams by {@link layer45.mnet.wire.TunnelCheck}. */
public enum UdpTunnelEvent {
    /** Packets handed to the stack. */
    RX_PACKETS,
    /** Bytes of those packets. */
    RX_BYTES,
    /** Datagrams from another address or port than the tunnel's other end: dropped. */
    RX_FOREIGN_SOURCE,
    /** Datagrams whose packet is longer than the tunnel's MTU (the other end has a larger one): dropped. */
    RX_TOO_LONG,
    /** Packets sent. */
    TX_PACKETS,
    /** Bytes of those packets. */
    TX_BYTES,
    /** Packets the kernel could not queue at once (its send buffer is full): dropped. */
    TX_FULL,
    /** Packets the kernel refused (no route to the other end, say): dropped. */
    TX_ERRORS,
    /** Packets offered after the tunnel closed or failed: dropped. */
    TX_DEVICE_DOWN
}
