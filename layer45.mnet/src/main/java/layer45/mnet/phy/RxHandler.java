package layer45.mnet.phy;

import java.nio.ByteBuffer;

/** Takes a packet a {@link Device} lends on receive. */
@FunctionalInterface
public interface RxHandler {

    /**
     * Handles one received packet.
     *
     * @param protocol the packet's link protocol, one of {@link LinkProtocol}
     * @param packet the packet from position 0 to its limit, big-endian; the handler may read and modify it, and
     *        must not keep it: it is valid only during this call
     */
    void receive(int protocol, ByteBuffer packet);
}
