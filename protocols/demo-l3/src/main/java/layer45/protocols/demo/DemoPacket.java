package layer45.protocols.demo;

import java.nio.ByteBuffer;

/**
 * The demo protocol's header, as a checked view over a received packet. Forty bytes, big-endian:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+---------------+---------------+
 * | magic (0xDE)  |  version (1)  |   transport   |   hop limit   |
 * +---------------+---------------+---------------+---------------+
 * |        payload length         |         reserved (0)          |
 * +-------------------------------+-------------------------------+
 * |                                                               |
 * +                   source address (128 bits)                   +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                                                               |
 * +                destination address (128 bits)                 +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |   transport payload (UDP, TCP) ...
 * </pre>
 *
 * The transport is an IP protocol number (17 for UDP); the payload length counts the bytes after the header, and
 * bytes beyond it (link padding) are ignored. Reserved bytes are written as zero and ignored on receipt. The view
 * reads from index 0 of its buffer, never moves it, and allocates nothing.
 */
public final class DemoPacket {

    /** The header's length in bytes. */
    public static final int HEADER_LENGTH = 40;
    /** The first byte of every packet. */
    public static final int MAGIC = 0xDE;
    /** The version this code writes and reads. */
    public static final int VERSION = 1;

    /** Drop reason: shorter than the header. */
    public static final String TRUNCATED = "truncated";
    /** Drop reason: the first byte is not {@link #MAGIC}. */
    public static final String BAD_MAGIC = "bad-magic";
    /** Drop reason: a version other than {@link #VERSION}. */
    public static final String BAD_VERSION = "bad-version";
    /** Drop reason: the payload length runs past the packet. */
    public static final String BAD_LENGTH = "bad-length";
    /** Drop reason: a hop limit of zero, which no sender may use. */
    public static final String ZERO_HOP_LIMIT = "zero-hop-limit";

    private ByteBuffer packet;

    /**
     * @param buffer a packet, from index 0 to its limit
     * @return this view
     */
    public DemoPacket wrap(ByteBuffer buffer) {
        this.packet = buffer;
        return this;
    }

    /** @return {@code null} if the packet is well-formed, else the drop reason (one of the constants); never throws */
    public String check() {
        if (packet.limit() < HEADER_LENGTH) {
            return TRUNCATED;
        }
        if ((packet.get(0) & 0xFF) != MAGIC) {
            return BAD_MAGIC;
        }
        if ((packet.get(1) & 0xFF) != VERSION) {
            return BAD_VERSION;
        }
        if (payloadLength() > packet.limit() - HEADER_LENGTH) {
            return BAD_LENGTH;
        }
        return hopLimit() == 0 ? ZERO_HOP_LIMIT : null;
    }

    /** @return the transport's IP protocol number */
    public int transport() {
        return packet.get(2) & 0xFF;
    }

    /** @return the hop limit */
    public int hopLimit() {
        return packet.get(3) & 0xFF;
    }

    /** @return the length of the transport payload after the header */
    public int payloadLength() {
        return packet.getShort(4) & 0xFFFF;
    }

    /** @return the source address, high 64 bits */
    public long sourceHigh() {
        return packet.getLong(8);
    }

    /** @return the source address, low 64 bits */
    public long sourceLow() {
        return packet.getLong(16);
    }

    /** @return the destination address, high 64 bits */
    public long destinationHigh() {
        return packet.getLong(24);
    }

    /** @return the destination address, low 64 bits */
    public long destinationLow() {
        return packet.getLong(32);
    }

    /**
     * Writes a header at index 0.
     *
     * @param buffer the packet being built, big-endian; every header byte is written
     * @param transport the transport's IP protocol number
     * @param hopLimit the hop limit, 1..255
     * @param payloadLength the transport payload's length
     * @param srcHigh the source address, high 64 bits
     * @param srcLow its low 64 bits
     * @param dstHigh the destination address, high 64 bits
     * @param dstLow its low 64 bits
     */
    public static void write(ByteBuffer buffer, int transport, int hopLimit, int payloadLength, long srcHigh,
            long srcLow, long dstHigh, long dstLow) {
        buffer.put(0, (byte) MAGIC).put(1, (byte) VERSION).put(2, (byte) transport).put(3, (byte) hopLimit)
                .putShort(4, (short) payloadLength).putShort(6, (short) 0).putLong(8, srcHigh).putLong(16, srcLow)
                .putLong(24, dstHigh).putLong(32, dstLow);
    }
}
