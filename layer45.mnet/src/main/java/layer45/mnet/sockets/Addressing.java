package layer45.mnet.sockets;

import java.net.InetAddress;
import layer45.mnet.HostAddress;
import layer45.mnet.HostEndpoint;
import layer45.mnet.iface.Interface;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.wire.IpAddress;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv6Address;

/** Between {@link HostAddress}es and the stack's network layers, and peers' addresses and their host identifiers. */
final class Addressing {

    private Addressing() {
    }

    /**
     * @param iface the interface; loop thread
     * @param protocol a network protocol's name
     * @return the stack's layer of that protocol, or {@code null} if it has none now
     */
    static NetworkLayer layer(Interface iface, String protocol) {
        for (NetworkLayer layer : iface.layers()) {
            if (layer.protocol().name().equals(protocol)) {
                return layer;
            }
        }
        return null;
    }

    /**
     * @param iface the interface; loop thread
     * @param protocol a network protocol's name
     * @return why the stack cannot send on it now, or {@code null} if it can
     */
    static String unavailable(Interface iface, String protocol) {
        NetworkLayer layer = layer(iface, protocol);
        if (layer == null) {
            return "not in this stack";
        }
        long[] source = new long[2];
        return layer.sourceFor(0, 0, source) ? null : "has no address of the stack";
    }

    /** @return the address's high 64 bits (0 for IPv4) */
    static long high(InetAddress address) {
        return IpAddress.of(address) instanceof Ipv6Address v6 ? v6.high() : 0;
    }

    /** @return the address's low 64 bits (IPv4 in the low 32) */
    static long low(InetAddress address) {
        IpAddress ip = IpAddress.of(address);
        return ip instanceof Ipv6Address v6 ? v6.low() : ((Ipv4Address) ip).bits() & 0xFFFF_FFFFL;
    }

    /**
     * @param table the host-identifier table, or {@code null}
     * @param protocol the network protocol a peer came over
     * @param address its address
     * @param port its port
     * @return the peer, known by the first identifier that lists its address
     */
    static HostEndpoint peer(HostTable table, String protocol, InetAddress address, int port) {
        HostAddress at = new HostAddress(protocol, address, port);
        String identifier = table == null ? null : table.byAddress(at).map(id -> id.name()).orElse(null);
        return new HostEndpoint(identifier, at);
    }
}
