package layer45.mnet.phy;

/** What a {@link PcapWriterDevice} counts. */
public enum PcapEvent {
    /** Received packets written to the capture file. */
    RX_CAPTURED,
    /** Transmitted packets written to the capture file. */
    TX_CAPTURED,
    /** Of those, packets of a link protocol other than IPv4 and IPv6 (shown as malformed by pcap readers). */
    NON_IP_CAPTURED,
    /** Packets not written because capture stopped: the file failed or was closed. */
    NOT_CAPTURED
}
