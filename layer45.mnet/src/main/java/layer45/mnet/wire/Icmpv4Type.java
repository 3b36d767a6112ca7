package layer45.mnet.wire;

/**
 * ICMPv4 message types and codes (RFC 792; IANA "ICMP Type Numbers"). Codes are grouped under the type they
 * belong to.
 */
public final class Icmpv4Type {

    /** Echo Reply (RFC 792). */
    public static final int ECHO_REPLY = 0;
    /** Destination Unreachable (RFC 792). */
    public static final int DEST_UNREACHABLE = 3;
    /** Source Quench, deprecated (RFC 6633). */
    public static final int SOURCE_QUENCH = 4;
    /** Redirect (RFC 792). */
    public static final int REDIRECT = 5;
    /** Echo Request (RFC 792). */
    public static final int ECHO_REQUEST = 8;
    /** Router Advertisement (RFC 1256). */
    public static final int ROUTER_ADVERTISEMENT = 9;
    /** Router Solicitation (RFC 1256). */
    public static final int ROUTER_SOLICITATION = 10;
    /** Time Exceeded (RFC 792). */
    public static final int TIME_EXCEEDED = 11;
    /** Parameter Problem (RFC 792). */
    public static final int PARAMETER_PROBLEM = 12;
    /** Timestamp (RFC 792). */
    public static final int TIMESTAMP = 13;
    /** Timestamp Reply (RFC 792). */
    public static final int TIMESTAMP_REPLY = 14;

    /** Destination Unreachable: net unreachable. */
    public static final int NET_UNREACHABLE = 0;
    /** Destination Unreachable: host unreachable. */
    public static final int HOST_UNREACHABLE = 1;
    /** Destination Unreachable: protocol unreachable. */
    public static final int PROTOCOL_UNREACHABLE = 2;
    /** Destination Unreachable: port unreachable. */
    public static final int PORT_UNREACHABLE = 3;
    /** Destination Unreachable: fragmentation needed and DF set; carries the next-hop MTU (RFC 1191). */
    public static final int FRAG_NEEDED = 4;
    /** Destination Unreachable: source route failed. */
    public static final int SOURCE_ROUTE_FAILED = 5;
    /** Destination Unreachable: communication administratively prohibited (RFC 1812). */
    public static final int ADMIN_PROHIBITED = 13;
    /** Time Exceeded: time to live exceeded in transit. */
    public static final int TTL_EXCEEDED = 0;
    /** Time Exceeded: fragment reassembly time exceeded. */
    public static final int REASSEMBLY_TIME_EXCEEDED = 1;
    /** Parameter Problem: the pointer indicates the error. */
    public static final int POINTER_INDICATES_ERROR = 0;
    /** Parameter Problem: missing a required option. */
    public static final int MISSING_REQUIRED_OPTION = 1;
    /** Parameter Problem: bad length. */
    public static final int BAD_LENGTH = 2;

    private Icmpv4Type() {
    }

    /**
     * @param type a message type
     * @return whether it is an error message, which must never be answered with an ICMP error (RFC 1122,
     *         section 3.2.2)
     */
    public static boolean isError(int type) {
        return type == DEST_UNREACHABLE || type == SOURCE_QUENCH || type == REDIRECT || type == TIME_EXCEEDED
                || type == PARAMETER_PROBLEM;
    }

    /**
     * @param type a message type
     * @return its name ({@code echo-request}), or the number itself if unknown; never throws
     */
    public static String name(int type) {
        return switch (type) {
            case ECHO_REPLY -> "echo-reply";
            case DEST_UNREACHABLE -> "destination-unreachable";
            case SOURCE_QUENCH -> "source-quench";
            case REDIRECT -> "redirect";
            case ECHO_REQUEST -> "echo-request";
            case ROUTER_ADVERTISEMENT -> "router-advertisement";
            case ROUTER_SOLICITATION -> "router-solicitation";
            case TIME_EXCEEDED -> "time-exceeded";
            case PARAMETER_PROBLEM -> "parameter-problem";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMP_REPLY -> "timestamp-reply";
            default -> Integer.toString(type);
        };
    }
}
