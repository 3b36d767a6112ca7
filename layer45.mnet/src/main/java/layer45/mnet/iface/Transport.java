package layer45.mnet.iface;

import java.nio.ByteBuffer;

/** A transport protocol that network layers hand received payloads to (UDP; TCP later). Loop thread only. */
public interface Transport {

    /** The payload was taken (delivered, or dropped and counted by the transport). */
    int DELIVERED = 0;
    /** No endpoint or flow wants it: the network layer answers with ICMP port unreachable. */
    int PORT_UNREACHABLE = 1;
    /** Nothing can reach the destination (no relay for a foreign address): ICMP host/address unreachable. */
    int HOST_UNREACHABLE = 2;

    /** @return the transport protocol number this transport handles */
    int protocolNumber();

    /**
     * Takes one received transport packet.
     *
     * @param layer the network layer it came from
     * @param srcHigh the source address's high 64 bits
     * @param srcLow its low 64 bits
     * @param dstHigh the destination address's high 64 bits
     * @param dstLow its low 64 bits
     * @param ownDestination whether the destination is one of the stack's own addresses (otherwise the stack
     *        terminates a flow to a foreign address on the application's behalf)
     * @param buffer the buffer holding it
     * @param offset the absolute index of the transport header
     * @param length the transport header and payload length
     * @param pseudoHeaderSum the network layer's pseudo-header sum for checksums
     * @return {@link #DELIVERED}, {@link #PORT_UNREACHABLE} or {@link #HOST_UNREACHABLE}
     */
    int receive(NetworkLayer layer, long srcHigh, long srcLow, long dstHigh, long dstLow, boolean ownDestination,
            ByteBuffer buffer, int offset, int length, long pseudoHeaderSum);

    /**
     * Hears that a packet this transport sent could not be delivered: an ICMP destination-unreachable error came
     * back quoting it. The default ignores it (RFC 1122, 4.1.3.3 lets UDP pass it to the application; TCP gives up
     * a connection attempt, 4.2.3.9).
     *
     * @param layer the network layer the error came over
     * @param why what the error says
     * @param srcHigh the quoted packet's source (one of the stack's own addresses), high 64 bits
     * @param srcLow its low 64 bits
     * @param dstHigh the quoted packet's destination, high 64 bits
     * @param dstLow its low 64 bits
     * @param buffer holds the quoted transport header
     * @param offset where it starts
     * @param length how many of its bytes were quoted, at least 8 (the ports)
     */
    default void unreachable(NetworkLayer layer, Unreachable why, long srcHigh, long srcLow, long dstHigh,
            long dstLow, ByteBuffer buffer, int offset, int length) {
    }

    /** Runs timers: closes idle flows. Called by the interface when {@link #nextDeadline()} has passed. */
    void maintain();

    /** @return when {@link #maintain()} next has work, on the stack's clock; {@link Long#MAX_VALUE} if never */
    long nextDeadline();
}
