package layer45.mnet.socket.tcp;

/**
 * What the peer has selectively acknowledged above the cumulative ACK (RFC 2018, RFC 6675 section 3): sorted,
 * disjoint sequence ranges, so loss recovery retransmits only the holes. Holds a fixed number of ranges; when a new
 * block would need one more, the highest range is given up (the data is then retransmitted if needed, never lost).
 *
 * <p>Sequence numbers are compared relative to the cumulative ACK, so wrap-around is harmless. Loop thread only;
 * allocation-free after construction.
 */
final class SackScoreboard {

    private final int[] lefts;
    private final int[] rights;
    private int count;
    private int sacked;

    /** @param maxRanges the most ranges remembered */
    SackScoreboard(int maxRanges) {
        lefts = new int[maxRanges];
        rights = new int[maxRanges];
    }

    /**
     * Records one SACK block, ignoring what lies outside [{@code una}, {@code max}).
     *
     * @param left the block's first sequence number
     * @param right the sequence number after its last byte
     * @param una the cumulative ACK point
     * @param max the highest sequence number sent
     * @return how many bytes the block selectively acknowledged that were not already (RFC 6675's "new SACK
     *         information"); 0 when it told nothing new
     */
    int add(int left, int right, int una, int max) {
        if (SeqNumber.lt(left, una)) {
            left = una;
        }
        if (SeqNumber.gt(right, max)) {
            right = max;
        }
        if (!SeqNumber.lt(left, right)) {
            return 0;
        }
        int l = left - una;
        int r = right - una;
        // find the first range that ends at or after l
        int i = 0;
        while (i < count && rights[i] - una < l) {
            i++;
        }
        int j = i;
        while (j < count && lefts[j] - una <= r) {
            l = Math.min(l, lefts[j] - una);
            r = Math.max(r, rights[j] - una);
            j++;
        }
        int merged = j - i;
        if (merged == 0 && count == lefts.length) {
            if (i == count) {
                return 0; // above everything we track: forget it rather than a lower range
            }
            count--; // drop the highest range to make room
        }
        int shift = 1 - merged; // ranges i..j-1 become one
        if (shift != 0) {
            System.arraycopy(lefts, j, lefts, j + shift, count - j);
            System.arraycopy(rights, j, rights, j + shift, count - j);
            count += shift;
        }
        lefts[i] = una + l;
        rights[i] = una + r;
        int before = sacked;
        recount();
        return Math.max(0, sacked - before);
    }

    /** @param una the new cumulative ACK point: everything below it is forgotten */
    void ackedTo(int una) {
        int drop = 0;
        while (drop < count && !SeqNumber.gt(rights[drop], una)) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(lefts, drop, lefts, 0, count - drop);
            System.arraycopy(rights, drop, rights, 0, count - drop);
            count -= drop;
        }
        if (count > 0 && SeqNumber.lt(lefts[0], una)) {
            lefts[0] = una;
        }
        recount();
    }

    private void recount() {
        int total = 0;
        for (int k = 0; k < count; k++) {
            total += rights[k] - lefts[k];
        }
        sacked = total;
    }

    /** Forgets everything (after a retransmission timeout, RFC 2018 section 8: the receiver may renege). */
    void clear() {
        count = 0;
        sacked = 0;
    }

    /** @return whether anything is selectively acknowledged */
    boolean isEmpty() {
        return count == 0;
    }

    /** @return the sequence number after the highest selectively acknowledged byte; meaningful when not empty */
    int highest() {
        return rights[count - 1];
    }

    /**
     * @param seq a sequence number at or above the cumulative ACK
     * @return the first sequence number at or after {@code seq} that is not selectively acknowledged
     */
    int nextUnsacked(int seq) {
        for (int k = 0; k < count; k++) {
            if (SeqNumber.le(lefts[k], seq) && SeqNumber.lt(seq, rights[k])) {
                return rights[k];
            }
        }
        return seq;
    }

    /**
     * @param seq an unacknowledged sequence number that is not selectively acknowledged
     * @return where the hole containing it ends: the next range's left edge, or {@link Integer#MIN_VALUE}'s stand-in
     *         {@code seq} itself when no range lies above it
     */
    int holeEnd(int seq) {
        for (int k = 0; k < count; k++) {
            if (SeqNumber.gt(lefts[k], seq)) {
                return lefts[k];
            }
        }
        return seq;
    }

    /**
     * Bytes selectively acknowledged above a sequence number (RFC 6675's IsLost uses it).
     *
     * @param seq a sequence number
     * @return the SACKed bytes above it
     */
    int sackedAbove(int seq) {
        int total = 0;
        for (int k = count - 1; k >= 0 && SeqNumber.gt(rights[k], seq); k--) {
            total += rights[k] - (SeqNumber.gt(lefts[k], seq) ? lefts[k] : seq);
        }
        return total;
    }
}
