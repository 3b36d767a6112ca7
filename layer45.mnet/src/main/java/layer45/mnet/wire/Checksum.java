package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071): one's complement sum of 16-bit big-endian words, then its complement.
 *
 * <p>Sums are carried in a {@code long} accumulator that callers chain: start from 0 or a pseudo-header sum, add
 * regions with {@link #add}, and {@link #finish} the total. The accumulator is unfolded; because
 * {@code 2^16 == 1 (mod 0xFFFF)}, 32-bit chunks can be summed in place of 16-bit words and folded at the end.
 * Every method is static and allocation-free.
 */
public final class Checksum {

    private Checksum() {
    }

    /**
     * Adds the bytes {@code [offset, offset + length)} of {@code buf} to a running sum, pairing bytes from
     * {@code offset}: the byte at {@code offset} is the high byte of the first word. Reads eight bytes at a time;
     * an odd last byte counts as the high byte of a word padded with zero, so only the last region of a chained sum
     * may have an odd length.
     *
     * @param buf a big-endian buffer; its position and limit are not used or changed
     * @param offset the absolute index of the first byte
     * @param length the number of bytes
     * @param acc the running sum (0 to start)
     * @return the new running sum, to chain or {@link #finish}
     */
    public static long add(ByteBuffer buf, int offset, int length, long acc) {
        int i = offset;
        int end = offset + length;
        long sum = acc;
        // Each long adds two 32-bit halves (< 2^33); fold every 2^16 longs so the sum never overflows.
        while (end - i >= 8) {
            int chunkEnd = end - 7 - i > (8 << 16) ? i + (8 << 16) : end - 7;
            long s = 0;
            for (; i < chunkEnd; i += 8) {
                long v = buf.getLong(i);
                s += (v >>> 32) + (v & 0xFFFF_FFFFL);
            }
            sum = fold32(sum) + fold32(s);
        }
        if (end - i >= 4) {
            sum += buf.getInt(i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (end - i >= 2) {
            sum += buf.getShort(i) & 0xFFFF;
            i += 2;
        }
        if (i < end) {
            sum += (buf.get(i) & 0xFF) << 8;
        }
        return fold32(sum);
    }

    /**
     * Adds one 16-bit word to a running sum.
     *
     * @param word the word, 0..65535
     * @param acc the running sum
     * @return the new running sum
     */
    public static long addWord(int word, long acc) {
        return acc + (word & 0xFFFF);
    }

    /**
     * @param acc a running sum
     * @return the sum folded to 16 bits (one's complement addition of the carries), not complemented
     */
    public static int fold(long acc) {
        long s = fold32(fold32(acc)); // at most 2^32
        s = (s & 0xFFFF) + (s >>> 16); // at most 0x1FFFE
        s = (s & 0xFFFF) + (s >>> 16); // at most 0xFFFF
        return (int) s;
    }

    /**
     * @param acc a running sum over a region whose checksum field was zero (or over a whole packet to verify)
     * @return the checksum to store: the one's complement of the folded sum, 16 bits; 0 when verifying a packet
     *         whose checksum is right
     */
    public static int finish(long acc) {
        return ~fold(acc) & 0xFFFF;
    }

    /**
     * @param src the IPv4 source address
     * @param dst the IPv4 destination address
     * @param protocol the transport protocol number
     * @param length the transport header plus payload length
     * @return the running sum of the IPv4 pseudo-header (RFC 768, RFC 9293 section 3.1)
     */
    public static long pseudoHeaderV4(int src, int dst, int protocol, int length) {
        return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + (protocol & 0xFF)
                + (length & 0xFFFF_FFFFL);
    }

    /**
     * @param srcHi the high 64 bits of the IPv6 source address
     * @param srcLo the low 64 bits of the IPv6 source address
     * @param dstHi the high 64 bits of the IPv6 destination address
     * @param dstLo the low 64 bits of the IPv6 destination address
     * @param nextHeader the upper-layer protocol number (not the first extension header's)
     * @param length the upper-layer packet length (RFC 8200, section 8.1)
     * @return the running sum of the IPv6 pseudo-header
     */
    public static long pseudoHeaderV6(long srcHi, long srcLo, long dstHi, long dstLo, int nextHeader, int length) {
        return halves(srcHi) + halves(srcLo) + halves(dstHi) + halves(dstLo) + (length & 0xFFFF_FFFFL)
                + (nextHeader & 0xFF);
    }

    /**
     * Updates a checksum for one changed 16-bit word without recomputing it (RFC 1624, equation 3:
     * {@code HC' = ~(~HC + ~m + m')}).
     *
     * @param checksum the stored checksum
     * @param oldWord the word's old value
     * @param newWord the word's new value
     * @return the new checksum to store
     */
    public static int update16(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return finish(sum);
    }

    /**
     * Updates a checksum for one changed 32-bit value (an IPv4 address, a sequence number), RFC 1624.
     *
     * @param checksum the stored checksum
     * @param oldValue the old value
     * @param newValue the new value
     * @return the new checksum to store
     */
    public static int update32(int checksum, int oldValue, int newValue) {
        long sum = (~checksum & 0xFFFF) + (~oldValue >>> 16) + (~oldValue & 0xFFFF) + (newValue >>> 16)
                + (newValue & 0xFFFF);
        return finish(sum);
    }

    /**
     * Updates a checksum for one changed 64-bit value (half an IPv6 address), RFC 1624.
     *
     * @param checksum the stored checksum
     * @param oldValue the old value
     * @param newValue the new value
     * @return the new checksum to store
     */
    public static int update64(int checksum, long oldValue, long newValue) {
        long sum = (~checksum & 0xFFFF) + halves(~oldValue) + halves(newValue);
        return finish(sum);
    }

    private static long halves(long v) {
        return (v >>> 32) + (v & 0xFFFF_FFFFL);
    }

    private static long fold32(long s) {
        return (s & 0xFFFF_FFFFL) + (s >>> 32);
    }
}
