package layer45.mnet.relay;

import java.io.IOException;
import layer45.mnet.HostAddress;

/**
 * A stack that carries a plugged-in network protocol (a peer link), to which the relay hands the flows to that
 * protocol's addresses: a host identifier's {@code demo:fd4d::2} is reached through such a stack, not through the
 * host's sockets. The host-identifier table knows which stacks carry which protocol
 * ({@link layer45.mnet.mhost.HostTable#carriersOf}).
 */
public interface PluggedCarrier {

    /**
     * @param destination an address on a plugged-in protocol
     * @return whether this stack speaks the protocol now and the address is another stack's (not its own)
     */
    boolean reaches(HostAddress destination);

    /**
     * Opens a UDP path over the protocol to a destination.
     *
     * @param destination the address, on a plugged-in protocol
     * @param port the destination port
     * @return the path; its {@code send} and {@code receive} fail as unreachable once the protocol is unplugged, so
     *         the flow fails over to the identifier's next address
     * @throws IOException (as unreachable) if the stack does not speak the protocol now
     */
    HostDatagrams datagramsTo(HostAddress destination, int port) throws IOException;

    /**
     * Opens the path to an address on a plugged-in protocol through a stack that carries it.
     *
     * @param table the table that knows the carrying stacks
     * @param address the address, such as {@code demo:fd4d::2}
     * @param flowPort the port the program addressed, used unless the address names one
     * @return the path, not yet open
     * @throws java.net.NoRouteToHostException if no stack carries the protocol now
     */
    static HostDatagrams reach(layer45.mnet.mhost.HostTable table, HostAddress address, int flowPort)
            throws IOException {
        for (Object stack : table.carriersOf(address.protocol())) {
            if (stack instanceof PluggedCarrier carrier && carrier.reaches(address)) {
                return carrier.datagramsTo(address, address.port() == 0 ? flowPort : address.port());
            }
        }
        throw new java.net.NoRouteToHostException("no stack reaches " + address + " now (unreachable)");
    }
}
