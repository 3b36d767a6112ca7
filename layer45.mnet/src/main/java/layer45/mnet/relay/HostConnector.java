package layer45.mnet.relay;

import java.io.IOException;

/**
 * How a relayed TCP connection from the namespace reaches its host side: one destination
 * ({@link DirectConnector}), a host identifier's addresses in turn ({@link FailoverConnector}), or the stack's name
 * service ({@link ResolvingConnector}). Called once, on a relay thread, while the program's SYN is held.
 */
interface HostConnector {

    /**
     * Connects.
     *
     * @param opening told of each host side as soon as it exists, so that an abort (the program gave up) closes it
     * @return the connected host side
     * @throws IOException the failure the program is answered with: refused becomes RST, the rest ICMP
     */
    HostStream connect(Opening opening) throws IOException;

    /** Hands the flow each host side as it is opened. */
    @FunctionalInterface
    interface Opening {
        /**
         * @param stream the host side being connected
         * @return {@code false} if the flow was aborted meanwhile: the connector closes it and gives up
         */
        boolean opened(HostStream stream);
    }
}
