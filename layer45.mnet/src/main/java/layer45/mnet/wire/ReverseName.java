package layer45.mnet.wire;

/**
 * Reads the address a reverse-lookup name stands for: {@code 4.3.46.10.in-addr.arpa} (RFC 1035, section 3.5) and the
 * 32 nibbles of {@code ...ip6.arpa} (RFC 3596, section 2.5).
 *
 * <p>Only names of a whole address are read; a shorter name (a zone such as {@code 46.10.in-addr.arpa}) or anything
 * else gives {@code null}, never an exception: the names come off the wire.
 */
public final class ReverseName {

    private static final String V4_SUFFIX = ".in-addr.arpa";
    private static final String V6_SUFFIX = ".ip6.arpa";
    private static final int NIBBLES = 32;

    private ReverseName() {
    }

    /**
     * @param name a DNS name as {@link DnsPacket#questionName} gives it: lower case, without the final dot
     * @return the address it names, or {@code null} if it is not the reverse name of a whole IPv4 or IPv6 address
     */
    public static IpAddress address(CharSequence name) {
        String n = name.toString();
        if (n.endsWith(V4_SUFFIX)) {
            return ipv4(n.substring(0, n.length() - V4_SUFFIX.length()));
        }
        if (n.endsWith(V6_SUFFIX)) {
            return ipv6(n.substring(0, n.length() - V6_SUFFIX.length()));
        }
        return null;
    }

    /** {@code d.c.b.a}: four decimal octets, least significant first, without leading zeros. */
    private static Ipv4Address ipv4(String labels) {
        String[] octets = labels.split("\\.", -1);
        if (octets.length != 4) {
            return null;
        }
        int bits = 0;
        for (int i = 3; i >= 0; i--) {
            int octet = octet(octets[i]);
            if (octet < 0) {
                return null;
            }
            bits = bits << 8 | octet;
        }
        return new Ipv4Address(bits);
    }

    private static int octet(String label) {
        int length = label.length();
        if (length == 0 || length > 3 || length > 1 && label.charAt(0) == '0') {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < length; i++) {
            char c = label.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 255 ? value : -1;
    }

    /** Thirty-two one-character hexadecimal labels, least significant nibble first. */
    private static Ipv6Address ipv6(String labels) {
        if (labels.length() != NIBBLES * 2 - 1) {
            return null;
        }
        long high = 0;
        long low = 0;
        for (int nibble = 0; nibble < NIBBLES; nibble++) {
            int at = (NIBBLES - 1 - nibble) * 2; // the most significant nibble is the last label
            if (at + 1 < labels.length() && labels.charAt(at + 1) != '.') {
                return null;
            }
            int value = hex(labels.charAt(at));
            if (value < 0) {
                return null;
            }
            if (nibble < 16) {
                high = high << 4 | value;
            } else {
                low = low << 4 | value;
            }
        }
        return new Ipv6Address(high, low);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }
}
