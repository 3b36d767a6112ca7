package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * What every view shares: the window {@code buf[off, off + len)} it is wrapped around, the calls that move and
 * describe it, and the checksum over it; also the two rules IPv4 and TCP headers share (the option layout and a
 * header length counted in 32-bit words).
 *
 * <p>Self-typed so that {@code wrap} returns the concrete view ({@code new UdpPacket().wrap(buf)} is a
 * {@link UdpPacket}). The concrete views are final classes and the methods here are final, so every call on a view
 * stays monomorphic; subclasses read the fields directly with absolute gets.
 *
 * @param <V> the concrete view
 */
abstract sealed class PacketView<V extends PacketView<V>>
        permits Ipv4Packet, Ipv6Packet, TransportPacket, IcmpPacket {

    private static final int OPTION_EOL = 0;
    private static final int OPTION_NOP = 1;
    private static final int MIN_WORD_HEADER = 20;
    private static final int MAX_WORD_HEADER = 60;

    ByteBuffer buf;
    int off;
    int len;

    PacketView() {
    }

    /**
     * Points the view at {@code buf[offset, offset + length)} without checking anything (for emit; call
     * {@link #check()} before reading untrusted bytes).
     *
     * @param buf a big-endian buffer
     * @param offset absolute index of the header's first byte
     * @param length the number of bytes received (for a transport or ICMP view: exactly the IP payload), or room to
     *        emit into
     * @return this view
     */
    @SuppressWarnings("unchecked")
    public final V wrap(ByteBuffer buf, int offset, int length) {
        this.buf = buf;
        this.off = offset;
        this.len = length;
        return (V) this;
    }

    /**
     * Points the view at the buffer's remaining bytes without checking anything.
     *
     * @param buf a big-endian buffer whose position..limit is the packet
     * @return this view
     */
    public final V wrap(ByteBuffer buf) {
        return wrap(buf, buf.position(), buf.remaining());
    }

    /**
     * Checks the structure of received bytes, never throwing.
     *
     * @return {@link WireCheck#VALID}, or the first reason the bytes are malformed
     */
    public abstract WireCheck check();

    /** @return the buffer the view is on */
    public final ByteBuffer buffer() {
        return buf;
    }

    /** @return the absolute index of the header's first byte */
    public final int offset() {
        return off;
    }

    /**
     * @return the number of bytes wrapped; an IP view may wrap more than its header declares (trailing bytes are
     *         ignored), and a UDP view's own length field is {@link UdpPacket#udpLength()}
     */
    public final int length() {
        return len;
    }

    /**
     * The test every {@code check()} starts with.
     *
     * @param minLength the length of the fixed header
     * @return whether a buffer is wrapped, the region lies inside its limit, and holds at least {@code minLength}
     *         bytes
     */
    final boolean wrapsAtLeast(int minLength) {
        return buf != null && off >= 0 && len >= minLength && off <= buf.limit() - len;
    }

    /**
     * @param length the number of bytes from the view's offset that the checksum covers
     * @param initialSum 0, or the pseudo-header sum
     * @return the checksum to store, if the checksum field holds 0; 0 if the stored checksum is right
     */
    final int checksumOver(int length, long initialSum) {
        return Checksum.finish(Checksum.add(buf, off, length, initialSum));
    }

    /**
     * Checks the options of an IPv4 (RFC 791, section 3.1) or TCP (RFC 9293, section 3.1) header, which share one
     * layout: kind 0 (End of Option List) ends them, kind 1 (No-Operation) is one byte, and any other kind is
     * followed by a length byte that counts kind, length and data.
     *
     * @param from the absolute index of the first option byte
     * @param end the absolute index after the header
     * @param tcpKinds whether the option kinds TCP knows must also have their own length
     *        ({@code TcpPacket.lengthFits})
     * @return {@link WireCheck#VALID}, or {@link WireCheck#BAD_OPTIONS} if an option's length byte is missing,
     *         below 2, runs past {@code end} or (with {@code tcpKinds}) is wrong for its kind
     */
    final WireCheck checkOptions(int from, int end, boolean tcpKinds) {
        int i = from;
        while (i < end) {
            int kind = buf.get(i) & 0xFF;
            if (kind == OPTION_EOL) {
                break;
            }
            if (kind == OPTION_NOP) {
                i++;
                continue;
            }
            if (end - i < 2) {
                return WireCheck.BAD_OPTIONS;
            }
            int optLen = buf.get(i + 1) & 0xFF;
            if (optLen < 2 || optLen > end - i || tcpKinds && !TcpPacket.lengthFits(kind, optLen)) {
                return WireCheck.BAD_OPTIONS;
            }
            i += optLen;
        }
        return WireCheck.VALID;
    }

    /**
     * The rule IPv4 (IHL) and TCP (data offset) share for a header length counted in 32-bit words: 5 to 15 words.
     *
     * @param protocol "IPv4" or "TCP", for the message
     * @param headerLength the header length in bytes
     * @throws IllegalArgumentException unless it is a multiple of 4 between 20 and 60
     */
    static void checkWordHeaderLength(String protocol, int headerLength) {
        if ((headerLength & 3) != 0 || headerLength < MIN_WORD_HEADER || headerLength > MAX_WORD_HEADER) {
            throw new IllegalArgumentException(protocol + " header length " + headerLength
                    + " must be a multiple of 4 between 20 and 60");
        }
    }

    /** @return a one-line summary, or the class name and the length wrapped for bytes that fail {@link #check()} */
    @Override
    public final String toString() {
        if (check() != WireCheck.VALID) {
            return getClass().getSimpleName() + "(unchecked, " + len + " bytes)";
        }
        return describe();
    }

    /** @return a one-line summary of a view whose {@link #check()} passed */
    abstract String describe();
}
