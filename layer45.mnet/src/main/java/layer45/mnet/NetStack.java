package layer45.mnet;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The running network stack, as a service: what it is attached to, what it counted, and which flows it carries.
 * Registered whether or not the stack could start, so operators can always ask it why it is off.
 */
@ProviderType
public interface NetStack {

    /** @return whether the stack runs, and on what; or why not */
    NetStackStatus status();

    /**
     * Every counter of the stack, by layer ({@code device}, {@code ipv4}, {@code ipv6}, {@code icmpv4},
     * {@code icmpv6}, {@code udp}, {@code reassembly-ipv4}, …) and then by name. Drops are counted under the reason
     * they happened for, such as {@code ipv4 / bad-checksum}. Zeros are included.
     *
     * @return a snapshot, in a stable order
     */
    Map<String, Map<String, Long>> counters();

    /** @return the UDP flows open now */
    List<UdpFlowStatus> udpFlows();

    /**
     * @return the TCP connections in the stack now, TIME_WAIT included
     * @since 1.1
     */
    List<TcpConnectionStatus> tcpConnections();

    /**
     * Wires a network namespace to the stack: creates or joins it, gives it a TUN link whose other end is a stack
     * of its own (with the relay to the host and the requested port forwards), and returns once programs run there
     * can use the network. The configured namespace ({@code net.netns}) is attached at start.
     *
     * @param request which namespace, and how
     * @return the new link's status
     * @throws IllegalArgumentException if the request cannot be carried out as asked (a namespace to join is
     *         missing, a forward is malformed or its host port taken); the message says which and what to do
     * @throws IllegalStateException if the stack is off or the namespace is already attached
     * @since 1.2
     */
    NetStackStatus attach(NamespaceRequest request);

    /**
     * Unwires a namespace: its flows are reset, its link removed, and the namespace deleted if the stack created
     * it.
     *
     * @param namespace the namespace's name
     * @return whether it was attached
     * @since 1.2
     */
    boolean detach(String namespace);

    /**
     * @return every attached namespace's link, the configured one first; empty when the stack is off
     * @since 1.2
     */
    List<NetStackStatus> links();

    /**
     * The stack's sockets for programs inside the runtime: datagram and stream sockets that address peers by host
     * identifier, over every network protocol the stack speaks.
     *
     * @return the sockets; they follow the stack (off while it is off: their calls then say why)
     * @throws UnsupportedOperationException if this implementation has none (one that predates 1.4)
     * @since 1.4
     */
    default HostSockets sockets() {
        throw new UnsupportedOperationException(getClass().getName() + " offers no sockets; use the NetStack service"
                + " of layer45.mnet 1.4 or later");
    }
}
