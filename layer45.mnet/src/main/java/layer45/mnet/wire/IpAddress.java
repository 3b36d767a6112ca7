package layer45.mnet.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address as a value: no host names, no scope ids, no lookups.
 *
 * <p>Addresses are for control paths and tables; the hot path reads addresses from the views as {@code int} or
 * {@code long} pairs and builds none.
 */
public sealed interface IpAddress permits Ipv4Address, Ipv6Address {

    /** @return 4 or 6 */
    int version();

    /** @return whether this is the unspecified address ({@code 0.0.0.0} or {@code ::}) */
    boolean isUnspecified();

    /** @return whether this is a loopback address ({@code 127.0.0.0/8} or {@code ::1}) */
    boolean isLoopback();

    /** @return whether this is a multicast address ({@code 224.0.0.0/4} or {@code ff00::/8}) */
    boolean isMulticast();

    /** @return the same address as a JDK {@link InetAddress}, without any name lookup */
    InetAddress toInetAddress();

    /**
     * @param address a JDK address; an IPv6 scope id is dropped
     * @return the same address
     */
    static IpAddress of(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return Ipv4Address.of(b);
        }
        if (address instanceof Inet6Address) {
            return Ipv6Address.of(b);
        }
        throw new IllegalArgumentException("Address " + address + " is neither IPv4 nor IPv6");
    }

    /**
     * Parses an address literal: dotted IPv4 ({@code 192.0.2.1}) or any RFC 4291 IPv6 text form
     * ({@code 2001:db8::1}, {@code ::ffff:192.0.2.1}). Never looks up a name.
     *
     * @param text the literal
     * @return the address
     * @throws IllegalArgumentException if {@code text} is not an address literal, saying what is wrong with it
     */
    static IpAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        return text.indexOf(':') >= 0 ? Ipv6Address.parse(text) : Ipv4Address.parse(text);
    }
}
