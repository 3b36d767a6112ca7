package layer45.mnet;

import java.util.List;
import java.util.Objects;

/**
 * Whether the stack runs, and on what.
 *
 * @param running whether the stack is attached to its device and processing packets
 * @param reason why the stack is off, in one line with the fix; empty when it runs
 * @param device the device's name, such as {@code l45tun0}; empty when off
 * @param namespace the network namespace the device is in; empty for the runtime's own namespace
 * @param mtu the device's MTU; 0 when off
 * @param addresses the stack's own addresses with their prefix lengths
 * @param peerAddresses the addresses of the other end of the device (the namespace's side)
 * @param protocols the network protocols the stack speaks, built-in and plugged in
 */
public record NetStackStatus(boolean running, String reason, String device, String namespace, int mtu,
        List<String> addresses, List<String> peerAddresses, List<String> protocols) {

    /** Copies the lists. */
    public NetStackStatus {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(namespace, "namespace");
        addresses = List.copyOf(addresses);
        peerAddresses = List.copyOf(peerAddresses);
        protocols = List.copyOf(protocols);
    }

    /**
     * @param reason why the stack is off, with the fix
     * @return the status of a stack that is off
     */
    public static NetStackStatus off(String reason) {
        return new NetStackStatus(false, reason, "", "", 0, List.of(), List.of(), List.of());
    }
}
