package layer45.mnet.frag;

import java.nio.ByteBuffer;

/**
 * A datagram a {@link Reassembler} lends to its caller: a completed one, or an incomplete one being discarded on
 * timeout (for the ICMP "fragment reassembly time exceeded" error). Valid only during the call that lends it.
 */
public final class ReassembledDatagram {

    final Slot slot;

    ReassembledDatagram(Slot slot) {
        this.slot = slot;
    }

    /** @return 4 or 6 */
    public int family() {
        return slot.family;
    }

    /** @return the source address's high 64 bits */
    public long srcHigh() {
        return slot.srcHigh;
    }

    /** @return the source address's low 64 bits */
    public long srcLow() {
        return slot.srcLow;
    }

    /** @return the destination address's high 64 bits */
    public long dstHigh() {
        return slot.dstHigh;
    }

    /** @return the destination address's low 64 bits */
    public long dstLow() {
        return slot.dstLow;
    }

    /** @return the transport protocol */
    public int protocol() {
        return slot.protocol;
    }

    /** @return the identification field */
    public int ident() {
        return slot.ident;
    }

    /**
     * @return the buffer holding the headers kept from the first fragment (offset 0), from index 0 to
     *         {@link #headerLength()}; read it with absolute gets and do not keep it
     */
    public ByteBuffer headerBuffer() {
        return slot.header;
    }

    /** @return bytes of headers kept: 0 when the first fragment never came; at most {@link Reassembler#MAX_KEPT_HEADER} */
    public int headerLength() {
        return slot.headerLength;
    }

    /**
     * @return the buffer holding the payload, from index 0 to {@link #payloadLength()}; read it with absolute gets
     *         and do not keep it
     */
    public ByteBuffer payloadBuffer() {
        return slot.data;
    }

    /**
     * @return the payload's length: the whole payload when complete; when incomplete, the bytes received
     *         contiguously from offset 0 (0 when the first fragment never came)
     */
    public int payloadLength() {
        return slot.contiguousFromZero();
    }

    /** @return whether the fragment at offset 0 arrived */
    public boolean hasFirstFragment() {
        return slot.hasRangeAt(0);
    }
}
