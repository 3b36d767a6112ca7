package layer45.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The facts about a flow that a customization can match on and read: protocols, addresses, ports and owner.
 *
 * <p>"Local" is the application's side and "remote" its peer's, whichever side opened the flow (the original
 * called them source and destination on the client and reversed them on the server).
 *
 * @param transport the layer 4 protocol
 * @param network the network protocol
 * @param local the application's address and port
 * @param remote the peer's address and port
 * @param initiator which side opened the flow
 * @param owner the process and thread owning the application's socket, or {@link ProcessOwner#UNKNOWN}
 */
public record FlowInfo(Transport transport, NetworkProtocol network, InetSocketAddress local,
        InetSocketAddress remote, Initiator initiator, ProcessOwner owner) {

    /** Checks that every fact is present and that addresses are resolved. */
    public FlowInfo {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(initiator, "initiator");
        Objects.requireNonNull(owner, "owner");
        requireResolved(local, "local");
        requireResolved(remote, "remote");
    }

    /** @return the application's address */
    public InetAddress localAddress() {
        return local.getAddress();
    }

    /** @return the application's port */
    public int localPort() {
        return local.getPort();
    }

    /** @return the peer's address */
    public InetAddress remoteAddress() {
        return remote.getAddress();
    }

    /** @return the peer's port */
    public int remotePort() {
        return remote.getPort();
    }

    @Override
    public String toString() {
        return transport.name().toLowerCase() + "/" + network + " " + format(local) + " <-> " + format(remote)
                + " opened by " + initiator.name().toLowerCase() + ", owner " + owner;
    }

    private static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static void requireResolved(InetSocketAddress address, String which) {
        Objects.requireNonNull(address, which);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(which + " address " + address + " is unresolved; a flow has IP addresses");
        }
    }
}
