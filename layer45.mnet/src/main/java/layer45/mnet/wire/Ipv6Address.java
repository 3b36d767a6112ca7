package layer45.mnet.wire;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv6 address as two 64-bit halves in network order.
 *
 * @param high the first 8 bytes: {@code 2001:db8::1} has {@code high = 0x20010DB800000000L}
 * @param low the last 8 bytes: {@code 2001:db8::1} has {@code low = 1}
 */
public record Ipv6Address(long high, long low) implements IpAddress {

    /** {@code ::}. */
    public static final Ipv6Address UNSPECIFIED = new Ipv6Address(0, 0);
    /** {@code ::1}. */
    public static final Ipv6Address LOOPBACK = new Ipv6Address(0, 1);
    /** {@code ff02::1}, all nodes on the link (RFC 4291, section 2.7.1). */
    public static final Ipv6Address LINK_LOCAL_ALL_NODES = new Ipv6Address(0xFF02_0000_0000_0000L, 1);

    /**
     * @param ipv4 an IPv4 address as an {@code int}
     * @return the IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d} (RFC 4291, section 2.5.5.2)
     */
    public static Ipv6Address ofIpv4Mapped(int ipv4) {
        return new Ipv6Address(0, 0xFFFF_0000_0000L | (ipv4 & 0xFFFF_FFFFL));
    }

    /**
     * @param bytes sixteen bytes in network order
     * @return the address
     * @throws IllegalArgumentException if {@code bytes} does not hold exactly 16 bytes
     */
    public static Ipv6Address of(byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("An IPv6 address has 16 bytes, not " + bytes.length);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | (bytes[i] & 0xFF);
            lo = lo << 8 | (bytes[i + 8] & 0xFF);
        }
        return new Ipv6Address(hi, lo);
    }

    /**
     * @param text an RFC 4291 text form: {@code 2001:db8::1}, {@code fe80:0:0:0:0:0:0:1}, {@code ::ffff:192.0.2.1};
     *        no zone id, no brackets
     * @return the address
     * @throws IllegalArgumentException if {@code text} is not an IPv6 address literal, saying why
     */
    public static Ipv6Address parse(String text) {
        String problem = null;
        int[] groups = new int[8];
        int count = 0;
        int gap = -1; // index in groups where "::" stands
        int n = text.length();
        int i = 0;
        if (text.indexOf('%') >= 0) {
            problem = "zone ids (%...) are not supported";
        } else if (text.startsWith("::")) {
            gap = 0;
            i = 2;
        } else if (text.startsWith(":")) {
            problem = "it starts with a single ':'";
        }
        while (problem == null && i < n) {
            int end = i;
            while (end < n && text.charAt(end) != ':') {
                end++;
            }
            if (end == i) {
                problem = "it has an empty group";
                break;
            }
            if (end == n && text.indexOf('.', i) >= 0) {
                long v4 = Ipv4Address.parseBits(text, i, n);
                if (v4 < 0 || count > 6) {
                    problem = "its embedded IPv4 address '" + text.substring(i) + "' is malformed or misplaced";
                    break;
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xFFFF);
                i = n;
                break;
            }
            if (end - i > 4 || count == 8) {
                problem = end - i > 4 ? "group '" + text.substring(i, end) + "' has more than 4 hex digits"
                        : "it has more than 8 groups";
                break;
            }
            int v = 0;
            for (int k = i; k < end; k++) {
                int d = Character.digit(text.charAt(k), 16);
                if (d < 0) {
                    problem = "'" + text.charAt(k) + "' is not a hex digit";
                    break;
                }
                v = v << 4 | d;
            }
            groups[count++] = v;
            if (end == n) {
                i = n;
            } else if (end + 1 < n && text.charAt(end + 1) == ':') {
                if (gap >= 0) {
                    problem = "it has more than one '::'";
                } else {
                    gap = count;
                }
                i = end + 2;
            } else if (end + 1 == n) {
                problem = "it ends with a single ':'";
            } else {
                i = end + 1;
            }
        }
        if (problem == null && (gap < 0 ? count != 8 : count > 7)) {
            problem = gap < 0 ? "it has " + count + " groups, not 8, and no '::'" : "'::' stands for no group";
        }
        if (problem != null) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address: " + problem
                    + " (expected a form such as 2001:db8::1)");
        }
        int[] full = new int[8];
        int tail = gap < 0 ? 0 : count - gap;
        for (int k = 0; k < count; k++) {
            full[gap >= 0 && k >= gap ? 8 - tail + (k - gap) : k] = groups[k];
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) {
            hi = hi << 16 | full[k];
            lo = lo << 16 | full[k + 4];
        }
        return new Ipv6Address(hi, lo);
    }

    @Override
    public int version() {
        return 6;
    }

    @Override
    public boolean isUnspecified() {
        return high == 0 && low == 0;
    }

    @Override
    public boolean isLoopback() {
        return high == 0 && low == 1;
    }

    @Override
    public boolean isMulticast() {
        return high >>> 56 == 0xFF;
    }

    /** @return whether this is a link-local unicast address ({@code fe80::/10}) */
    public boolean isLinkLocal() {
        return high >>> 54 == 0x3FA;
    }

    /** @return whether this is an IPv4-mapped address ({@code ::ffff:0:0/96}) */
    public boolean isIpv4Mapped() {
        return high == 0 && low >>> 32 == 0xFFFF;
    }

    /** @return the last 32 bits, the IPv4 address of an {@linkplain #isIpv4Mapped() IPv4-mapped} address */
    public int low32() {
        return (int) low;
    }

    /** @return the sixteen bytes in network order (a new array) */
    public byte[] toBytes() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[i + 8] = (byte) (low >>> (56 - 8 * i));
        }
        return b;
    }

    @Override
    public InetAddress toInetAddress() {
        try {
            // getByAddress(String, byte[]) would turn a mapped address into an Inet4Address; keep it IPv6.
            return Inet6Address.getByAddress(null, toBytes(), -1);
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are always an address", e);
        }
    }

    /**
     * @return the RFC 5952 form: lower-case hex, no leading zeros, the longest run of two or more zero groups (the
     *         first of equal runs) written {@code ::}, and IPv4-mapped addresses as {@code ::ffff:192.0.2.1}
     */
    @Override
    public String toString() {
        if (isIpv4Mapped()) {
            return "::ffff:" + new Ipv4Address((int) low);
        }
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) {
            g[k] = (int) (high >>> (48 - 16 * k)) & 0xFFFF;
            g[k + 4] = (int) (low >>> (48 - 16 * k)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int start = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - start > bestLen) {
                bestStart = start;
                bestLen = k - start;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }
}
