package layer45.mnet.loop;

import java.util.List;
import java.util.Objects;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.socket.tcp.TcpSettings;
import layer45.mnet.socket.udp.UdpSettings;

/**
 * What a {@link RunningStack} is made of, besides its device.
 *
 * @param iface the interface's addresses and limits
 * @param udp UDP's limits
 * @param tcp TCP's limits and timings
 * @param echoPort the port of the UDP and TCP echo services on the stack's own addresses (RFC 862), 0 for none
 * @param discardPort the port of the TCP discard service (RFC 863), 0 for none
 * @param httpPort the port of the fixed HTTP reply ({@link layer45.mnet.service.TcpFixedReply}), 0 for none
 * @param httpBytes the size of that reply's body
 * @param deviceName the device's name for operators
 * @param namespace the network namespace the device is in, "" for the runtime's own
 * @param peerAddresses the addresses of the other end of the device, for operators
 */
public record StackOptions(InterfaceConfig iface, UdpSettings udp, TcpSettings tcp, int echoPort, int discardPort,
        int httpPort, int httpBytes, String deviceName, String namespace, List<String> peerAddresses) {

    /**
     * Options with TCP's defaults and only the echo services.
     *
     * @param iface the interface's addresses and limits
     * @param udp UDP's limits
     * @param echoPort the UDP and TCP echo port, 0 for none
     * @param deviceName the device's name for operators
     * @param namespace the network namespace the device is in, "" for the runtime's own
     * @param peerAddresses the addresses of the other end of the device, for operators
     */
    public StackOptions(InterfaceConfig iface, UdpSettings udp, int echoPort, String deviceName, String namespace,
            List<String> peerAddresses) {
        this(iface, udp, TcpSettings.DEFAULTS, echoPort, 0, 0, 0, deviceName, namespace, peerAddresses);
    }

    /** Checks the values and copies the list. */
    public StackOptions {
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(udp, "udp");
        Objects.requireNonNull(tcp, "tcp");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(namespace, "namespace");
        peerAddresses = List.copyOf(peerAddresses);
        if (echoPort < 0 || echoPort > 65535) {
            throw new IllegalArgumentException("echo port " + echoPort + " is outside 0..65535 (0: no echo service)");
        }
        if (discardPort < 0 || discardPort > 65535) {
            throw new IllegalArgumentException("discard port " + discardPort + " is outside 0..65535 (0: none)");
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("HTTP port " + httpPort + " is outside 0..65535 (0: none)");
        }
        if (httpBytes < 0 || httpBytes > 1 << 30) {
            throw new IllegalArgumentException("HTTP reply size " + httpBytes + " is outside 0..1073741824 bytes");
        }
    }
}
