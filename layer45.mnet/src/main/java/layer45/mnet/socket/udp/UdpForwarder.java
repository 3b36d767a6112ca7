package layer45.mnet.socket.udp;

/**
 * Decides what becomes of a new UDP flow to a foreign address (the tun2socks pattern of gVisor's
 * {@code udp.Forwarder}): a relay returns the peer that carries the flow on, or refuses it. Called on the stack's
 * loop thread, once per flow, before its first datagram is delivered; must not block.
 */
@FunctionalInterface
public interface UdpForwarder {

    /**
     * @param flow the new flow
     * @return its peer, or {@code null} to refuse the flow (the application gets ICMP host unreachable)
     */
    UdpPeer open(UdpFlow flow);
}
