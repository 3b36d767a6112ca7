package layer45.mnet;

/**
 * One UDP flow the stack terminates.
 *
 * @param network the network protocol's name, such as {@code ipv4}
 * @param local the application's side, as {@code address:port}
 * @param remote the peer's side
 * @param runtimeFlowId the flow's identifier in the customization runtime, or 0 when no runtime is attached
 * @param datagramsFromApplication datagrams the application sent
 * @param datagramsToApplication datagrams delivered to the application
 * @param idleMillis how long ago the last datagram passed
 * @param namespace the network namespace of the application's side; empty for the runtime's own (since 1.2)
 */
public record UdpFlowStatus(String network, String local, String remote, long runtimeFlowId,
        long datagramsFromApplication, long datagramsToApplication, long idleMillis, String namespace) {

    /** A flow whose namespace is not told (the 1.1 form). */
    public UdpFlowStatus(String network, String local, String remote, long runtimeFlowId,
            long datagramsFromApplication, long datagramsToApplication, long idleMillis) {
        this(network, local, remote, runtimeFlowId, datagramsFromApplication, datagramsToApplication, idleMillis, "");
    }

    /**
     * @param name the namespace of the application's side
     * @return the same flow, in that namespace
     * @since 1.2
     */
    public UdpFlowStatus inNamespace(String name) {
        return new UdpFlowStatus(network, local, remote, runtimeFlowId, datagramsFromApplication,
                datagramsToApplication, idleMillis, name);
    }
}
