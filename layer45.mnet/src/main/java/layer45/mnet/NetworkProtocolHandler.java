package layer45.mnet;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A network (layer 3) protocol plugged into the stack beside the built-in IPv4 and IPv6, registered as an OSGi
 * service: the counterpart of the {@code mnet} kernel module's per-protocol handlers.
 *
 * <p>The stack demultiplexes received packets by their {@linkplain #linkProtocol() link protocol number}, asks the
 * handler to {@linkplain #parse parse} the header, and hands the transport payload to its transports (UDP) exactly
 * as it does for IPv4 and IPv6, so flows over this protocol are customized like any other; their
 * {@link layer45.api.NetworkProtocol} is this handler's {@link #name()}. For sending, the stack's route table picks
 * this handler for the destinations configured for it, and asks it to {@linkplain #emit emit} the header.
 *
 * <p>Calls come from the stack's loop thread, one at a time. A handler must not block and must not keep the
 * buffers it is given. Whatever a handler throws is caught and counted under {@code handler-failed}, and the packet
 * is dropped; the stack keeps running.
 *
 * <p>Transport checksums over this protocol use an IPv6-style pseudo-header of the 128-bit addresses
 * (RFC 8200, section 8.1), unless {@link #pseudoHeaderSum} is overridden.
 */
@ConsumerType
public interface NetworkProtocolHandler {

    /**
     * @return the number the protocol is carried under on a link, an EtherType (see
     *         {@link layer45.mnet.phy.LinkProtocol}, which is private; use the IEEE local experimental values
     *         0x88B5 and 0x88B6 for tests). Must not be 0x0800 or 0x86DD.
     */
    int linkProtocol();

    /** @return the protocol's name for flows, logs and counters: lower-case letters, digits, '-' or '.' */
    String name();

    /**
     * @param header the packet's facts (addresses, transport protocol, hop limit, payload length)
     * @return the length of the header this protocol writes in front of such a payload
     */
    int headerLength(NetworkHeader header);

    /**
     * Reads a received packet's header into {@code header}: addresses, transport protocol, hop limit, and where
     * the transport payload is.
     *
     * @param packet the packet, from index 0 to its limit; read-only use, not to be kept
     * @param header filled in by the handler
     * @return {@code null} if the packet is well-formed, or a short reason for the drop counter (such as
     *         {@code "truncated"}); the stack counts it as {@code <name> / <reason>}
     */
    String parse(ByteBuffer packet, NetworkHeader header);

    /**
     * Writes the header of a packet to send, at index 0 of {@code packet}; the transport payload follows at index
     * {@link #headerLength(NetworkHeader)}, and {@link NetworkHeader#payloadLength()} says how long it is.
     *
     * @param packet the buffer being sent, big-endian, with stale bytes: every header byte must be written
     * @param header the packet's facts
     */
    void emit(ByteBuffer packet, NetworkHeader header);

    /**
     * The one's complement sum of the pseudo-header that transport checksums cover for this protocol.
     *
     * @param header the packet's addresses and transport protocol
     * @param transportLength the transport header and payload length
     * @return the sum, not yet folded
     */
    default long pseudoHeaderSum(NetworkHeader header, int transportLength) {
        return words(header.srcHigh()) + words(header.srcLow()) + words(header.dstHigh()) + words(header.dstLow())
                + (transportLength >>> 16) + (transportLength & 0xFFFF) + header.transportProtocol();
    }

    private static long words(long value) {
        return (value >>> 48) + (value >>> 32 & 0xFFFF) + (value >>> 16 & 0xFFFF) + (value & 0xFFFF);
    }
}
