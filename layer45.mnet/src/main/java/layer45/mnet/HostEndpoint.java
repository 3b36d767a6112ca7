package layer45.mnet;

import java.util.Objects;

/**
 * A peer of a socket of a program in the runtime, as the program hears of it: the host identifier it is known by,
 * and the address (protocol, address and port) the datagram or connection came from.
 *
 * @param identifier the name of the first host identifier, in name order, that lists {@code address}; {@code null}
 *        when none does (the peer is then known by its address alone)
 * @param address where the peer is: its network protocol, address and port (never 0)
 * @since 1.4
 */
public record HostEndpoint(String identifier, HostAddress address) {

    /** Checks that the address is there. */
    public HostEndpoint {
        Objects.requireNonNull(address, "address");
    }

    /** @return the peer's port */
    public int port() {
        return address.port();
    }

    /** @return the network protocol it came over: {@value HostAddress#IPV4}, {@value HostAddress#IPV6} or a plugged one */
    public String protocol() {
        return address.protocol();
    }

    /** @return the identifier's name, or else the address as text: what to show a user */
    public String name() {
        return identifier != null ? identifier : address.toString();
    }

    /** @return {@code srv (ipv6:[fd00::2]:4000)}, or the address alone without an identifier */
    @Override
    public String toString() {
        String at = address.protocol().equals(HostAddress.IPV4) || address.protocol().equals(HostAddress.IPV6)
                ? address.protocol() + ":" + address : address.toString();
        return identifier == null ? address.toString() : identifier + " (" + at + ")";
    }
}
