package layer45.mnet.iface;

/**
 * Why a packet could not be delivered, as an ICMP destination-unreachable error tells its sender: each maps to the
 * code of ICMP (RFC 792) and ICMPv6 (RFC 4443) that gives a program the matching error ({@code ENETUNREACH},
 * {@code EHOSTUNREACH}, {@code ECONNREFUSED}, {@code EACCES}).
 */
public enum Unreachable {
    /** No route to the destination's network. */
    NETWORK(layer45.mnet.wire.Icmpv4Type.NET_UNREACHABLE, layer45.mnet.wire.Icmpv6Type.NO_ROUTE),
    /** The destination host does not answer. */
    HOST(layer45.mnet.wire.Icmpv4Type.HOST_UNREACHABLE, layer45.mnet.wire.Icmpv6Type.ADDRESS_UNREACHABLE),
    /** Nothing listens on the destination port (UDP). */
    PORT(layer45.mnet.wire.Icmpv4Type.PORT_UNREACHABLE, layer45.mnet.wire.Icmpv6Type.PORT_UNREACHABLE),
    /** Refused by policy. */
    PROHIBITED(layer45.mnet.wire.Icmpv4Type.ADMIN_PROHIBITED, layer45.mnet.wire.Icmpv6Type.ADMIN_PROHIBITED);

    private final int icmpv4Code;
    private final int icmpv6Code;

    Unreachable(int icmpv4Code, int icmpv6Code) {
        this.icmpv4Code = icmpv4Code;
        this.icmpv6Code = icmpv6Code;
    }

    /**
     * @param code the code of an ICMP destination-unreachable message (RFC 792, RFC 1812 5.2.7.1)
     * @return what it says, or {@code null} for codes that are no reason to give up on the destination
     *         (fragmentation needed: a path MTU matter)
     */
    public static Unreachable ofIcmpv4(int code) {
        return switch (code) {
            case 0, 6, 11 -> NETWORK;
            case 1, 5, 7, 8, 12, 14, 15 -> HOST;
            case 2, 3 -> PORT;
            case 9, 10, 13 -> PROHIBITED;
            default -> null;
        };
    }

    /**
     * @param code the code of an ICMPv6 destination-unreachable message (RFC 4443, 3.1)
     * @return what it says
     */
    public static Unreachable ofIcmpv6(int code) {
        return switch (code) {
            case 0 -> NETWORK;
            case 4 -> PORT;
            case 1, 5, 6 -> PROHIBITED;
            default -> HOST; // 2 beyond the source's scope, 3 address unreachable, and codes yet to come
        };
    }

    /** @return the error in a few words, as a program would hear it, such as {@code "host unreachable (ICMP)"} */
    public String words() {
        return switch (this) {
            case NETWORK -> "network unreachable (ICMP)";
            case HOST -> "host unreachable (ICMP)";
            case PORT -> "port unreachable (ICMP)";
            case PROHIBITED -> "administratively prohibited (ICMP)";
        };
    }

    /** @return the ICMP code of destination unreachable */
    public int icmpv4Code() {
        return icmpv4Code;
    }

    /** @return the ICMPv6 code of destination unreachable */
    public int icmpv6Code() {
        return icmpv6Code;
    }
}
