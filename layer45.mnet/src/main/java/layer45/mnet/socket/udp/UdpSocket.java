package layer45.mnet.socket.udp;

import java.nio.ByteBuffer;
import layer45.mnet.iface.NetworkLayer;

/**
 * A UDP endpoint bound in the stack: a service that programs beyond the device reach at one of the stack's own
 * addresses (the echo service, say), and from which the stack can also send first. Each remote endpoint it talks
 * with is one {@link UdpFlow}, customized like any other.
 *
 * <p>Loop thread only.
 */
public final class UdpSocket implements UdpPeer {

    private final UdpLayer udp;
    private final NetworkLayer network;
    private final long addressHigh;
    private final long addressLow;
    private final boolean anyAddress;
    private final int port;
    private final UdpReceiver receiver;
    private boolean closed;

    UdpSocket(UdpLayer udp, NetworkLayer network, long addressHigh, long addressLow, boolean anyAddress, int port,
            UdpReceiver receiver) {
        this.udp = udp;
        this.network = network;
        this.addressHigh = addressHigh;
        this.addressLow = addressLow;
        this.anyAddress = anyAddress;
        this.port = port;
        this.receiver = receiver;
    }

    /** @return the bound port */
    public int port() {
        return port;
    }

    /**
     * Sends a datagram to an endpoint beyond the device, opening a flow for it if there is none: this socket is
     * then the flow's application.
     *
     * @param to the network layer to send on
     * @param high the destination's high 64 bits
     * @param low its low 64 bits
     * @param toPort the destination port
     * @param payload the payload from position to limit; not kept
     * @return {@code false} if the datagram could not be sent (counted)
     * @throws IllegalArgumentException if the socket is bound to another network, or to an address that is not
     *         an own address of {@code to}
     * @throws IllegalStateException if the socket is closed
     */
    public boolean sendTo(NetworkLayer to, long high, long low, int toPort, ByteBuffer payload) {
        UdpFlow flow = flowTo(to, high, low, toPort);
        return flow != null && flow.send(payload);
    }

    /**
     * Finds or opens this socket's flow to an endpoint beyond the device.
     *
     * @param to the network layer to send on
     * @param high the destination's high 64 bits
     * @param low its low 64 bits
     * @param toPort the destination port
     * @return the flow, or {@code null} if the flow table is full or the customization runtime refused it (counted)
     * @throws IllegalArgumentException as {@link #sendTo}
     * @throws IllegalStateException if the socket is closed or the layer has no address to send from
     */
    public UdpFlow flowTo(NetworkLayer to, long high, long low, int toPort) {
        if (closed) {
            throw new IllegalStateException("UDP socket on port " + port + " is closed; bind a new one");
        }
        return udp.flowFromSocket(this, to, high, low, toPort);
    }

    /** Closes the socket and every flow it has. Idempotent. */
    public void close() {
        if (!closed) {
            closed = true;
            udp.unbind(this);
        }
    }

    @Override
    public void datagram(UdpFlow flow, ByteBuffer payload) {
        receiver.received(this, flow, payload);
    }

    @Override
    public void unreachable(UdpFlow flow, layer45.mnet.iface.Unreachable why) {
        receiver.unreachable(this, flow, why);
    }

    boolean accepts(NetworkLayer layer, long high, long low, int dstPort) {
        return !closed && dstPort == port && (network == null || network == layer)
                && (anyAddress ? layer.isOwnAddress(high, low) : high == addressHigh && low == addressLow);
    }

    NetworkLayer network() {
        return network;
    }

    boolean anyAddress() {
        return anyAddress;
    }

    long addressHigh() {
        return addressHigh;
    }

    long addressLow() {
        return addressLow;
    }

    @Override
    public String toString() {
        return "UDP socket on port " + port;
    }
}
