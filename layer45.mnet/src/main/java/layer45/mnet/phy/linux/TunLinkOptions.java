package layer45.mnet.phy.linux;

import java.util.List;
import java.util.Objects;

/**
 * Where and how the stack's TUN link is set up.
 *
 * @param name the link's name, such as {@code l45tun0}
 * @param namespace the network namespace the link is moved into (created when missing, and deleted again when the
 *        link closes if it was created for it); {@code null} keeps the link in the runtime's own namespace
 * @param mtu the MTU
 * @param txQueueLength the link's transmit queue length in packets: how many packets the kernel may queue toward
 *        the stack
 * @param peerAddresses the addresses of the namespace's side of the link, with prefix lengths ({@code 10.45.0.2/24})
 * @param defaultRoutes whether the namespace routes everything through the link (IPv4 and IPv6 default routes);
 *        only allowed in a namespace of its own, never in the runtime's
 */
public record TunLinkOptions(String name, String namespace, int mtu, int txQueueLength, List<String> peerAddresses,
        boolean defaultRoutes) {

    /**
     * The largest receive window the stack advertises, in bytes: the transmit queue must hold a window's worth of
     * the smallest full-size segments, or the kernel drops what the stack invited it to send.
     */
    public static final int ADVERTISED_WINDOW = 4 << 20;

    /** Checks the values and copies the list. */
    public TunLinkOptions {
        new TunOptions(name, mtu);
        Objects.requireNonNull(peerAddresses, "peerAddresses");
        peerAddresses = List.copyOf(peerAddresses);
        if (txQueueLength < 1 || txQueueLength > 1_000_000) {
            throw new IllegalArgumentException("transmit queue length " + txQueueLength + " of " + name
                    + " is outside 1..1000000 packets");
        }
        if (defaultRoutes && namespace == null) {
            throw new IllegalArgumentException("default routes through " + name + " would take over the runtime's own"
                    + " network namespace; give the link a namespace of its own");
        }
        if (namespace != null) {
            NetworkNamespace.checkName(namespace);
        }
    }

    /**
     * The queue length that matches the advertised window: twice the window in segments of the MTU less 40
     * bytes of headers (room for both directions' bursts), within 64..10000.
     *
     * @param mtu the link's MTU
     * @return the queue length in packets
     */
    public static int queueLengthFor(int mtu) {
        long segments = Math.ceilDiv((long) ADVERTISED_WINDOW, mtu - 40);
        return (int) Math.clamp(2 * segments, 64, 10_000);
    }
}
