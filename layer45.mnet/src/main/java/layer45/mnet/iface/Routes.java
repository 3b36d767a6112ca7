package layer45.mnet.iface;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import layer45.mnet.wire.IpAddress;
import layer45.mnet.wire.IpCidr;

/**
 * The table that picks the network layer for an outgoing destination: the longest matching prefix wins. IPv4
 * destinations go to IPv4 and IPv6 ones to IPv6 by default; a plugged-in protocol claims the prefixes (written as
 * IPv6) its addresses live in. Copy-on-write: read on the loop thread, changed from anywhere.
 */
public final class Routes {

    /** One entry: destinations under {@code prefix} are sent with {@code layer}. */
    public record Route(IpCidr prefix, NetworkLayer layer) {
    }

    private volatile List<Route> routes = List.of();

    /**
     * @param prefix the destinations
     * @param layer the network layer that sends to them
     */
    public synchronized void add(IpCidr prefix, NetworkLayer layer) {
        List<Route> next = new ArrayList<>(routes);
        next.removeIf(route -> route.prefix().equals(prefix));
        next.add(new Route(prefix, layer));
        next.sort(Comparator.comparingInt((Route route) -> route.prefix().prefixLength()).reversed());
        routes = List.copyOf(next);
    }

    /** @param layer a network layer whose routes all go */
    public synchronized void removeAll(NetworkLayer layer) {
        List<Route> next = new ArrayList<>(routes);
        next.removeIf(route -> route.layer() == layer);
        routes = List.copyOf(next);
    }

    /**
     * @param destination where to send
     * @return the network layer for it, or {@code null} if no route matches
     */
    public NetworkLayer lookup(IpAddress destination) {
        for (Route route : routes) {
            if (route.prefix().contains(destination)) {
                return route.layer();
            }
        }
        return null;
    }

    /** @return the routes, longest prefix first */
    public List<Route> all() {
        return routes;
    }
}
