package layer45.mnet.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where on the host a flow from the namespace goes: the mapped host-loopback addresses to the host's loopback, DNS
 * to the stack's own address to the host's resolver, other own-address ports nowhere (refused), and any other
 * address to itself, if foreign destinations are relayed at all.
 */
final class Destinations {

    private static final int DNS = 53;
    private static final InetAddress LOOPBACK4 = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress LOOPBACK6 = InetAddress.ofLiteral("::1");

    private final InetAddress hostLoopback4;
    private final InetAddress hostLoopback6;
    private final List<InetSocketAddress> dns;
    private final boolean foreign;

    Destinations(RelaySettings settings) {
        this.hostLoopback4 = settings.hostLoopback4();
        this.hostLoopback6 = settings.hostLoopback6();
        this.dns = settings.dns();
        this.foreign = settings.foreign();
    }

    /**
     * @param requested the destination the program addressed
     * @param ownDestination whether it is one of the stack's own addresses
     * @return where to connect on the host, or {@code null} if the flow is not relayed
     */
    InetSocketAddress hostFor(InetSocketAddress requested, boolean ownDestination) {
        InetAddress address = requested.getAddress();
        if (address.equals(hostLoopback4)) {
            return new InetSocketAddress(LOOPBACK4, requested.getPort());
        }
        if (address.equals(hostLoopback6)) {
            return new InetSocketAddress(LOOPBACK6, requested.getPort());
        }
        if (ownDestination) {
            return requested.getPort() == DNS && !dns.isEmpty() ? dns.get(0) : null;
        }
        return foreign ? requested : null;
    }

}
