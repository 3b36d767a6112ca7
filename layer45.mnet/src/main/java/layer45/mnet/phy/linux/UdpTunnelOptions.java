package layer45.mnet.phy.linux;

import java.net.InetSocketAddress;
import java.util.Objects;
import layer45.mnet.phy.DeviceCapabilities;

/**
 * Where a {@link UdpTunnelDevice} runs: its kernel socket's own address and port, the other end's, the network
 * namespace the socket is opened in, and the MTU of the packets it carries.
 *
 * @param name a short name for logs and counters
 * @param local the address and port the socket binds (port 0: any free one)
 * @param remote the other end's address and port; datagrams from anywhere else are dropped
 * @param namespace the network namespace to open the socket in, or {@code null} for the runtime's own
 * @param mtu the largest packet carried; the datagram is {@value layer45.mnet.wire.TunnelFrame#HEADER_LENGTH}
 *        bytes longer, and the IP and UDP headers around it 28 (IPv4) or 48 (IPv6) more: 1400 fits a 1500-byte
 *        Ethernet or veth link
 */
public record UdpTunnelOptions(String name, InetSocketAddress local, InetSocketAddress remote, String namespace,
        int mtu) {

    /** An MTU that fits the tunnel's datagrams into a 1500-byte link, over IPv4 or IPv6. */
    public static final int DEFAULT_MTU = 1400;

    /** @throws IllegalArgumentException if the MTU is outside what a device may have, or an address is missing */
    public UdpTunnelOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        if (local.isUnresolved() || remote.isUnresolved()) {
            throw new IllegalArgumentException("tunnel " + name + ": addresses must be numeric, not names ("
                    + local + ", " + remote + ")");
        }
        if (remote.getPort() == 0) {
            throw new IllegalArgumentException("tunnel " + name + ": the other end's port is 0; give its port");
        }
        new DeviceCapabilities(mtu, "tunnel " + name, DeviceCapabilities.Offloads.NONE);
        if (namespace != null && namespace.isBlank()) {
            namespace = null;
        }
    }
}
