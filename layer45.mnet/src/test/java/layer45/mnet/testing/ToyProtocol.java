package layer45.mnet.testing;

import java.nio.ByteBuffer;
import layer45.mnet.NetworkHeader;
import layer45.mnet.NetworkProtocolHandler;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.wire.Ipv6Address;

/**
 * A toy network protocol under {@link LinkProtocol#EXPERIMENTAL_1}: a 38-byte header of magic (2 bytes),
 * transport protocol, hop limit, payload length (2 bytes), then 16-byte source and destination addresses.
 */
public final class ToyProtocol implements NetworkProtocolHandler {

    /** The header's length. */
    public static final int HEADER = 38;
    /** The first two bytes of a packet. */
    public static final short MAGIC = 0x4C35;

    public volatile boolean failParse;
    public volatile boolean failEmit;
    public volatile boolean failHeaderLength;
    private final int linkProtocol;

    public ToyProtocol() {
        this(LinkProtocol.EXPERIMENTAL_1);
    }

    public ToyProtocol(int linkProtocol) {
        this.linkProtocol = linkProtocol;
    }

    @Override
    public int linkProtocol() {
        return linkProtocol;
    }

    @Override
    public String name() {
        return "toy";
    }

    @Override
    public int headerLength(NetworkHeader header) {
        if (failHeaderLength) {
            throw new IllegalStateException("toy headerLength bug");
        }
        return HEADER;
    }

    @Override
    public String parse(ByteBuffer packet, NetworkHeader header) {
        if (failParse) {
            throw new IllegalStateException("toy parse bug");
        }
        if (packet.limit() < HEADER) {
            return "truncated";
        }
        if (packet.getShort(0) != MAGIC) {
            return "bad-magic";
        }
        int length = packet.getShort(4) & 0xFFFF;
        if (length > packet.limit() - HEADER) {
            return "truncated";
        }
        header.source(packet.getLong(6), packet.getLong(14)).destination(packet.getLong(22), packet.getLong(30))
                .transport(packet.get(2) & 0xFF, packet.get(3) & 0xFF).payload(HEADER, length);
        return null;
    }

    @Override
    public void emit(ByteBuffer packet, NetworkHeader header) {
        if (failEmit) {
            throw new IllegalStateException("toy emit bug");
        }
        packet.putShort(0, MAGIC).put(2, (byte) header.transportProtocol()).put(3, (byte) header.hopLimit())
                .putShort(4, (short) header.payloadLength()).putLong(6, header.srcHigh())
                .putLong(14, header.srcLow()).putLong(22, header.dstHigh()).putLong(30, header.dstLow());
    }

    /** @return a whole toy packet around a transport packet */
    public static byte[] frame(Ipv6Address src, Ipv6Address dst, int protocol, byte[] transport) {
        ByteBuffer packet = ByteBuffer.allocate(HEADER + transport.length);
        packet.putShort(MAGIC).put((byte) protocol).put((byte) 64).putShort((short) transport.length)
                .putLong(src.high()).putLong(src.low()).putLong(dst.high()).putLong(dst.low()).put(transport);
        return packet.array();
    }
}
