package layer45.mnet.wire;

import java.util.List;

/**
 * The fields of a TCP header and the options a TCP implementation uses, as a value, for control paths, tests and
 * rare segments (the hot path writes with {@link TcpPacket} setters and {@link TcpOptions#write}).
 *
 * <p>Unknown options and the reserved header bits are not represented: {@code emit(parse(x))} keeps the meaning of
 * a segment, not its bytes.
 *
 * @param srcPort the source port, 0..65535
 * @param dstPort the destination port, 0..65535
 * @param seqNumber the sequence number
 * @param ackNumber the acknowledgment number (sent as is, whether or not ACK is set)
 * @param flags the eight flag bits, as {@link TcpPacket#SYN} and friends
 * @param window the window field, 0..65535
 * @param urgentPointer the urgent pointer, 0..65535
 * @param mss the Maximum Segment Size option, 0..65535, or -1 for none
 * @param windowScale the Window Scale option, 0..255, or -1 for none
 * @param sackPermitted whether SACK Permitted is sent
 * @param sackBlocks up to 4 SACK blocks (copied; empty for none)
 * @param timestamps the Timestamps option, or {@code null} for none
 * @param payloadLength the payload length in bytes
 */
public record TcpRepr(int srcPort, int dstPort, int seqNumber, int ackNumber, int flags, int window,
        int urgentPointer, int mss, int windowScale, boolean sackPermitted, List<SackBlock> sackBlocks,
        Timestamps timestamps, int payloadLength) {

    /**
     * One SACK block (RFC 2018): the sequence numbers {@code [left, right)} received.
     *
     * @param left the left edge
     * @param right the right edge
     */
    public record SackBlock(int left, int right) {
    }

    /**
     * The Timestamps option (RFC 7323).
     *
     * @param tsVal TSval
     * @param tsEcr TSecr
     */
    public record Timestamps(int tsVal, int tsEcr) {
    }

    /** @throws IllegalArgumentException if a field is out of range or the options do not fit in 40 bytes */
    public TcpRepr {
        Reprs.range("TCP source port", srcPort, 0, 0xFFFF);
        Reprs.range("TCP destination port", dstPort, 0, 0xFFFF);
        Reprs.range("TCP flags", flags, 0, 0xFF);
        Reprs.range("TCP window", window, 0, 0xFFFF);
        Reprs.range("TCP urgent pointer", urgentPointer, 0, 0xFFFF);
        Reprs.range("TCP MSS", mss, -1, 0xFFFF);
        Reprs.range("TCP window scale", windowScale, -1, 0xFF);
        sackBlocks = sackBlocks == null ? List.of() : List.copyOf(sackBlocks);
        Reprs.range("Number of TCP SACK blocks", sackBlocks.size(), 0, TcpOptions.MAX_SACK_BLOCKS);
        if (TcpOptions.encodedLength(mss, windowScale, sackPermitted, sackBlocks.size(), timestamps != null) < 0) {
            throw new IllegalArgumentException("TCP options do not fit in 40 bytes: " + sackBlocks.size()
                    + " SACK blocks with mss " + mss + ", window scale " + windowScale + ", sack permitted "
                    + sackPermitted + ", timestamps " + timestamps + "; send fewer SACK blocks");
        }
        Reprs.range("TCP payload length", payloadLength, 0, Integer.MAX_VALUE);
    }

    /**
     * A segment without options.
     *
     * @param srcPort the source port
     * @param dstPort the destination port
     * @param seqNumber the sequence number
     * @param ackNumber the acknowledgment number
     * @param flags the flag bits
     * @param window the window field
     * @param payloadLength the payload length
     * @return the repr
     */
    public static TcpRepr of(int srcPort, int dstPort, int seqNumber, int ackNumber, int flags, int window,
            int payloadLength) {
        return new TcpRepr(srcPort, dstPort, seqNumber, ackNumber, flags, window, 0, -1, -1, false, List.of(), null,
                payloadLength);
    }

    /**
     * @param p a segment that passed {@link TcpPacket#check()}; the checksum is the caller's to verify
     * @return its fields and known options; never fails
     */
    public static TcpRepr parse(TcpPacket p) {
        TcpOptions o = new TcpOptions().parse(p);
        SackBlock[] blocks = new SackBlock[o.sackBlockCount()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new SackBlock(o.sackLeft(i), o.sackRight(i));
        }
        return new TcpRepr(p.srcPort(), p.dstPort(), p.seqNumber(), p.ackNumber(), p.flags(), p.window(),
                p.urgentPointer(), o.mss(), o.windowScale(), o.sackPermitted(), List.of(blocks),
                o.hasTimestamps() ? new Timestamps(o.tsVal(), o.tsEcr()) : null, p.payloadLength());
    }

    /** @return 20 plus the encoded options */
    public int headerLength() {
        return TcpPacket.MIN_HEADER_LENGTH
                + TcpOptions.encodedLength(mss, windowScale, sackPermitted, sackBlocks.size(), timestamps != null);
    }

    /** @return header plus payload: the segment length */
    public int bufferLength() {
        return headerLength() + payloadLength;
    }

    /** @return whether SYN is set */
    public boolean syn() {
        return (flags & TcpPacket.SYN) != 0;
    }

    /** @return whether ACK is set */
    public boolean ack() {
        return (flags & TcpPacket.ACK) != 0;
    }

    /** @return whether FIN is set */
    public boolean fin() {
        return (flags & TcpPacket.FIN) != 0;
    }

    /** @return whether RST is set */
    public boolean rst() {
        return (flags & TcpPacket.RST) != 0;
    }

    /**
     * @return the sequence space the segment occupies: payload length plus one for SYN and one for FIN
     *         (RFC 9293, section 3.4)
     */
    public int segmentLength() {
        return payloadLength + (syn() ? 1 : 0) + (fin() ? 1 : 0);
    }

    /**
     * Writes every header field and the options, the checksum as zero and the reserved bits clear; the caller
     * writes the payload, then calls {@link TcpPacket#fillChecksum(long)} on a view of exactly the segment.
     *
     * @param p a view wrapped, unchecked, around at least {@link #headerLength()} bytes
     * @throws IllegalArgumentException if the view is too short
     */
    public void emit(TcpPacket p) {
        int headerLength = headerLength();
        Reprs.room("a TCP header", headerLength, p.length());
        p.setSrcPort(srcPort);
        p.setDstPort(dstPort);
        p.setSeqNumber(seqNumber);
        p.setAckNumber(ackNumber);
        p.setHeaderLength(headerLength);
        p.setFlags(flags);
        p.setWindow(window);
        p.setChecksum(0);
        p.setUrgentPointer(urgentPointer);
        int[] edges = new int[2 * sackBlocks.size()];
        for (int i = 0; i < sackBlocks.size(); i++) {
            edges[2 * i] = sackBlocks.get(i).left();
            edges[2 * i + 1] = sackBlocks.get(i).right();
        }
        TcpOptions.write(p.buffer(), p.optionsOffset(), mss, windowScale, sackPermitted, edges, sackBlocks.size(),
                timestamps != null, timestamps == null ? 0 : timestamps.tsVal(),
                timestamps == null ? 0 : timestamps.tsEcr());
    }

    @Override
    public String toString() {
        StringBuilder f = new StringBuilder();
        String names = "FSRPAUEC";
        for (int bit = 0; bit < 8; bit++) {
            if ((flags & 1 << bit) != 0) {
                f.append(names.charAt(bit));
            }
        }
        return "TcpRepr[" + srcPort + " > " + dstPort + " [" + f + "] seq " + Integer.toUnsignedString(seqNumber)
                + " ack " + Integer.toUnsignedString(ackNumber) + " win " + window
                + (urgentPointer != 0 ? " urp " + urgentPointer : "") + (mss >= 0 ? " mss " + mss : "")
                + (windowScale >= 0 ? " wscale " + windowScale : "") + (sackPermitted ? " sackOK" : "")
                + (sackBlocks.isEmpty() ? "" : " sack " + sackBlocks)
                + (timestamps != null ? " ts " + Integer.toUnsignedString(timestamps.tsVal()) + "/"
                        + Integer.toUnsignedString(timestamps.tsEcr()) : "")
                + " len " + payloadLength + "]";
    }
}
