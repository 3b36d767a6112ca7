package layer45.mnet;

/**
 * One TCP connection the stack terminates.
 *
 * @param network the network protocol's name, such as {@code ipv4}
 * @param local the application's side, as {@code address:port}
 * @param remote the peer's side
 * @param state the RFC 9293 state, such as {@code ESTABLISHED}
 * @param runtimeFlowId the flow's identifier in the customization runtime, or 0 when no runtime is attached
 * @param bytesFromApplication bytes received from the application, in order
 * @param bytesToApplication bytes queued toward the application
 * @param sendQueue bytes queued toward the application and not yet acknowledged
 * @param receiveQueue bytes received and not yet taken by the stack's side (the relay, a service)
 * @param congestionWindow the congestion window, in bytes
 * @param smoothedRttMicros the smoothed round-trip time, in microseconds; -1 before the first sample
 * @param namespace the network namespace of the application's side; empty for the runtime's own (since 1.2)
 */
public record TcpConnectionStatus(String network, String local, String remote, String state, long runtimeFlowId,
        long bytesFromApplication, long bytesToApplication, int sendQueue, int receiveQueue, int congestionWindow,
        long smoothedRttMicros, String namespace) {

    /** A connection whose namespace is not told (the 1.1 form). */
    public TcpConnectionStatus(String network, String local, String remote, String state, long runtimeFlowId,
            long bytesFromApplication, long bytesToApplication, int sendQueue, int receiveQueue, int congestionWindow,
            long smoothedRttMicros) {
        this(network, local, remote, state, runtimeFlowId, bytesFromApplication, bytesToApplication, sendQueue,
                receiveQueue, congestionWindow, smoothedRttMicros, "");
    }

    /**
     * @param name the namespace of the application's side
     * @return the same connection, in that namespace
     * @since 1.2
     */
    public TcpConnectionStatus inNamespace(String name) {
        return new TcpConnectionStatus(network, local, remote, state, runtimeFlowId, bytesFromApplication,
                bytesToApplication, sendQueue, receiveQueue, congestionWindow, smoothedRttMicros, name);
    }
}
