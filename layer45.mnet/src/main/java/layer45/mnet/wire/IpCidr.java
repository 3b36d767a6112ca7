package layer45.mnet.wire;

import java.util.Objects;

/**
 * An address with a prefix length: an interface address ({@code 10.0.0.1/24}) or a network
 * ({@code 2001:db8::/32}).
 *
 * @param address the address; host bits may be set (an interface address keeps them)
 * @param prefixLength the number of leading network bits: 0..32 for IPv4, 0..128 for IPv6
 */
public record IpCidr(IpAddress address, int prefixLength) {

    /** @throws IllegalArgumentException if the prefix length does not fit the address family */
    public IpCidr {
        Objects.requireNonNull(address, "address");
        int max = address.version() == 4 ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("Prefix length " + prefixLength + " of " + address + " is outside 0.."
                    + max);
        }
    }

    /**
     * @param text {@code address/prefix}, such as {@code 10.0.0.1/24} or {@code fd00::1/64}
     * @return the CIDR
     * @throws IllegalArgumentException if the text is not of that form, saying why
     */
    public static IpCidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR: expected address/prefix-length, such as"
                    + " 10.0.0.1/24");
        }
        IpAddress address = IpAddress.parse(text.substring(0, slash));
        String prefix = text.substring(slash + 1);
        int length;
        try {
            length = Integer.parseInt(prefix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Prefix length '" + prefix + "' of '" + text + "' is not a number", e);
        }
        return new IpCidr(address, length);
    }

    /**
     * @param other an address of either family
     * @return whether {@code other} is of this family and its first {@link #prefixLength()} bits equal this
     *         address's
     */
    public boolean contains(IpAddress other) {
        if (address instanceof Ipv4Address a && other instanceof Ipv4Address b) {
            int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
            return ((a.bits() ^ b.bits()) & mask) == 0;
        }
        if (address instanceof Ipv6Address a && other instanceof Ipv6Address b) {
            return ((a.high() ^ b.high()) & mask64(prefixLength)) == 0
                    && ((a.low() ^ b.low()) & mask64(prefixLength - 64)) == 0;
        }
        return false;
    }

    /** @return the network: this prefix with the host bits of the address cleared */
    public IpCidr network() {
        if (address instanceof Ipv4Address a) {
            int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
            return new IpCidr(new Ipv4Address(a.bits() & mask), prefixLength);
        }
        Ipv6Address a = (Ipv6Address) address;
        return new IpCidr(new Ipv6Address(a.high() & mask64(prefixLength), a.low() & mask64(prefixLength - 64)),
                prefixLength);
    }

    private static long mask64(int bits) {
        return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    /** @return {@code address/prefixLength} */
    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
