package layer45.runtime.view;

/**
 * Output memory shared by all flows: blocks in size classes of 4 KiB times powers of four, 4 KiB to 256 MiB
 * (the largest output limit the runtime accepts).
 *
 * <p>A block is taken when a module first writes output and given back once that output reached the sink, so
 * the memory in use follows the number of calls in progress, not the number of open flows. Each class keeps at
 * most 4 MiB of free blocks, so blocks above 4 MiB are never kept: one unusually large output must not pin memory
 * for the life of the runtime. A lock per pool
 * is enough: taking and returning a block are a few instructions, and only calls that produce output do it.
 */
public final class BufferPool {

    /** The smallest block. */
    static final int MIN_BLOCK = 4096;
    /** The largest block, and so the largest output limit: 4 KiB &lt;&lt; 16. */
    public static final int MAX_BLOCK = MIN_BLOCK << 16;
    private static final int CLASSES = 9;
    private static final int RETAIN_BYTES_PER_CLASS = 4 << 20;

    private final Block[][] free = new Block[CLASSES][];
    private final int[] freeCount = new int[CLASSES];

    /** Creates an empty pool. */
    public BufferPool() {
        for (int c = 0; c < CLASSES; c++) {
            long size = (long) MIN_BLOCK << (2 * c);
            free[c] = new Block[(int) Math.min(1024, RETAIN_BYTES_PER_CLASS / size)];
        }
    }

    /**
     * @param minimum bytes needed
     * @return a block of at least {@code minimum} bytes
     * @throws IllegalArgumentException if {@code minimum} is more than {@link #MAX_BLOCK}
     */
    Block take(int minimum) {
        int sizeClass = sizeClass(minimum);
        synchronized (this) {
            int n = freeCount[sizeClass];
            if (n > 0) {
                Block block = free[sizeClass][--n];
                free[sizeClass][n] = null;
                freeCount[sizeClass] = n;
                return block;
            }
        }
        return new Block(MIN_BLOCK << (2 * sizeClass), sizeClass);
    }

    /** @param block a block from {@link #take(int)}, no longer used */
    void give(Block block) {
        int c = block.sizeClass;
        synchronized (this) {
            if (freeCount[c] < free[c].length) {
                free[c][freeCount[c]++] = block;
            }
        }
    }

    /** @return bytes kept in free blocks, for statistics */
    public synchronized long freeBytes() {
        long bytes = 0;
        for (int c = 0; c < CLASSES; c++) {
            bytes += (long) freeCount[c] * (MIN_BLOCK << (2 * c));
        }
        return bytes;
    }

    static int sizeClass(int minimum) {
        if (minimum > MAX_BLOCK) {
            throw new IllegalArgumentException(minimum + " bytes is more than the largest output block, " + MAX_BLOCK);
        }
        int c = 0;
        while ((long) MIN_BLOCK << (2 * c) < minimum) {
            c++;
        }
        return c;
    }
}
