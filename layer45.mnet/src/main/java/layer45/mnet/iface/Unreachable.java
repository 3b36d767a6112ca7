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

    /** @return the ICMP code of destination unreachable */
    public int icmpv4Code() {
        return icmpv4Code;
    }

    /** @return the ICMPv6 code of destination unreachable */
    public int icmpv6Code() {
        return icmpv6Code;
    }
}
