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
}
