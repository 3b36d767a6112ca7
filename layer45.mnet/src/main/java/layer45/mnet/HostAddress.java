package layer45.mnet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.regex.Pattern;
import layer45.mnet.wire.IpAddress;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv6Address;

/**
 * One address of a {@link HostIdentifier}: where the host is reached, over which network protocol.
 *
 * <p>Written as text (in {@code conf/mhosts}, the configuration and {@code l45:mhost}) as an IP literal, with an
 * optional port, or with the protocol's name in front:
 * <ul>
 *   <li>{@code 127.0.0.1}, {@code 127.0.0.1:8080}, or {@code ipv4:127.0.0.1};</li>
 *   <li>{@code ::1}, {@code [::1]:8080}, {@code ipv6:::1} or {@code ipv6:[::1]:8080};</li>
 *   <li>{@code demo:fd4d::2} or {@code demo:[fd4d::2]:8080} for a plugged-in protocol named {@code demo}, whose
 *       addresses are 128 bits written as IPv6 ({@link NetworkHeader}).</li>
 * </ul>
 * A text that reads as an IP address is one: a plugged-in protocol whose name could start an IPv6 address (such as
 * {@code cafe}) is written with the address in brackets, {@code cafe:[fd4d::2]}.
 *
 * <p>Addresses are as the host sees them: {@code 127.0.0.1} is the host's own loopback.
 *
 * @param protocol {@value #IPV4}, {@value #IPV6}, or a plugged-in protocol's name (lower-case letters, digits, '-' or
 *        '.', starting with a letter)
 * @param address the address: an {@link Inet4Address} for {@value #IPV4}, an {@link Inet6Address} otherwise
 * @param port the port to reach there, 1..65535; 0 for the port the flow was addressed to
 * @since 1.3
 */
public record HostAddress(String protocol, InetAddress address, int port) {

    /** The name of IPv4. */
    public static final String IPV4 = "ipv4";
    /** The name of IPv6. */
    public static final String IPV6 = "ipv6";

    private static final Pattern PROTOCOL = Pattern.compile("[a-z][a-z0-9.-]{0,31}");
    private static final Pattern DOTTED = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}(:\\d{1,5})?");

    /** Checks that the address fits the protocol and the port its range. */
    public HostAddress {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        if (!PROTOCOL.matcher(protocol).matches()) {
            throw new IllegalArgumentException("'" + protocol + "' is not a network protocol's name: use ipv4, ipv6"
                    + " or a plugged-in protocol's name (lower-case letters, digits, '-' or '.')");
        }
        if (protocol.equals(IPV4) != address instanceof Inet4Address) {
            throw new IllegalArgumentException(protocol.equals(IPV4) ? "ipv4 needs an IPv4 address, not " + text(address)
                    : protocol + " needs an address written as IPv6, not " + text(address));
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + text(address) + " is outside 1..65535 (0:"
                    + " the flow's own port)");
        }
        address = IpAddress.of(address).toInetAddress(); // drops a host name or scope the caller's object carried
    }

    /**
     * @param address an IPv4 or IPv6 address
     * @return it, on its own protocol, reached on the flow's port
     */
    public static HostAddress of(InetAddress address) {
        return new HostAddress(address instanceof Inet4Address ? IPV4 : IPV6, address, 0);
    }

    /**
     * Reads an address as written in {@code conf/mhosts} (see the class description); never looks a name up.
     *
     * @param text the address
     * @return the address
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static HostAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        if (t.startsWith("[") || DOTTED.matcher(t).matches() || isIpv6(t)) {
            return literal(null, t, text);
        }
        int colon = t.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not an address: write an IP address (127.0.0.1,"
                    + " ::1, [::1]:8080) or PROTOCOL:ADDRESS (ipv6:::1, demo:fd4d::2)");
        }
        String protocol = t.substring(0, colon);
        if (!PROTOCOL.matcher(protocol).matches()) {
            throw new IllegalArgumentException("'" + protocol + "' in '" + text + "' is not a network protocol's name:"
                    + " use ipv4, ipv6 or a plugged-in protocol's name (lower-case letters, digits, '-' or '.')");
        }
        return literal(protocol, t.substring(colon + 1), text);
    }

    /**
     * @param flowPort the port the flow was addressed to
     * @return where to reach the host: this address, on its own port or else the flow's
     */
    public InetSocketAddress socketAddress(int flowPort) {
        return new InetSocketAddress(address, port == 0 ? flowPort : port);
    }

    /**
     * @return the text {@link #parse} reads back: the protocol only where the address does not say it, and the
     *         address in brackets where a port follows or the protocol's name could be read as part of it
     */
    @Override
    public String toString() {
        String a = text(address);
        boolean v4 = protocol.equals(IPV4);
        String prefix = v4 || protocol.equals(IPV6) ? "" : protocol + ":";
        if (port == 0 && (prefix.isEmpty() || !isIpv6(prefix + a))) {
            return prefix + a;
        }
        return prefix + (v4 ? a : "[" + a + "]") + (port == 0 ? "" : ":" + port);
    }

    /** Reads {@code ADDRESS}, {@code ADDRESS:PORT} (IPv4) or {@code [ADDRESS]:PORT}, on a protocol or the literal's. */
    private static HostAddress literal(String protocol, String rest, String text) {
        String address = rest;
        int port = 0;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' opens '[' without closing it: write [ADDRESS]:PORT");
            }
            address = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("'" + text + "' has '" + after + "' after ']': write"
                            + " [ADDRESS]:PORT");
                }
                port = port(after.substring(1), text);
            }
        } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':') && rest.indexOf('.') > 0) {
            address = rest.substring(0, rest.indexOf(':')); // 192.0.2.1:80
            port = port(rest.substring(rest.indexOf(':') + 1), text);
        }
        IpAddress ip;
        try {
            ip = IpAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address: " + e.getMessage(), e);
        }
        String p = protocol != null ? protocol : ip instanceof Ipv4Address ? IPV4 : IPV6;
        if (!p.equals(IPV4) && ip instanceof Ipv4Address) {
            throw new IllegalArgumentException("'" + text + "': " + p + " needs an address written as IPv6, not "
                    + address);
        }
        if (p.equals(IPV4) && ip instanceof Ipv6Address) {
            throw new IllegalArgumentException("'" + text + "': ipv4 needs an IPv4 address, not " + address);
        }
        return new HostAddress(p, ip.toInetAddress(), port);
    }

    private static int port(String text, String whole) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("'" + text + "' in '" + whole + "' is not a port (1..65535)");
    }

    private static boolean isIpv6(String text) {
        try {
            Ipv6Address.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(InetAddress address) {
        return IpAddress.of(address).toString();
    }
}
