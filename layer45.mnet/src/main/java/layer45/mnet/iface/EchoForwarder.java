package layer45.mnet.iface;

import java.net.InetAddress;

/**
 * Decides about echo requests (pings) to addresses that are not the stack's own: a relay pings the destination from
 * the host, or answers for an address it maps to the host, and then has the stack reply. Called on the loop thread;
 * must not block.
 */
@FunctionalInterface
public interface EchoForwarder {

    /**
     * @param destination the address pinged
     * @param reply sends the echo reply to the program, as if from the destination; run it on the loop thread, at most
     *        once, when the destination answered
     * @return whether the request is taken (else it is counted as not for the stack, and dropped)
     */
    boolean forward(InetAddress destination, Runnable reply);
}
