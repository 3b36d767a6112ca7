package layer45.mnet.wire;

/**
 * An IPv4 or IPv6 header as a value, for code that serves both versions (ICMP error generation, socket
 * lookups): smoltcp's {@code IpRepr}.
 */
public sealed interface IpRepr permits Ipv4Repr, Ipv6Repr {

    /** @return 4 or 6 */
    int version();

    /** @return the source address */
    IpAddress src();

    /** @return the destination address */
    IpAddress dst();

    /** @return the payload length: bytes after the header (IPv6: extension headers included) */
    int payloadLength();

    /** @return the header length in bytes */
    int headerLength();

    /** @return header plus payload */
    int bufferLength();

    /**
     * @param protocol the transport protocol
     * @param transportLength the transport header plus payload length
     * @return the pseudo-header running sum for the transport checksum
     */
    long pseudoHeaderSum(int protocol, int transportLength);
}
