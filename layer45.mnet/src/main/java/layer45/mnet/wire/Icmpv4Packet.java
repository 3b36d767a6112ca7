package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * A reusable view of an ICMPv4 message (RFC 792) in a big-endian {@link ByteBuffer}: wrap it around exactly the IP
 * payload, since the checksum covers every byte of it.
 *
 * <p>Every message has the same 8-byte header: type, code, checksum and four bytes whose meaning depends on the
 * type ({@link #restOfHeader()}: echo identifier and sequence, a pointer, an MTU, or unused), then data (for errors,
 * the start of the datagram that caused them). Offsets are absolute indices into the buffer; the view never moves
 * the buffer's position. After {@link #check()} returns {@link WireCheck#VALID}, no accessor throws.
 */
public final class Icmpv4Packet extends IcmpPacket<Icmpv4Packet> {

    /** The length of the header. */
    public static final int HEADER_LENGTH = IcmpPacket.HEADER_LENGTH;

    /** Creates an empty view; {@link #wrap} it before use. */
    public Icmpv4Packet() {
    }

    /** @return the pointer of a Parameter Problem: the offset of the bad octet in the quoted header */
    public int pointer() {
        return buf.get(off + REST) & 0xFF;
    }

    /** @return the next-hop MTU of a Destination Unreachable, code fragmentation needed (RFC 1191) */
    public int nextHopMtu() {
        return buf.getShort(off + REST + 2) & 0xFFFF;
    }

    /** @return whether the checksum over the whole message is right */
    public boolean verifyChecksum() {
        return checksumRight(0);
    }

    /** Computes and stores the checksum over the whole wrapped message; call after the data is written. */
    public void fillChecksum() {
        storeChecksum(0);
    }

    @Override
    String describe() {
        return "ICMPv4 " + Icmpv4Type.name(type()) + " code " + code() + " len " + len;
    }
}
