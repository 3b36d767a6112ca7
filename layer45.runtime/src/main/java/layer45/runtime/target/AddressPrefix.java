package layer45.runtime.target;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A CIDR address prefix: {@code 10.0.0.0/8}, {@code fd00::/8}, or a single address such as
 * {@code 192.168.1.7} (a {@code /32}) or {@code ::1} (a {@code /128}).
 *
 * <p>Only address literals are accepted, and never resolved: a target is parsed when a module is loaded, and a
 * name service lookup there would stall loading, change its answer over time and make a typo look valid. IPv4
 * must be written as four decimal parts ({@code 10.0.0.1}, not {@code 10.1} or {@code 010.0.0.1}, which some
 * tools read differently). An address with bits set after the prefix length is refused with the prefix it
 * probably meant, as such a typo usually means the operator had a different network in mind.
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) are IPv4 flows carried by a dual-stack socket, so they
 * count as IPv4 on both sides: an IPv4 prefix matches them, and so does an IPv6 prefix within
 * {@code ::ffff:0:0/96} (which is an IPv4 prefix written in IPv6, and prints as one). An IPv6 prefix that is not
 * within that range matches only IPv6 flows, even if it covers the range: {@code ::/0} is any IPv6 flow and
 * {@code 0.0.0.0/0} any IPv4 flow.
 */
public final class AddressPrefix implements Comparable<AddressPrefix> {

    /** Top 32 bits of the low half of an IPv4-mapped address ({@code ::ffff:0:0/96}). */
    private static final long MAPPED = 0xffffL;
    /** Prefix length, in IPv6 bits, at which an IPv4 address starts in its mapped form. */
    private static final int MAPPED_BITS = 96;

    /** The network as 128 bits, IPv4 in its mapped form; bits after the prefix are zero. */
    private final long high;
    private final long low;
    /** The prefix length in the 128 bits of the mapped form. */
    private final int bits;
    private final long highMask;
    private final long lowMask;
    /** Whether this matches IPv4 flows (mapped form and at least /96) rather than IPv6 ones. */
    private final boolean ipv4;

    private AddressPrefix(long high, long low, int bits) {
        this.high = high;
        this.low = low;
        this.bits = bits;
        this.highMask = highMask(bits);
        this.lowMask = lowMask(bits);
        this.ipv4 = bits >= MAPPED_BITS && high == 0 && (low >>> 32) == MAPPED;
    }

    /**
     * @param text an address literal with an optional prefix length, such as {@code 10.0.0.0/8},
     *        {@code 192.168.1.7}, {@code fd00::/8} or {@code ::1}
     * @return the prefix
     * @throws IllegalArgumentException if the text is not an address literal (host names included), its prefix
     *         length is missing or out of range, or it has bits set after the prefix length
     */
    public static AddressPrefix parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an address prefix cannot be empty; write an address such as"
                    + " '192.168.1.7' or a prefix such as '10.0.0.0/8'");
        }
        int slash = text.indexOf('/');
        if (slash >= 0 && text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException(Values.quote(text)
                    + " has more than one '/'; write one address and one prefix length, such as '10.0.0.0/8'");
        }
        String address = slash < 0 ? text : text.substring(0, slash);
        boolean written6 = address.indexOf(':') >= 0;
        long[] value = written6 ? parse6(text, address) : parse4(text, address);
        int max = written6 ? 128 : 32;
        int length = slash < 0 ? max : length(text, text.substring(slash + 1), written6, max);
        int bits = written6 ? length : MAPPED_BITS + length;
        long highMask = highMask(bits);
        long lowMask = lowMask(bits);
        if ((value[0] & ~highMask) != 0 || (value[1] & ~lowMask) != 0) {
            String network = (written6 ? format6(value[0] & highMask, value[1] & lowMask)
                    : format4((int) (value[1] & lowMask))) + "/" + length;
            throw new IllegalArgumentException(Values.quote(text) + " has host bits set; did you mean '" + network
                    + "'? (or '" + address + "' for that single address)");
        }
        return new AddressPrefix(value[0], value[1], bits);
    }

    /**
     * Whether the address is in this prefix. Never throws and never consults the name service.
     *
     * @param address an address of a flow; {@code null} matches nothing
     * @return whether it is in this prefix, counting IPv4-mapped IPv6 addresses as IPv4
     */
    public boolean matches(InetAddress address) {
        long addressHigh;
        long addressLow;
        if (address instanceof Inet4Address) {
            // Inet4Address.hashCode() is the address itself; getAddress() would copy it into a new array.
            addressHigh = 0;
            addressLow = MAPPED << 32 | (address.hashCode() & 0xffff_ffffL);
        } else if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            addressHigh = toLong(bytes, 0);
            addressLow = toLong(bytes, 8);
        } else {
            return false;
        }
        boolean mapped = addressHigh == 0 && (addressLow >>> 32) == MAPPED;
        return mapped == ipv4 && ((addressHigh ^ high) & highMask) == 0 && ((addressLow ^ low) & lowMask) == 0;
    }

    /** @return whether this prefix matches IPv4 flows (including IPv4-mapped IPv6 addresses) */
    public boolean isIPv4() {
        return ipv4;
    }

    /** @return the prefix length: 0 to 32 for IPv4, 0 to 128 for IPv6 */
    public int length() {
        return ipv4 ? bits - MAPPED_BITS : bits;
    }

    /** Orders IPv4 before IPv6, then by network, then shorter prefixes first. */
    @Override
    public int compareTo(AddressPrefix other) {
        int order = Boolean.compare(other.ipv4, ipv4);
        if (order == 0) {
            order = Long.compareUnsigned(high, other.high);
        }
        if (order == 0) {
            order = Long.compareUnsigned(low, other.low);
        }
        return order != 0 ? order : Integer.compare(bits, other.bits);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressPrefix that && high == that.high && low == that.low && bits == that.bits;
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(high) * 31 + Long.hashCode(low)) * 31 + bits;
    }

    /**
     * @return the canonical form: IPv4 in dotted decimal (also for an IPv4 prefix written in IPv6), IPv6 as RFC
     *         5952 recommends; without a prefix length for a single address
     */
    @Override
    public String toString() {
        if (ipv4) {
            return format4((int) low) + (bits == 128 ? "" : "/" + (bits - MAPPED_BITS));
        }
        return format6(high, low) + (bits == 128 ? "" : "/" + bits);
    }

    /** @return the address as {high, low} in its mapped form */
    private static long[] parse4(String text, String address) {
        if (address.isEmpty() || !address.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
            throw notLiteral(text);
        }
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(Values.quote(text)
                    + " is not an IPv4 address: write all four parts, such as '10.0.0.0/8' or '192.168.1.7'");
        }
        long value = 0;
        boolean leadingZero = false;
        StringBuilder decimal = new StringBuilder();
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException(Values.quote(text)
                        + " is not an IPv4 address: it has an empty part; write four numbers such as '10.0.0.1'");
            }
            String digits = part.replaceFirst("^0+(?=.)", "");
            if (digits.length() > 3 || Integer.parseInt(digits) > 255) {
                throw new IllegalArgumentException(Values.quote(text) + " is not an IPv4 address: " + part
                        + " is more than 255");
            }
            leadingZero |= digits.length() != part.length();
            int octet = Integer.parseInt(digits);
            value = value << 8 | octet;
            decimal.append(decimal.isEmpty() ? "" : ".").append(octet);
        }
        if (leadingZero) {
            throw new IllegalArgumentException(Values.quote(text)
                    + " has a part with a leading zero, which some tools read as octal; write '" + decimal
                    + text.substring(address.length()) + "'");
        }
        return new long[] {0, MAPPED << 32 | value};
    }

    /** @return the address as {high, low}, an IPv4-mapped one in its mapped form */
    private static long[] parse6(String text, String address) {
        int zone = address.indexOf('%');
        if (zone >= 0) {
            throw new IllegalArgumentException(Values.quote(text) + " has a zone (" + Values.quote(address.substring(zone))
                    + "), which a prefix cannot have; leave it out");
        }
        if (address.startsWith("[") || address.endsWith("]")) {
            throw new IllegalArgumentException(Values.quote(text)
                    + " has brackets; write the IPv6 address without them, such as 'fd00::/8' or '::1'");
        }
        // ofLiteral never resolves names, but checking the characters first keeps any oddity it accepts out.
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0 && c < 0x80)) {
                throw notLiteral(text);
            }
        }
        InetAddress parsed;
        try {
            parsed = InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Values.quote(text)
                    + " is not a valid IPv6 address; write one such as 'fd00::/8', '::1' or '::ffff:10.0.0.1'");
        }
        if (parsed instanceof Inet4Address) {
            // The JDK turns ::ffff:a.b.c.d into an Inet4Address; keep it as the IPv6 the operator wrote.
            return new long[] {0, MAPPED << 32 | (parsed.hashCode() & 0xffff_ffffL)};
        }
        byte[] bytes = parsed.getAddress();
        return new long[] {toLong(bytes, 0), toLong(bytes, 8)};
    }

    private static int length(String text, String length, boolean written6, int max) {
        String family = written6 ? "an IPv6" : "an IPv4";
        if (length.isEmpty()) {
            throw new IllegalArgumentException(Values.quote(text) + " has no prefix length after the '/'; write 0 to "
                    + max + " after it, or leave out the '/' for a single address");
        }
        if (length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(Values.quote(text) + " has a prefix length that is not a number; "
                    + family + " prefix length is 0 to " + max);
        }
        int value = Integer.parseInt(length);
        if (value > max) {
            throw new IllegalArgumentException(Values.quote(text) + " has prefix length " + value + ", but "
                    + family + " prefix length is 0 to " + max);
        }
        return value;
    }

    private static IllegalArgumentException notLiteral(String text) {
        return new IllegalArgumentException(Values.quote(text) + " is not an IP address literal; host names are"
                + " not resolved, so write an address such as '192.168.1.7' or '::1', or a prefix such as"
                + " '10.0.0.0/8' or 'fd00::/8'");
    }

    private static long highMask(int bits) {
        return bits == 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    private static long lowMask(int bits) {
        return bits <= 64 ? 0 : -1L << (128 - bits);
    }

    private static long toLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = offset; i < offset + 8; i++) {
            value = value << 8 | (bytes[i] & 0xff);
        }
        return value;
    }

    private static String format4(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "."
                + (address & 0xff);
    }

    /** @return the address as RFC 5952 recommends: lower case, longest zero run as "::", mapped as a.b.c.d */
    private static String format6(long high, long low) {
        if (high == 0 && (low >>> 32) == MAPPED) {
            return "::ffff:" + format4((int) low);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (high >>> (48 - 16 * i)) & 0xffff;
            groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int end = i;
            while (end < 8 && groups[end] == 0) {
                end++;
            }
            if (end - i > bestLength) {
                bestStart = i;
                bestLength = end - i;
            }
            i = end;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
