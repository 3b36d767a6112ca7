package layer45.runtime.view;

import java.util.Arrays;

/**
 * The order of an output's bytes: pieces, each a range of the output's own block or a range of one of the chunk's
 * segments passed by reference. Adjacent ranges of the same memory are merged into one piece.
 */
final class PieceList {

    /** {@link #segment(int)} of a piece in the output's block. */
    static final int BLOCK = -1;

    private int[] segment = new int[16];
    private int[] from = new int[16];
    private int[] length = new int[16];
    private int count;

    /** @return the number of pieces */
    int count() {
        return count;
    }

    /** @return the piece's segment index in the chunk, or {@link #BLOCK} */
    int segment(int piece) {
        return segment[piece];
    }

    /** @return the index of the piece's first byte in its block or segment buffer */
    int from(int piece) {
        return from[piece];
    }

    /** @return the piece's length */
    int length(int piece) {
        return length[piece];
    }

    /** Forgets every piece. */
    void clear() {
        count = 0;
    }

    /**
     * Appends a range, merged into the last piece when it continues it.
     *
     * @param in a segment index, or {@link #BLOCK}
     * @param start first index of the range in its memory
     * @param n bytes, at least 1
     */
    void append(int in, int start, int n) {
        int last = count - 1;
        if (last >= 0 && segment[last] == in && from[last] + length[last] == start) {
            length[last] += n;
            return;
        }
        if (count == segment.length) {
            int size = count * 2;
            segment = Arrays.copyOf(segment, size);
            from = Arrays.copyOf(from, size);
            length = Arrays.copyOf(length, size);
        }
        segment[count] = in;
        from[count] = start;
        length[count] = n;
        count++;
    }

    /**
     * Keeps the first {@code total} bytes.
     *
     * @param total the new length, at most the pieces' total
     */
    void truncate(int total) {
        int kept = 0;
        int i = 0;
        while (i < count && kept + length[i] <= total) {
            kept += length[i++];
        }
        if (kept < total) {
            length[i] = total - kept;
            i++;
        }
        count = i;
    }

    /** @return the index after the last byte of the block in use: the end of the last block piece, or 0 */
    int blockEnd() {
        for (int i = count - 1; i >= 0; i--) {
            if (segment[i] == BLOCK) {
                return from[i] + length[i];
            }
        }
        return 0;
    }

    /** @return whether a piece refers to segment {@code index} of the chunk */
    boolean refersTo(int index) {
        for (int i = 0; i < count; i++) {
            if (segment[i] == index) {
                return true;
            }
        }
        return false;
    }

    /** @return whether any piece refers to the chunk's segments */
    boolean refersToChunk() {
        for (int i = 0; i < count; i++) {
            if (segment[i] != BLOCK) {
                return true;
            }
        }
        return false;
    }
}
