package layer45.mnet.phy;

/**
 * Link protocol numbers: which network protocol a packet on a device carries. They are EtherType values (IEEE
 * 802), as the Linux {@code tun_pi} header and gVisor's {@code NetworkProtocolNumber} use them, so a pluggable
 * network protocol picks its number from the same space.
 *
 * <p>A TUN device without packet information carries only IPv4 and IPv6 and tells them apart by the version
 * nibble; an in-memory link carries any number.
 */
public final class LinkProtocol {

    /** IPv4 (RFC 791). */
    public static final int IPV4 = 0x0800;
    /** IPv6 (RFC 8200). */
    public static final int IPV6 = 0x86DD;
    /** IEEE 802 "Local Experimental EtherType 1": the number custom network protocols use in tests. */
    public static final int EXPERIMENTAL_1 = 0x88B5;
    /** IEEE 802 "Local Experimental EtherType 2". */
    public static final int EXPERIMENTAL_2 = 0x88B6;

    private LinkProtocol() {
    }

    /**
     * Tells the link protocol of an IP packet from its first byte, as a TUN device without packet information
     * must.
     *
     * @param firstByte the packet's first byte
     * @return {@link #IPV4}, {@link #IPV6}, or 0 when the version nibble is neither
     */
    public static int ofIpVersion(int firstByte) {
        return switch ((firstByte & 0xF0) >>> 4) {
            case 4 -> IPV4;
            case 6 -> IPV6;
            default -> 0;
        };
    }

    /**
     * @param protocol a link protocol number
     * @return a short name for logs: {@code ipv4}, {@code ipv6}, or the number in hex
     */
    public static String name(int protocol) {
        return switch (protocol) {
            case IPV4 -> "ipv4";
            case IPV6 -> "ipv6";
            default -> String.format("0x%04x", protocol);
        };
    }
}
