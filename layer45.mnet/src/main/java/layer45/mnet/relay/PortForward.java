package layer45.mnet.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import layer45.api.Transport;

/**
 * A host port forwarded to a port of the namespace's program: {@code tcp:HOSTPORT:NSPORT} or
 * {@code udp:HOSTPORT:NSPORT}, optionally with the host address to listen on first ({@code tcp:127.0.0.1:8080:80},
 * {@code udp:[::1]:5353:53}). Without an address the forward listens on the host's IPv4 loopback.
 *
 * @param transport TCP or UDP
 * @param listen the host address and port to listen on
 * @param namespacePort the port of the program in the namespace
 */
public record PortForward(Transport transport, InetSocketAddress listen, int namespacePort) {

    /**
     * @param spec the forward as operators write it
     * @return the forward
     * @throws IllegalArgumentException if it is malformed; the message shows the form
     */
    public static PortForward parse(String spec) {
        String form = "; write tcp:HOSTPORT:NSPORT or udp:HOSTPORT:NSPORT, optionally with a host address first"
                + " (tcp:127.0.0.1:8080:80, udp:[::1]:5353:53)";
        String s = spec.strip();
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("port forward '" + spec + "' has no protocol" + form);
        }
        Transport transport = switch (s.substring(0, colon).toLowerCase(Locale.ROOT)) {
            case "tcp" -> Transport.TCP;
            case "udp" -> Transport.UDP;
            default -> throw new IllegalArgumentException("port forward '" + spec + "' has protocol '"
                    + s.substring(0, colon) + "', not tcp or udp" + form);
        };
        String rest = s.substring(colon + 1);
        int last = rest.lastIndexOf(':');
        if (last < 0) {
            throw new IllegalArgumentException("port forward '" + spec + "' lacks the namespace port" + form);
        }
        int namespacePort = port(rest.substring(last + 1), spec, form);
        String hostPart = rest.substring(0, last);
        int hostColon = hostPart.lastIndexOf(':');
        String address = "127.0.0.1";
        String hostPort = hostPart;
        if (hostColon >= 0) {
            address = hostPart.substring(0, hostColon);
            hostPort = hostPart.substring(hostColon + 1);
            if (address.startsWith("[") && address.endsWith("]")) {
                address = address.substring(1, address.length() - 1);
            }
        }
        int listenPort = port(hostPort, spec, form);
        if (!address.matches("[0-9A-Fa-f.:]+")) {
            throw new IllegalArgumentException("port forward '" + spec + "' has host address '" + address
                    + "', not an IP address" + form);
        }
        try {
            return new PortForward(transport, new InetSocketAddress(InetAddress.getByName(address), listenPort),
                    namespacePort);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("port forward '" + spec + "' has host address '" + address
                    + "', not an IP address" + form, e);
        }
    }

    private static int port(String text, String spec, String form) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("port forward '" + spec + "' has port '" + text + "', not 1 to 65535"
                + form);
    }

    @Override
    public String toString() {
        String host = listen.getAddress().getHostAddress();
        return transport.name().toLowerCase(Locale.ROOT) + ":" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                + ":" + listen.getPort() + ":" + namespacePort;
    }
}
