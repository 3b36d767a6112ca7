package layer45.mnet.loop;

import java.util.List;
import java.util.Objects;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.socket.udp.UdpSettings;

/**
 * What a {@link RunningStack} is made of, besides its device.
 *
 * @param iface the interface's addresses and limits
 * @param udp UDP's limits
 * @param echoPort the port of the UDP echo service on the stack's own addresses (RFC 862), 0 for none
 * @param deviceName the device's name for operators
 * @param namespace the network namespace the device is in, "" for the runtime's own
 * @param peerAddresses the addresses of the other end of the device, for operators
 */
public record StackOptions(InterfaceConfig iface, UdpSettings udp, int echoPort, String deviceName, String namespace,
        List<String> peerAddresses) {

    /** Checks the values and copies the list. */
    public StackOptions {
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(udp, "udp");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(namespace, "namespace");
        peerAddresses = List.copyOf(peerAddresses);
        if (echoPort < 0 || echoPort > 65535) {
            throw new IllegalArgumentException("echo port " + echoPort + " is outside 0..65535 (0: no echo service)");
        }
    }
}
