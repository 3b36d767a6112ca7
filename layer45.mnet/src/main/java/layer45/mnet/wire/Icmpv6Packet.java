package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * A reusable view of an ICMPv6 message (RFC 4443) in a big-endian {@link ByteBuffer}: wrap it around exactly the IP
 * payload, since the checksum covers every byte of it.
 *
 * <p>Every message has the same 8-byte header: type, code, checksum and four bytes whose meaning depends on the
 * type ({@link #restOfHeader()}: echo identifier and sequence, a pointer, an MTU, or unused), then data (for errors,
 * the start of the datagram that caused them). Offsets are absolute indices into the buffer; the view never moves
 * the buffer's position. After {@link #check()} returns {@link WireCheck#VALID}, no accessor throws.
 */
public final class Icmpv6Packet extends IcmpPacket<Icmpv6Packet> {

    /** The length of the header. */
    public static final int HEADER_LENGTH = IcmpPacket.HEADER_LENGTH;

    /** Creates an empty view; {@link #wrap} it before use. */
    public Icmpv6Packet() {
    }

    /** @return the pointer of a Parameter Problem: the offset of the error in the quoted packet (32 bits) */
    public int pointer() {
        return buf.getInt(off + REST);
    }

    /** @return the MTU of a Packet Too Big (32 bits) */
    public int mtu() {
        return buf.getInt(off + REST);
    }

    /**
     * @param pseudoHeaderSum the IPv6 pseudo-header sum for next header 58 and length {@link #length()}
     * @return whether the checksum over the whole message is right
     */
    public boolean verifyChecksum(long pseudoHeaderSum) {
        return checksumRight(pseudoHeaderSum);
    }

    /**
     * Computes and stores the checksum over the whole wrapped message; call after the data is written.
     *
     * @param pseudoHeaderSum the IPv6 pseudo-header sum for next header 58 and length {@link #length()}
     */
    public void fillChecksum(long pseudoHeaderSum) {
        storeChecksum(pseudoHeaderSum);
    }

    @Override
    String describe() {
        return "ICMPv6 " + Icmpv6Type.name(type()) + " code " + code() + " len " + len;
    }
}
