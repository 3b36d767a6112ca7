package layer45.mnet.iface;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import layer45.api.NetworkProtocol;

/**
 * A network-layer protocol of an {@link Interface}: IPv4 and IPv6 built in, others plugged in through
 * {@link layer45.mnet.NetworkProtocolHandler}. It takes received packets from the device, hands transport
 * payloads to the {@link Transport}s, and sends what they give it.
 *
 * <p>Addresses are 128 bits, as two longs (IPv4 in the low 32 bits). Loop thread only.
 */
public interface NetworkLayer {

    /** @return the link protocol number the layer's packets are carried under */
    int linkProtocol();

    /** @return the protocol as flows name it */
    NetworkProtocol protocol();

    /**
     * Processes one packet from the device. Never throws for bad input: drops and counts it.
     *
     * @param packet the packet from index 0 to its limit; valid only during the call
     */
    void receive(ByteBuffer packet);

    /**
     * Sends one transport packet, fragmenting it if the device's MTU requires.
     *
     * @param srcHigh the source address's high 64 bits
     * @param srcLow its low 64 bits
     * @param dstHigh the destination address's high 64 bits
     * @param dstLow its low 64 bits
     * @param transportProtocol the transport protocol number
     * @param transportLength the transport header and payload length
     * @param writer writes the transport header and payload
     * @return {@code true} if the packet went to the device, {@code false} if it was dropped (and counted)
     */
    boolean send(long srcHigh, long srcLow, long dstHigh, long dstLow, int transportProtocol, int transportLength,
            TransportWriter writer);

    /**
     * @param high an address's high 64 bits
     * @param low its low 64 bits
     * @return whether it is one of the stack's own addresses on this layer
     */
    boolean isOwnAddress(long high, long low);

    /**
     * Picks the stack's own address to send from toward a destination.
     *
     * @param dstHigh the destination's high 64 bits
     * @param dstLow its low 64 bits
     * @param into receives the source address: {@code into[0]} high, {@code into[1]} low
     * @return {@code false} if the layer has no address to send from
     */
    boolean sourceFor(long dstHigh, long dstLow, long[] into);

    /**
     * @param high an address's high 64 bits
     * @param low its low 64 bits
     * @return the address as Java names it (flows are described with it)
     */
    InetAddress toInetAddress(long high, long low);

    /**
     * The pseudo-header sum transport checksums cover over this layer, for a transport length other than the
     * payload length the layer gave (a UDP length field shorter than the IP payload).
     *
     * @param srcHigh the source address's high 64 bits
     * @param srcLow its low 64 bits
     * @param dstHigh the destination address's high 64 bits
     * @param dstLow its low 64 bits
     * @param transportProtocol the transport protocol number
     * @param transportLength the transport length to cover
     * @return the sum, not yet folded
     */
    long pseudoHeaderSum(long srcHigh, long srcLow, long dstHigh, long dstLow, int transportProtocol,
            int transportLength);

    /** @return the largest transport packet that can be sent without fragmenting */
    int maxTransportLength();

    /**
     * Tells the sender of a packet, later than its arrival, that it could not be delivered: an ICMP
     * destination-unreachable error (rate-limited like every error) quoting the packet, whose network header is
     * rebuilt from its addresses. For answers that only come after trying (a relay whose host connection failed).
     *
     * @param reason why
     * @param srcHigh the undeliverable packet's source (the one told), high 64 bits
     * @param srcLow its low 64 bits
     * @param dstHigh the packet's destination, high 64 bits
     * @param dstLow its low 64 bits
     * @param protocol the packet's transport protocol
     * @param transport the packet's transport header and payload, as much as is kept
     * @param offset where they start
     * @param length how many bytes
     */
    default void unreachable(Unreachable reason, long srcHigh, long srcLow, long dstHigh, long dstLow, int protocol,
            ByteBuffer transport, int offset, int length) {
        // Plugged-in protocols have no error messages of their own.
    }
}
