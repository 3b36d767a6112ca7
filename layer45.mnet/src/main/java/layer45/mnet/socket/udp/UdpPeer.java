package layer45.mnet.socket.udp;

import java.nio.ByteBuffer;

/**
 * The stack's side of a UDP flow: what receives the application's datagrams once customized. A bound
 * {@link UdpSocket} is the peer of every flow to its address; a relay (for flows to foreign addresses) gives each
 * flow its own peer. Called on the stack's loop thread; must not block.
 */
public interface UdpPeer {

    /**
     * Takes one datagram from the application, after customization.
     *
     * @param flow the flow it came on; reply with {@link UdpFlow#send(ByteBuffer)}
     * @param payload the datagram's payload from position to limit; valid only during the call
     */
    void datagram(UdpFlow flow, ByteBuffer payload);

    /**
     * Says that a flow ended: idle, aborted, or its socket closed.
     *
     * @param flow the flow
     * @param reason why, for logs
     */
    default void closed(UdpFlow flow, String reason) {
    }

    /**
     * Hears that the endpoint beyond the device cannot be reached: an ICMP destination-unreachable error came back
     * about a datagram the stack sent on the flow. The flow stays open.
     *
     * @param flow the flow
     * @param why what the error says
     */
    default void unreachable(UdpFlow flow, layer45.mnet.iface.Unreachable why) {
    }

    /**
     * @return whether this peer runs the flow's customization chain itself (a relay does, on its own threads, so a
     *         slow module never holds the stack's loop); then the stack passes datagrams unchanged
     */
    default boolean customizes() {
        return false;
    }
}
