package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * A reusable view of a TCP segment (RFC 9293, section 3.1) in a big-endian {@link ByteBuffer}: wrap it around
 * exactly the IP payload, since TCP has no length field of its own.
 *
 * <p>Offsets are absolute indices into the buffer; the view never moves the buffer's position. After
 * {@link #check()} returns {@link WireCheck#VALID}, no accessor throws, and {@link TcpOptions#parse} reads the
 * options without allocating.
 */
public final class TcpPacket extends TransportPacket<TcpPacket> {

    /** The length of a header without options. */
    public static final int MIN_HEADER_LENGTH = 20;
    /** The length of a header with the most options (data offset 15). */
    public static final int MAX_HEADER_LENGTH = 60;
    /** FIN flag bit of {@link #flags()}. */
    public static final int FIN = 0x01;
    /** SYN flag bit. */
    public static final int SYN = 0x02;
    /** RST flag bit. */
    public static final int RST = 0x04;
    /** PSH flag bit. */
    public static final int PSH = 0x08;
    /** ACK flag bit. */
    public static final int ACK = 0x10;
    /** URG flag bit. */
    public static final int URG = 0x20;
    /** ECE flag bit (RFC 3168). */
    public static final int ECE = 0x40;
    /** CWR flag bit (RFC 3168). */
    public static final int CWR = 0x80;
    /** Option kind End of Option List. */
    public static final int OPTION_EOL = 0;
    /** Option kind No-Operation. */
    public static final int OPTION_NOP = 1;
    /** Option kind Maximum Segment Size (RFC 9293), length 4. */
    public static final int OPTION_MSS = 2;
    /** Option kind Window Scale (RFC 7323), length 3. */
    public static final int OPTION_WINDOW_SCALE = 3;
    /** Option kind SACK Permitted (RFC 2018), length 2. */
    public static final int OPTION_SACK_PERMITTED = 4;
    /** Option kind SACK (RFC 2018), length 2 + 8n for 1 to 4 blocks. */
    public static final int OPTION_SACK = 5;
    /** Option kind Timestamps (RFC 7323), length 10. */
    public static final int OPTION_TIMESTAMPS = 8;

    private static final int SEQ = 4;
    private static final int ACK_NUMBER = 8;
    private static final int DATA_OFFSET = 12;
    private static final int FLAGS = 13;
    private static final int WINDOW = 14;
    private static final int CHECKSUM = 16;
    private static final int URGENT = 18;

    /** Creates an empty view; {@link #wrap} it before use. */
    public TcpPacket() {
    }

    /**
     * Checks the structure of received bytes.
     *
     * @return {@link WireCheck#VALID}; {@link WireCheck#TRUNCATED} below 20 bytes; {@link WireCheck#BAD_DATA_OFFSET}
     *         if the data offset is below 5 or the header runs past the segment; {@link WireCheck#BAD_OPTIONS} if an
     *         option's length is missing, below 2, past the header, or wrong for a known kind (MSS 4, window scale
     *         3, SACK permitted 2, SACK 10/18/26/34, timestamps 10); unknown kinds are skipped by their length
     */
    @Override
    public WireCheck check() {
        if (!wrapsAtLeast(MIN_HEADER_LENGTH)) {
            return WireCheck.TRUNCATED;
        }
        int hl = headerLength();
        if (hl < MIN_HEADER_LENGTH || hl > len) {
            return WireCheck.BAD_DATA_OFFSET;
        }
        return checkOptions(off + MIN_HEADER_LENGTH, off + hl, true);
    }

    /**
     * @param kind an option kind
     * @param optLen its length byte
     * @return whether the length is right for a kind TCP knows (RFC 9293, RFC 7323, RFC 2018); true for the others
     */
    static boolean lengthFits(int kind, int optLen) {
        return switch (kind) {
            case OPTION_MSS -> optLen == 4;
            case OPTION_WINDOW_SCALE -> optLen == 3;
            case OPTION_SACK_PERMITTED -> optLen == 2;
            case OPTION_SACK -> optLen >= 10 && optLen <= 34 && (optLen - 2) % 8 == 0;
            case OPTION_TIMESTAMPS -> optLen == 10;
            default -> true;
        };
    }

    /** @return the sequence number (compare with modular arithmetic) */
    public int seqNumber() {
        return buf.getInt(off + SEQ);
    }

    /** @return the acknowledgment number */
    public int ackNumber() {
        return buf.getInt(off + ACK_NUMBER);
    }

    /** @return the data offset field, in 32-bit words */
    public int dataOffset() {
        return (buf.get(off + DATA_OFFSET) & 0xFF) >>> 4;
    }

    /** @return the header length in bytes (data offset times 4) */
    public int headerLength() {
        return dataOffset() << 2;
    }

    /** @return the eight flag bits CWR ECE URG ACK PSH RST SYN FIN, as {@link #FIN} and friends */
    public int flags() {
        return buf.get(off + FLAGS) & 0xFF;
    }

    /** @return the FIN flag */
    public boolean fin() {
        return (flags() & FIN) != 0;
    }

    /** @return the SYN flag */
    public boolean syn() {
        return (flags() & SYN) != 0;
    }

    /** @return the RST flag */
    public boolean rst() {
        return (flags() & RST) != 0;
    }

    /** @return the PSH flag */
    public boolean psh() {
        return (flags() & PSH) != 0;
    }

    /** @return the ACK flag */
    public boolean ack() {
        return (flags() & ACK) != 0;
    }

    /** @return the URG flag */
    public boolean urg() {
        return (flags() & URG) != 0;
    }

    /** @return the ECE flag */
    public boolean ece() {
        return (flags() & ECE) != 0;
    }

    /** @return the CWR flag */
    public boolean cwr() {
        return (flags() & CWR) != 0;
    }

    /** @return the window field, unscaled */
    public int window() {
        return buf.getShort(off + WINDOW) & 0xFFFF;
    }

    /** @return the checksum field */
    @Override
    public int checksum() {
        return buf.getShort(off + CHECKSUM) & 0xFFFF;
    }

    /** @return the urgent pointer field */
    public int urgentPointer() {
        return buf.getShort(off + URGENT) & 0xFFFF;
    }

    /** @return the absolute index of the options region */
    public int optionsOffset() {
        return off + MIN_HEADER_LENGTH;
    }

    /** @return the length of the options region: header length minus 20 */
    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /** @return the absolute index of the payload */
    public int payloadOffset() {
        return off + headerLength();
    }

    /** @return the payload length: the segment length minus the header length */
    public int payloadLength() {
        return len - headerLength();
    }

    /**
     * @param pseudoHeaderSum the IP pseudo-header sum for protocol TCP and length {@link #length()}
     * @return whether the checksum over the whole segment is right
     */
    public boolean verifyChecksum(long pseudoHeaderSum) {
        return checksumOver(len, pseudoHeaderSum) == 0;
    }

    /**
     * Computes and stores the checksum over the whole wrapped segment; call after the payload is written.
     *
     * @param pseudoHeaderSum the IP pseudo-header sum for protocol TCP and length {@link #length()}
     */
    public void fillChecksum(long pseudoHeaderSum) {
        setChecksum(0);
        setChecksum(checksumOver(len, pseudoHeaderSum));
    }

    /** @param seq the sequence number */
    public void setSeqNumber(int seq) {
        buf.putInt(off + SEQ, seq);
    }

    /** @param ack the acknowledgment number */
    public void setAckNumber(int ack) {
        buf.putInt(off + ACK_NUMBER, ack);
    }

    /**
     * Writes the header length; the four reserved bits after the data offset become zero.
     *
     * @param headerLength the header length in bytes: a multiple of 4, 20..60
     * @throws IllegalArgumentException if it is not
     */
    public void setHeaderLength(int headerLength) {
        checkWordHeaderLength("TCP", headerLength);
        buf.put(off + DATA_OFFSET, (byte) (headerLength << 2));
    }

    /** @param flags the eight flag bits, as {@link #FIN} and friends */
    public void setFlags(int flags) {
        buf.put(off + FLAGS, (byte) flags);
    }

    /** @param on the FIN flag */
    public void setFin(boolean on) {
        setFlag(FIN, on);
    }

    /** @param on the SYN flag */
    public void setSyn(boolean on) {
        setFlag(SYN, on);
    }

    /** @param on the RST flag */
    public void setRst(boolean on) {
        setFlag(RST, on);
    }

    /** @param on the PSH flag */
    public void setPsh(boolean on) {
        setFlag(PSH, on);
    }

    /** @param on the ACK flag */
    public void setAck(boolean on) {
        setFlag(ACK, on);
    }

    /** @param on the URG flag */
    public void setUrg(boolean on) {
        setFlag(URG, on);
    }

    /** @param on the ECE flag */
    public void setEce(boolean on) {
        setFlag(ECE, on);
    }

    /** @param on the CWR flag */
    public void setCwr(boolean on) {
        setFlag(CWR, on);
    }

    private void setFlag(int bit, boolean on) {
        setFlags(on ? flags() | bit : flags() & ~bit);
    }

    /** @param window the window field, 0..65535 (already scaled down) */
    public void setWindow(int window) {
        buf.putShort(off + WINDOW, (short) window);
    }

    /** @param checksum the checksum field */
    @Override
    public void setChecksum(int checksum) {
        buf.putShort(off + CHECKSUM, (short) checksum);
    }

    /** @param urgentPointer the urgent pointer field */
    public void setUrgentPointer(int urgentPointer) {
        buf.putShort(off + URGENT, (short) urgentPointer);
    }

    /** TCP stores the updated checksum as it is: 0 is a checksum like any other. */
    @Override
    void storeUpdatedChecksum(int updated) {
        setChecksum(updated);
    }

    @Override
    String describe() {
        StringBuilder f = new StringBuilder();
        String names = "FSRPAUEC";
        for (int bit = 0; bit < 8; bit++) {
            if ((flags() & 1 << bit) != 0) {
                f.append(names.charAt(bit));
            }
        }
        return "TCP " + srcPort() + " > " + dstPort() + " [" + f + "] seq " + Integer.toUnsignedString(seqNumber())
                + " ack " + Integer.toUnsignedString(ackNumber()) + " win " + window() + " len " + payloadLength();
    }
}
