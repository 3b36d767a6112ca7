package layer45.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * The network (layer 3) protocol of a flow. IPv4 and IPv6 are built in; the stack may carry flows over other,
 * pluggable network protocols, which are identified by name.
 *
 * @param name the protocol's lower-case name, such as {@code ipv4}
 */
public record NetworkProtocol(String name) {

    /** Internet Protocol version 4. */
    public static final NetworkProtocol IPV4 = new NetworkProtocol("ipv4");
    /** Internet Protocol version 6. */
    public static final NetworkProtocol IPV6 = new NetworkProtocol("ipv6");

    /**
     * @param name the protocol's name: lower-case letters, digits, '-' or '.'
     * @throws IllegalArgumentException if the name is empty or has other characters
     */
    public NetworkProtocol {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[a-z0-9][a-z0-9.-]*")) {
            throw new IllegalArgumentException("network protocol name '" + name
                    + "' must be lower-case letters, digits, '-' or '.', such as 'ipv4'");
        }
    }

    /**
     * @param address an IP address
     * @return {@link #IPV4} or {@link #IPV6}, by the address's family
     */
    public static NetworkProtocol of(InetAddress address) {
        return address instanceof Inet4Address ? IPV4 : IPV6;
    }

    @Override
    public String toString() {
        return name;
    }
}
