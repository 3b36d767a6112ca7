package layer45.mnet.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address.
 *
 * @param bits the address in network order as an {@code int}: {@code 192.0.2.1} is {@code 0xC0000201}
 */
public record Ipv4Address(int bits) implements IpAddress {

    /** {@code 0.0.0.0}. */
    public static final Ipv4Address UNSPECIFIED = new Ipv4Address(0);
    /** {@code 127.0.0.1}. */
    public static final Ipv4Address LOOPBACK = new Ipv4Address(0x7F00_0001);
    /** {@code 255.255.255.255}, the limited broadcast address. */
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xFFFF_FFFF);

    /**
     * @param bytes four bytes in network order
     * @return the address
     * @throws IllegalArgumentException if {@code bytes} does not hold exactly 4 bytes
     */
    public static Ipv4Address of(byte[] bytes) {
        if (bytes.length != 4) {
            throw new IllegalArgumentException("An IPv4 address has 4 bytes, not " + bytes.length);
        }
        return new Ipv4Address((bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8
                | (bytes[3] & 0xFF));
    }

    /**
     * @param text a dotted-quad literal such as {@code 192.0.2.1} (decimal, no leading zeros)
     * @return the address
     * @throws IllegalArgumentException if {@code text} is not a dotted quad
     */
    public static Ipv4Address parse(String text) {
        long bits = parseBits(text, 0, text.length());
        if (bits < 0) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address: expected four decimal numbers"
                    + " 0..255 separated by dots, such as 192.0.2.1");
        }
        return new Ipv4Address((int) bits);
    }

    /**
     * Parses a dotted quad in {@code text[from, to)}.
     *
     * @return the bits as an unsigned value, or -1 if malformed
     */
    static long parseBits(String text, int from, int to) {
        long bits = 0;
        int part = 0;
        int digits = 0;
        int dots = 0;
        for (int i = from; i <= to; i++) {
            char c = i < to ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (digits > 0 && part == 0) {
                    return -1; // leading zero: ambiguous (octal in inet_aton)
                }
                part = part * 10 + (c - '0');
                if (++digits > 3 || part > 255) {
                    return -1;
                }
            } else if (c == '.') {
                if (digits == 0 || ++dots > 4) {
                    return -1;
                }
                bits = bits << 8 | part;
                part = 0;
                digits = 0;
            } else {
                return -1;
            }
        }
        return dots == 4 ? bits : -1;
    }

    @Override
    public int version() {
        return 4;
    }

    @Override
    public boolean isUnspecified() {
        return bits == 0;
    }

    @Override
    public boolean isLoopback() {
        return bits >>> 24 == 127;
    }

    @Override
    public boolean isMulticast() {
        return bits >>> 28 == 0xE;
    }

    /** @return whether this is the limited broadcast address {@code 255.255.255.255} */
    public boolean isBroadcast() {
        return bits == 0xFFFF_FFFF;
    }

    /** @return whether this is a link-local address ({@code 169.254.0.0/16}, RFC 3927) */
    public boolean isLinkLocal() {
        return bits >>> 16 == 0xA9FE;
    }

    /** @return the four bytes in network order (a new array) */
    public byte[] toBytes() {
        return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    }

    @Override
    public InetAddress toInetAddress() {
        try {
            return Inet4Address.getByAddress(toBytes());
        } catch (UnknownHostException e) {
            throw new AssertionError("4 bytes are always an address", e);
        }
    }

    /** @return the dotted-quad form, such as {@code 192.0.2.1} */
    @Override
    public String toString() {
        return (bits >>> 24) + "." + (bits >>> 16 & 0xFF) + "." + (bits >>> 8 & 0xFF) + "." + (bits & 0xFF);
    }
}
