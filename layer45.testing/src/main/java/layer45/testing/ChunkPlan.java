package layer45.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * How a stream of bytes is cut into chunks, and each chunk into memory segments, on its way through a module: a TCP
 * stream reaches modules in pieces of any size, which may lie in several segments, and a module must give the same
 * result however it is cut.
 *
 * <pre>{@code
 * flow.sendAll(request, ChunkPlan.whole());              // one chunk, one segment
 * flow.sendAll(request, ChunkPlan.sizes(1, 7));          // chunks of 1, then 7, then 1, 7, ... bytes
 * flow.sendAll(request, ChunkPlan.random(42, 16));       // chunks of 1 to 16 bytes, split into up to 3 segments
 * }</pre>
 *
 * Random plans are reproducible: the same seed cuts the same stream the same way, and a failure names the seed.
 */
public final class ChunkPlan {

    /**
     * One chunk of a plan.
     *
     * @param offset where it starts in the stream
     * @param length its length
     * @param segments the lengths of its segments, summing to {@code length}
     */
    public record Piece(int offset, int length, int[] segments) {
        @Override
        public String toString() {
            return "bytes " + offset + ".." + (offset + length) + " in segments " + Arrays.toString(segments);
        }
    }

    private final int[] sizes;
    private final long seed;
    private final int maxChunk;

    private ChunkPlan(int[] sizes, long seed, int maxChunk) {
        this.sizes = sizes;
        this.seed = seed;
        this.maxChunk = maxChunk;
    }

    /** @return the whole stream as one chunk in one segment */
    public static ChunkPlan whole() {
        return new ChunkPlan(new int[0], 0, 0);
    }

    /**
     * @param sizes chunk sizes, used in turn and repeated until the stream is cut; each at least 1
     * @return the plan; every chunk is one segment
     */
    public static ChunkPlan sizes(int... sizes) {
        if (sizes.length == 0 || Arrays.stream(sizes).anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("chunk sizes must be at least 1 byte, not " + Arrays.toString(sizes));
        }
        return new ChunkPlan(sizes.clone(), 0, 0);
    }

    /**
     * @param seed the random seed; the same seed gives the same cuts
     * @param maxChunk the largest chunk, at least 1
     * @return a plan of chunks of 1 to {@code maxChunk} bytes, each in 1 to 3 segments (some of them empty)
     */
    public static ChunkPlan random(long seed, int maxChunk) {
        if (maxChunk < 1) {
            throw new IllegalArgumentException("the largest chunk must be at least 1 byte, not " + maxChunk);
        }
        return new ChunkPlan(new int[0], seed, maxChunk);
    }

    /**
     * @param total the stream's length
     * @return the chunks, in order, covering the stream
     */
    public List<Piece> cut(int total) {
        List<Piece> pieces = new ArrayList<>();
        if (maxChunk == 0 && sizes.length == 0) {
            pieces.add(new Piece(0, total, new int[] { total }));
            return pieces;
        }
        Random random = new Random(seed);
        int offset = 0;
        for (int i = 0; offset < total; i++) {
            int wanted = maxChunk > 0 ? 1 + random.nextInt(maxChunk) : sizes[i % sizes.length];
            int length = Math.min(wanted, total - offset);
            pieces.add(new Piece(offset, length, maxChunk > 0 ? segments(random, length) : new int[] { length }));
            offset += length;
        }
        return pieces;
    }

    private static int[] segments(Random random, int length) {
        int cuts = random.nextInt(3);
        int[] at = new int[cuts + 2];
        at[cuts + 1] = length;
        for (int i = 1; i <= cuts; i++) {
            at[i] = random.nextInt(length + 1);
        }
        Arrays.sort(at);
        int[] segments = new int[cuts + 1];
        for (int i = 0; i <= cuts; i++) {
            segments[i] = at[i + 1] - at[i];
        }
        return segments;
    }

    @Override
    public String toString() {
        return maxChunk > 0 ? "ChunkPlan.random(" + seed + ", " + maxChunk + ")"
                : sizes.length > 0 ? "ChunkPlan.sizes" + Arrays.toString(sizes) : "ChunkPlan.whole()";
    }
}
