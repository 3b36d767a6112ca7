package layer45.mnet.osgi;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import layer45.mnet.HostAddress;
import layer45.mnet.phy.linux.UdpTunnelOptions;
import layer45.mnet.wire.IpAddress;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.Ipv6Address;

/**
 * A peer link's specification, as the configuration ({@value #PID}, one key per link) and {@code l45:peer add}
 * write it: {@code local=ADDRESS:PORT remote=ADDRESS:PORT addresses=A,B,... [netns=NAME] [mtu=N] [echo=PORT]}.
 *
 * @param name the link's name
 * @param text the specification as written
 * @param tunnel the tunnel's sockets (ports given), namespace and MTU
 * @param ipAddresses the stack's own IPv4 and IPv6 addresses with their prefixes
 * @param plugged the stack's own addresses on plugged-in protocols, by protocol name
 * @param echoPort the echo service's port, 0 for none
 */
record PeerLinkSpec(String name, String text, UdpTunnelOptions tunnel, List<IpCidr> ipAddresses,
        Map<String, List<Ipv6Address>> plugged, int echoPort) {

    /** Configuration PID of the peer links. */
    static final String PID = "layer45.peer";
    /** How a specification is written, for error messages. */
    static final String SYNTAX = "local=ADDRESS:PORT remote=ADDRESS:PORT addresses=A,B,... [netns=NAME] [mtu=N]"
            + " [echo=PORT], e.g. local=127.0.0.1:6081 remote=127.0.0.1:6082"
            + " addresses=10.77.0.1/24,fd77::1/64,demo:fd4d::1";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,14}");
    private static final List<String> KEYS = List.of("local", "remote", "addresses", "netns", "mtu", "echo");

    /**
     * @param name the link's name
     * @param text its specification
     * @return the parsed specification
     * @throws IllegalArgumentException if either is wrong; the message says what to write
     */
    static PeerLinkSpec parse(String name, String text) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("peer link name '" + name + "' must be 1 to 15 lower-case letters,"
                    + " digits or '-'");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String token : text.strip().split("\\s+")) {
            int equals = token.indexOf('=');
            String key = equals < 0 ? token : token.substring(0, equals);
            if (equals < 0 || !KEYS.contains(key) || values.put(key, token.substring(equals + 1)) != null) {
                throw new IllegalArgumentException("peer link " + name + ": '" + token + "' is not understood (or"
                        + " given twice); write " + SYNTAX);
            }
        }
        for (String required : List.of("local", "remote", "addresses")) {
            if (!values.containsKey(required)) {
                throw new IllegalArgumentException("peer link " + name + " needs " + required + "=...; write "
                        + SYNTAX);
            }
        }
        List<IpCidr> ip = new ArrayList<>();
        Map<String, List<Ipv6Address>> plugged = new LinkedHashMap<>();
        for (String address : values.get("addresses").split(",")) {
            if (address.isBlank()) {
                continue;
            }
            if (address.contains("/")) {
                ip.add(IpCidr.parse(address.strip()));
                continue;
            }
            HostAddress parsed = HostAddress.parse(address);
            if (parsed.protocol().equals(HostAddress.IPV4) || parsed.protocol().equals(HostAddress.IPV6)) {
                throw new IllegalArgumentException("peer link " + name + ": address " + address + " needs its prefix"
                        + " length, such as " + address.strip() + (parsed.protocol().equals(HostAddress.IPV4)
                                ? "/24" : "/64"));
            }
            if (!(IpAddress.of(parsed.address()) instanceof Ipv6Address v6)) {
                throw new IllegalArgumentException("peer link " + name + ": address " + address + " of a plugged-in"
                        + " protocol must be written as IPv6, such as demo:fd4d::1");
            }
            plugged.computeIfAbsent(parsed.protocol(), p -> new ArrayList<>()).add(v6);
        }
        if (ip.isEmpty()) {
            throw new IllegalArgumentException("peer link " + name + " needs an IPv4 or IPv6 address with its prefix"
                    + " (addresses=10.77.0.1/24,...)");
        }
        int mtu = number(name, values, "mtu", UdpTunnelOptions.DEFAULT_MTU);
        int echo = number(name, values, "echo", 7);
        UdpTunnelOptions tunnel = new UdpTunnelOptions(name, endpoint(name, "local", values.get("local")),
                endpoint(name, "remote", values.get("remote")), values.get("netns"), mtu);
        return new PeerLinkSpec(name, text.strip(), tunnel, List.copyOf(ip), Map.copyOf(plugged), echo);
    }

    private static InetSocketAddress endpoint(String name, String key, String text) {
        HostAddress parsed;
        try {
            parsed = HostAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("peer link " + name + ": " + key + "=" + text + ": " + e.getMessage(),
                    e);
        }
        if (!parsed.protocol().equals(HostAddress.IPV4) && !parsed.protocol().equals(HostAddress.IPV6)) {
            throw new IllegalArgumentException("peer link " + name + ": " + key + "=" + text + " must be an IPv4 or"
                    + " IPv6 address and port, such as 127.0.0.1:6081 or [fd00::1]:6081");
        }
        return parsed.socketAddress(0);
    }

    private static int number(String name, Map<String, String> values, String key, int otherwise) {
        String text = values.get(key);
        if (text == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("peer link " + name + ": " + key + "=" + text + " is not a number", e);
        }
    }

    /** @return the stack's own addresses as operators write them: IP prefixes, then PROTOCOL:ADDRESS */
    List<String> addresses() {
        List<String> all = new ArrayList<>(ipAddresses.stream().map(IpCidr::toString).toList());
        plugged.forEach((protocol, list) -> list.forEach(a -> all.add(protocol + ":" + a)));
        return all;
    }
}
