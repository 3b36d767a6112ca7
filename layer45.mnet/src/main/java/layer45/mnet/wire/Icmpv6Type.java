package layer45.mnet.wire;

/**
 * ICMPv6 message types and codes (RFC 4443, RFC 4861, RFC 2710, RFC 3810). Codes are grouped under the type they
 * belong to. Types below 128 are errors.
 */
public final class Icmpv6Type {

    /** Destination Unreachable (RFC 4443, section 3.1). */
    public static final int DEST_UNREACHABLE = 1;
    /** Packet Too Big (RFC 4443, section 3.2). */
    public static final int PACKET_TOO_BIG = 2;
    /** Time Exceeded (RFC 4443, section 3.3). */
    public static final int TIME_EXCEEDED = 3;
    /** Parameter Problem (RFC 4443, section 3.4). */
    public static final int PARAMETER_PROBLEM = 4;
    /** Echo Request (RFC 4443, section 4.1). */
    public static final int ECHO_REQUEST = 128;
    /** Echo Reply (RFC 4443, section 4.2). */
    public static final int ECHO_REPLY = 129;
    /** Multicast Listener Query (RFC 2710). */
    public static final int MLD_QUERY = 130;
    /** Multicast Listener Report, version 1 (RFC 2710). */
    public static final int MLD_REPORT = 131;
    /** Multicast Listener Done (RFC 2710). */
    public static final int MLD_DONE = 132;
    /** Router Solicitation (RFC 4861). */
    public static final int ROUTER_SOLICIT = 133;
    /** Router Advertisement (RFC 4861). */
    public static final int ROUTER_ADVERT = 134;
    /** Neighbor Solicitation (RFC 4861). */
    public static final int NEIGHBOR_SOLICIT = 135;
    /** Neighbor Advertisement (RFC 4861). */
    public static final int NEIGHBOR_ADVERT = 136;
    /** Redirect (RFC 4861). */
    public static final int REDIRECT = 137;
    /** Multicast Listener Report, version 2 (RFC 3810). */
    public static final int MLDV2_REPORT = 143;

    /** Destination Unreachable: no route to destination. */
    public static final int NO_ROUTE = 0;
    /** Destination Unreachable: communication administratively prohibited. */
    public static final int ADMIN_PROHIBITED = 1;
    /** Destination Unreachable: beyond scope of source address. */
    public static final int BEYOND_SCOPE = 2;
    /** Destination Unreachable: address unreachable. */
    public static final int ADDRESS_UNREACHABLE = 3;
    /** Destination Unreachable: port unreachable. */
    public static final int PORT_UNREACHABLE = 4;
    /** Destination Unreachable: source address failed ingress/egress policy. */
    public static final int SOURCE_POLICY_FAILED = 5;
    /** Destination Unreachable: reject route to destination. */
    public static final int REJECT_ROUTE = 6;
    /** Time Exceeded: hop limit exceeded in transit. */
    public static final int HOP_LIMIT_EXCEEDED = 0;
    /** Time Exceeded: fragment reassembly time exceeded. */
    public static final int REASSEMBLY_TIME_EXCEEDED = 1;
    /** Parameter Problem: erroneous header field encountered. */
    public static final int ERRONEOUS_HEADER_FIELD = 0;
    /** Parameter Problem: unrecognized Next Header type encountered. */
    public static final int UNRECOGNIZED_NEXT_HEADER = 1;
    /** Parameter Problem: unrecognized IPv6 option encountered. */
    public static final int UNRECOGNIZED_OPTION = 2;

    private Icmpv6Type() {
    }

    /**
     * @param type a message type
     * @return whether it is an error message (type below 128), which is never answered with an ICMPv6 error
     *         (RFC 4443, section 2.4)
     */
    public static boolean isError(int type) {
        return type < 128;
    }

    /**
     * @param type a message type
     * @return its name ({@code echo-request}), or the number itself if unknown; never throws
     */
    public static String name(int type) {
        return switch (type) {
            case DEST_UNREACHABLE -> "destination-unreachable";
            case PACKET_TOO_BIG -> "packet-too-big";
            case TIME_EXCEEDED -> "time-exceeded";
            case PARAMETER_PROBLEM -> "parameter-problem";
            case ECHO_REQUEST -> "echo-request";
            case ECHO_REPLY -> "echo-reply";
            case MLD_QUERY -> "mld-query";
            case MLD_REPORT -> "mld-report";
            case MLD_DONE -> "mld-done";
            case ROUTER_SOLICIT -> "router-solicitation";
            case ROUTER_ADVERT -> "router-advertisement";
            case NEIGHBOR_SOLICIT -> "neighbor-solicitation";
            case NEIGHBOR_ADVERT -> "neighbor-advertisement";
            case REDIRECT -> "redirect";
            case MLDV2_REPORT -> "mldv2-report";
            default -> Integer.toString(type);
        };
    }
}
