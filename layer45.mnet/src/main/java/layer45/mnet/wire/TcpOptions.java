package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * A reusable reader of the options of a TCP segment, and an allocation-free writer of them.
 *
 * <p>{@link #parse(TcpPacket)} reads the options a TCP implementation uses (MSS, window scale, SACK permitted,
 * SACK blocks, timestamps) into this object's fields; unknown kinds are skipped; when a kind appears twice the last
 * one counts. The segment must have passed {@link TcpPacket#check()}.
 *
 * <p>{@link #write} encodes options NOP-aligned the way Linux does ({@code MSS, SACK-permitted+timestamps or
 * NOP NOP timestamps, NOP window-scale, NOP NOP SACK}), falling back to a packed encoding padded with EOL when the
 * aligned one would not fit in 40 bytes.
 */
public final class TcpOptions {

    /** The most option bytes a header holds. */
    public static final int MAX_LENGTH = 40;
    /** The most SACK blocks one option carries (RFC 2018). */
    public static final int MAX_SACK_BLOCKS = 4;

    private int mss;
    private int windowScale;
    private boolean sackPermitted;
    private int sackBlockCount;
    private final int[] sack = new int[2 * MAX_SACK_BLOCKS];
    private boolean hasTimestamps;
    private int tsVal;
    private int tsEcr;

    /** Creates a reader with no options; reuse it for every segment. */
    public TcpOptions() {
        clear();
    }

    private void clear() {
        mss = -1;
        windowScale = -1;
        sackPermitted = false;
        sackBlockCount = 0;
        hasTimestamps = false;
        tsVal = 0;
        tsEcr = 0;
    }

    /**
     * Reads the options of a checked segment.
     *
     * @param p a segment that passed {@link TcpPacket#check()}
     * @return this reader
     */
    public TcpOptions parse(TcpPacket p) {
        clear();
        ByteBuffer b = p.buffer();
        int i = p.optionsOffset();
        int end = p.offset() + p.headerLength();
        while (i < end) {
            int kind = b.get(i) & 0xFF;
            if (kind == TcpPacket.OPTION_EOL) {
                break;
            }
            if (kind == TcpPacket.OPTION_NOP) {
                i++;
                continue;
            }
            int optLen = end - i < 2 ? 0 : b.get(i + 1) & 0xFF;
            if (optLen < 2 || optLen > end - i) {
                break; // unreachable after check(); stop rather than read past the header
            }
            switch (kind) {
                case TcpPacket.OPTION_MSS -> {
                    if (optLen == 4) {
                        mss = b.getShort(i + 2) & 0xFFFF;
                    }
                }
                case TcpPacket.OPTION_WINDOW_SCALE -> {
                    if (optLen == 3) {
                        windowScale = b.get(i + 2) & 0xFF;
                    }
                }
                case TcpPacket.OPTION_SACK_PERMITTED -> sackPermitted |= optLen == 2;
                case TcpPacket.OPTION_SACK -> {
                    int n = (optLen - 2) >>> 3;
                    if (n >= 1 && n <= MAX_SACK_BLOCKS && (optLen - 2 & 7) == 0) {
                        sackBlockCount = n;
                        for (int k = 0; k < 2 * n; k++) {
                            sack[k] = b.getInt(i + 2 + 4 * k);
                        }
                    }
                }
                case TcpPacket.OPTION_TIMESTAMPS -> {
                    if (optLen == 10) {
                        hasTimestamps = true;
                        tsVal = b.getInt(i + 2);
                        tsEcr = b.getInt(i + 6);
                    }
                }
                default -> {
                    // Unknown kinds (TFO, MPTCP, TCP-AO, ...) are not ours to read.
                }
            }
            i += optLen;
        }
        return this;
    }

    /** @return the Maximum Segment Size option, or -1 if absent */
    public int mss() {
        return mss;
    }

    /** @return the window scale shift count as sent (not clamped to 14), or -1 if absent */
    public int windowScale() {
        return windowScale;
    }

    /** @return whether SACK Permitted was present */
    public boolean sackPermitted() {
        return sackPermitted;
    }

    /** @return the number of SACK blocks, 0..4 */
    public int sackBlockCount() {
        return sackBlockCount;
    }

    /**
     * @param i a block index below {@link #sackBlockCount()}
     * @return the block's left edge
     * @throws IndexOutOfBoundsException if there is no such block
     */
    public int sackLeft(int i) {
        return sack[2 * java.util.Objects.checkIndex(i, sackBlockCount)];
    }

    /**
     * @param i a block index below {@link #sackBlockCount()}
     * @return the block's right edge
     * @throws IndexOutOfBoundsException if there is no such block
     */
    public int sackRight(int i) {
        return sack[2 * java.util.Objects.checkIndex(i, sackBlockCount) + 1];
    }

    /** @return whether the Timestamps option was present */
    public boolean hasTimestamps() {
        return hasTimestamps;
    }

    /** @return TSval, or 0 if absent */
    public int tsVal() {
        return tsVal;
    }

    /** @return TSecr, or 0 if absent */
    public int tsEcr() {
        return tsEcr;
    }

    /**
     * @param mss the MSS to send, or -1 for none
     * @param windowScale the shift count to send, or -1 for none
     * @param sackPermitted whether to send SACK Permitted
     * @param sackBlocks the number of SACK blocks, 0..4
     * @param timestamps whether to send timestamps
     * @return the option bytes {@link #write} produces, a multiple of 4, or -1 if they cannot fit in 40 bytes
     */
    public static int encodedLength(int mss, int windowScale, boolean sackPermitted, int sackBlocks,
            boolean timestamps) {
        int aligned = alignedLength(mss, windowScale, sackPermitted, sackBlocks, timestamps);
        if (aligned <= MAX_LENGTH) {
            return aligned;
        }
        int packed = packedLength(mss, windowScale, sackPermitted, sackBlocks, timestamps);
        return packed <= MAX_LENGTH ? packed : -1;
    }

    private static int packedLength(int mss, int windowScale, boolean sackPermitted, int sackBlocks,
            boolean timestamps) {
        int raw = (mss >= 0 ? 4 : 0) + (timestamps ? 10 : 0) + (sackPermitted ? 2 : 0) + (windowScale >= 0 ? 3 : 0)
                + (sackBlocks > 0 ? 2 + 8 * sackBlocks : 0);
        return raw + 3 & ~3;
    }

    /**
     * Writes options; allocation-free, for the hot path.
     *
     * @param buf a big-endian buffer
     * @param at the absolute index of the options region (header offset + 20)
     * @param mss the MSS, 0..65535, or -1 for none
     * @param windowScale the shift count, 0..255, or -1 for none
     * @param sackPermitted whether to send SACK Permitted
     * @param sackEdges left and right edges of the SACK blocks, pairwise; only the first {@code 2 * sackBlocks} are
     *        read
     * @param sackBlocks the number of SACK blocks, 0..4
     * @param timestamps whether to send timestamps
     * @param tsVal TSval
     * @param tsEcr TSecr
     * @return the number of bytes written, as {@link #encodedLength}
     * @throws IllegalArgumentException if the options cannot fit in 40 bytes or {@code sackBlocks} is outside 0..4
     */
    public static int write(ByteBuffer buf, int at, int mss, int windowScale, boolean sackPermitted,
            int[] sackEdges, int sackBlocks, boolean timestamps, int tsVal, int tsEcr) {
        if (sackBlocks < 0 || sackBlocks > MAX_SACK_BLOCKS) {
            throw new IllegalArgumentException("A SACK option carries 0 to 4 blocks, not " + sackBlocks);
        }
        int length = encodedLength(mss, windowScale, sackPermitted, sackBlocks, timestamps);
        if (length < 0) {
            throw new IllegalArgumentException("TCP options do not fit in 40 bytes: mss " + mss + ", window scale "
                    + windowScale + ", sack permitted " + sackPermitted + ", " + sackBlocks + " SACK blocks,"
                    + " timestamps " + timestamps + "; send fewer SACK blocks");
        }
        boolean packed = alignedLength(mss, windowScale, sackPermitted, sackBlocks, timestamps) > MAX_LENGTH;
        int i = at;
        if (mss >= 0) {
            buf.put(i, (byte) TcpPacket.OPTION_MSS).put(i + 1, (byte) 4).putShort(i + 2, (short) mss);
            i += 4;
        }
        if (timestamps) {
            if (sackPermitted) {
                buf.put(i++, (byte) TcpPacket.OPTION_SACK_PERMITTED).put(i++, (byte) 2);
            } else if (!packed) {
                buf.put(i++, (byte) TcpPacket.OPTION_NOP).put(i++, (byte) TcpPacket.OPTION_NOP);
            }
            buf.put(i, (byte) TcpPacket.OPTION_TIMESTAMPS).put(i + 1, (byte) 10).putInt(i + 2, tsVal)
                    .putInt(i + 6, tsEcr);
            i += 10;
        } else if (sackPermitted) {
            if (!packed) {
                buf.put(i++, (byte) TcpPacket.OPTION_NOP).put(i++, (byte) TcpPacket.OPTION_NOP);
            }
            buf.put(i++, (byte) TcpPacket.OPTION_SACK_PERMITTED).put(i++, (byte) 2);
        }
        if (windowScale >= 0) {
            if (!packed) {
                buf.put(i++, (byte) TcpPacket.OPTION_NOP);
            }
            buf.put(i, (byte) TcpPacket.OPTION_WINDOW_SCALE).put(i + 1, (byte) 3).put(i + 2, (byte) windowScale);
            i += 3;
        }
        if (sackBlocks > 0) {
            if (!packed) {
                buf.put(i++, (byte) TcpPacket.OPTION_NOP).put(i++, (byte) TcpPacket.OPTION_NOP);
            }
            buf.put(i, (byte) TcpPacket.OPTION_SACK).put(i + 1, (byte) (2 + 8 * sackBlocks));
            i += 2;
            for (int k = 0; k < 2 * sackBlocks; k++, i += 4) {
                buf.putInt(i, sackEdges[k]);
            }
        }
        while (i < at + length) {
            buf.put(i++, (byte) TcpPacket.OPTION_EOL);
        }
        return length;
    }

    private static int alignedLength(int mss, int windowScale, boolean sackPermitted, int sackBlocks,
            boolean timestamps) {
        return (mss >= 0 ? 4 : 0) + (timestamps ? 12 : sackPermitted ? 4 : 0) + (windowScale >= 0 ? 4 : 0)
                + (sackBlocks > 0 ? 4 + 8 * sackBlocks : 0);
    }
}
