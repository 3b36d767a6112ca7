package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * A checked view of one datagram of the layer45 tunnel: a link frame (a link protocol number and the packet) in a
 * UDP datagram between two layer45 stacks, like a minimal GUE (RFC draft-ietf-intarea-gue) or VXLAN, so that
 * IPv4, IPv6 and plugged-in network protocols all cross one kernel socket.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+---------------+---------------+
 * |      magic 0x4C35 ("L5")      |  version (1)  |  reserved (0) |
 * +-------------------------------+---------------+---------------+
 * |   link protocol (EtherType)   |         reserved (0)          |
 * +-------------------------------+-------------------------------+
 * |   packet ...
 * </pre>
 *
 * Reserved bytes are written as zero and ignored on receipt. The view reads a buffer from index 0 to its limit and
 * never moves its position; nothing is allocated.
 */
public final class TunnelFrame {

    /** The header's length in bytes. */
    public static final int HEADER_LENGTH = 8;
    /** The first two bytes of every frame. */
    public static final int MAGIC = 0x4C35;
    /** The version this code writes and reads. */
    public static final int VERSION = 1;
    /** The smallest EtherType (IEEE 802.3: values below are lengths). */
    private static final int MIN_ETHERTYPE = 0x0600;

    private ByteBuffer buffer;

    /**
     * @param datagram the datagram, from index 0 to its limit
     * @return this view
     */
    public TunnelFrame wrap(ByteBuffer datagram) {
        this.buffer = datagram;
        return this;
    }

    /** @return {@link TunnelCheck#VALID}, or why the datagram is no frame of this tunnel; never throws */
    public TunnelCheck check() {
        int length = buffer.limit();
        if (length < HEADER_LENGTH) {
            return TunnelCheck.TRUNCATED;
        }
        if ((buffer.getShort(0) & 0xFFFF) != MAGIC) {
            return TunnelCheck.BAD_MAGIC;
        }
        if ((buffer.get(2) & 0xFF) != VERSION) {
            return TunnelCheck.BAD_VERSION;
        }
        if (linkProtocol() < MIN_ETHERTYPE) {
            return TunnelCheck.BAD_PROTOCOL;
        }
        return length == HEADER_LENGTH ? TunnelCheck.EMPTY : TunnelCheck.VALID;
    }

    /** @return the link protocol number of the packet */
    public int linkProtocol() {
        return buffer.getShort(4) & 0xFFFF;
    }

    /** @return the packet's length: the datagram's less the header */
    public int packetLength() {
        return buffer.limit() - HEADER_LENGTH;
    }

    /**
     * Writes a frame's header at index 0.
     *
     * @param datagram the datagram being built
     * @param linkProtocol the packet's link protocol number
     */
    public static void writeHeader(ByteBuffer datagram, int linkProtocol) {
        datagram.putShort(0, (short) MAGIC).put(2, (byte) VERSION).put(3, (byte) 0)
                .putShort(4, (short) linkProtocol).putShort(6, (short) 0);
    }
}
