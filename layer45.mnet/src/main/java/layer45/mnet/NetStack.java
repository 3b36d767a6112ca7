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
}
