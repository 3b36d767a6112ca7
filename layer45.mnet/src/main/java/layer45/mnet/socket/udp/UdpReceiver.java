package layer45.mnet.socket.udp;

import java.nio.ByteBuffer;

/** Takes the datagrams that arrive at a bound {@link UdpSocket}. Called on the stack's loop thread. */
@FunctionalInterface
public interface UdpReceiver {

    /**
     * @param socket the socket they arrived at
     * @param flow the flow of the application that sent it; reply with {@link UdpFlow#send(ByteBuffer)}
     * @param payload the payload from position to limit; valid only during the call
     */
    void received(UdpSocket socket, UdpFlow flow, ByteBuffer payload);

    /**
     * Hears that a flow's remote endpoint cannot be reached (an ICMP destination-unreachable error came back about a
     * datagram the socket sent). Ignored by default, as a kernel's unconnected UDP socket does.
     *
     * @param socket the socket
     * @param flow the flow
     * @param why what the error says
     */
    default void unreachable(UdpSocket socket, UdpFlow flow, layer45.mnet.iface.Unreachable why) {
    }
}
