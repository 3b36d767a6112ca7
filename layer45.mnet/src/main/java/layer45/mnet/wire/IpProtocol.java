package layer45.mnet.wire;

/**
 * IP protocol numbers, the values of the IPv4 Protocol and IPv6 Next Header fields (IANA "Assigned Internet Protocol
 * Numbers"). Plain {@code int} constants so the hot path compares numbers; {@link #name(int)} prints any value.
 */
public final class IpProtocol {

    /** IPv6 Hop-by-Hop Options (RFC 8200, section 4.3). */
    public static final int HOPOPT = 0;
    /** ICMP for IPv4 (RFC 792). */
    public static final int ICMP = 1;
    /** IGMP (RFC 1112). */
    public static final int IGMP = 2;
    /** IPv4 encapsulation (RFC 2003). */
    public static final int IPV4 = 4;
    /** TCP (RFC 9293). */
    public static final int TCP = 6;
    /** UDP (RFC 768). */
    public static final int UDP = 17;
    /** IPv6 encapsulation (RFC 2473). */
    public static final int IPV6 = 41;
    /** IPv6 Routing header (RFC 8200, section 4.4). */
    public static final int IPV6_ROUTE = 43;
    /** IPv6 Fragment header (RFC 8200, section 4.5). */
    public static final int IPV6_FRAG = 44;
    /** GRE (RFC 2784). */
    public static final int GRE = 47;
    /** Encapsulating Security Payload (RFC 4303). */
    public static final int ESP = 50;
    /** Authentication Header (RFC 4302). */
    public static final int AH = 51;
    /** ICMP for IPv6 (RFC 4443). */
    public static final int ICMPV6 = 58;
    /** IPv6 No Next Header (RFC 8200, section 4.7). */
    public static final int IPV6_NONXT = 59;
    /** IPv6 Destination Options (RFC 8200, section 4.6). */
    public static final int IPV6_OPTS = 60;
    /** SCTP (RFC 9260). */
    public static final int SCTP = 132;
    /** UDP-Lite (RFC 3828). */
    public static final int UDPLITE = 136;

    private IpProtocol() {
    }

    /**
     * @param protocol a protocol number
     * @return its short name ({@code tcp}, {@code ipv6-frag}), or the number itself if unknown; never throws
     */
    public static String name(int protocol) {
        return switch (protocol) {
            case HOPOPT -> "hopopt";
            case ICMP -> "icmp";
            case IGMP -> "igmp";
            case IPV4 -> "ipv4";
            case TCP -> "tcp";
            case UDP -> "udp";
            case IPV6 -> "ipv6";
            case IPV6_ROUTE -> "ipv6-route";
            case IPV6_FRAG -> "ipv6-frag";
            case GRE -> "gre";
            case ESP -> "esp";
            case AH -> "ah";
            case ICMPV6 -> "ipv6-icmp";
            case IPV6_NONXT -> "ipv6-nonxt";
            case IPV6_OPTS -> "ipv6-opts";
            case SCTP -> "sctp";
            case UDPLITE -> "udplite";
            default -> Integer.toString(protocol);
        };
    }
}
