package layer45.runtime.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Output memory shared by all flows, in size classes of 4 KiB times powers of four. */
class BufferPoolTest {

    static final int RETAIN_BYTES_PER_CLASS = 4 << 20;

    static long classSize(int sizeClass) {
        return (long) BufferPool.MIN_BLOCK << (2 * sizeClass);
    }

    @ParameterizedTest(name = "{0} bytes -> class {1}")
    @CsvSource(textBlock = """
            0,          0
            1,          0
            4096,       0
            4097,       1
            16384,      1
            16385,      2
            65536,      2
            65537,      3
            262144,     3
            262145,     4
            1048576,    4
            1048577,    5
            4194304,    5
            4194305,    6
            16777216,   6
            16777217,   7
            67108864,   7
            67108865,   8
            268435456,  8
            """)
    void sizeClassIsTheSmallestClassThatFits(int bytes, int expected) {
        assertEquals(expected, BufferPool.sizeClass(bytes));
        assertTrue(classSize(expected) >= bytes, "the class holds the bytes");
        if (expected > 0) {
            assertTrue(classSize(expected - 1) < bytes, "the class below would not");
        }
    }

    @Test
    void theLargestBlockIsTheLargestClass() {
        assertEquals(256 << 20, BufferPool.MAX_BLOCK);
        assertEquals(8, BufferPool.sizeClass(BufferPool.MAX_BLOCK));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {BufferPool.MAX_BLOCK + 1, Integer.MAX_VALUE})
    void moreThanTheLargestBlockIsRefused(int bytes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BufferPool.sizeClass(bytes));
        assertTrue(e.getMessage().contains(String.valueOf(bytes))
                && e.getMessage().contains(String.valueOf(BufferPool.MAX_BLOCK)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BufferPool().take(bytes));
    }

    @ParameterizedTest(name = "take({0})")
    @ValueSource(ints = {1, 4096, 4097, 20_000, 65_537, 1 << 20})
    void takeGivesABlockOfTheWholeClass(int minimum) {
        Block block = new BufferPool().take(minimum);
        int sizeClass = BufferPool.sizeClass(minimum);
        assertEquals(sizeClass, block.sizeClass);
        assertEquals(classSize(sizeClass), block.data.length);
        assertTrue(block.data.length >= minimum);
    }

    @Test
    void anEmptyPoolHasNoFreeBytes() {
        assertEquals(0, new BufferPool().freeBytes());
    }

    @Test
    void aBlockGivenBackIsReusedForTheSameClass() {
        BufferPool pool = new BufferPool();
        Block block = pool.take(100);
        pool.give(block);
        assertEquals(BufferPool.MIN_BLOCK, pool.freeBytes());
        assertSame(block, pool.take(4096), "same class: reused");
        assertEquals(0, pool.freeBytes());
        pool.give(block);
        Block larger = pool.take(5000);
        assertNotSame(block, larger, "another class: a new block");
        assertEquals(BufferPool.MIN_BLOCK, pool.freeBytes(), "the small block waits for its class");
        pool.give(larger);
        assertEquals(BufferPool.MIN_BLOCK + classSize(1), pool.freeBytes());
    }

    @Test
    void blocksGivenBackAreHandedOutOnceEach() {
        BufferPool pool = new BufferPool();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            blocks.add(pool.take(1));
        }
        blocks.forEach(pool::give);
        Set<Block> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 10; i++) {
            assertTrue(taken.add(pool.take(1)), "a free block is handed out only once");
        }
        assertEquals(Set.copyOf(blocks), Set.copyOf(taken), "the ten blocks given back, no new ones");
        assertEquals(0, pool.freeBytes());
    }

    @ParameterizedTest(name = "class {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void retentionPerClassIsBoundedToAboutFourMiBOrOneBlock(int sizeClass) {
        BufferPool pool = new BufferPool();
        long size = classSize(sizeClass);
        long bound = Math.max(RETAIN_BYTES_PER_CLASS, size);
        int given = (int) (bound / size) + 3;
        for (int i = 0; i < given; i++) {
            pool.give(new Block((int) size, sizeClass));
            assertTrue(pool.freeBytes() <= bound, "after " + (i + 1) + " blocks: " + pool.freeBytes());
        }
        assertEquals(bound, pool.freeBytes(), "the pool keeps as much as it may");
    }

    @Test
    void retentionOfAllClassesTogetherIsTheSumOfTheClassBounds() {
        BufferPool pool = new BufferPool();
        long expected = 0;
        for (int c = 0; c <= 4; c++) {
            long size = classSize(c);
            for (int i = 0; i < RETAIN_BYTES_PER_CLASS / size + 2; i++) {
                pool.give(new Block((int) size, c));
            }
            expected += RETAIN_BYTES_PER_CLASS;
        }
        assertEquals(expected, pool.freeBytes());
    }

    @Test
    void concurrentTakeAndGiveNeverHandTheSameBlockToTwoHolders() throws Exception {
        BufferPool pool = new BufferPool();
        Set<Block> inUse = ConcurrentHashMap.newKeySet();
        AtomicInteger doubleHandouts = new AtomicInteger();
        AtomicInteger overwritten = new AtomicInteger();
        int threads = 4;
        int operations = 10_000;
        int[] sizes = {1, 4096, 4097, 16_384, 20_000};
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                byte marker = (byte) (t + 1);
                long seed = 1000 + t;
                futures.add(executor.submit(() -> {
                    Random random = new Random(seed);
                    Deque<Block> held = new ArrayDeque<>();
                    start.await();
                    for (int op = 0; op < operations; op++) {
                        if (held.isEmpty() || (held.size() < 4 && random.nextBoolean())) {
                            Block block = pool.take(sizes[random.nextInt(sizes.length)]);
                            if (!inUse.add(block)) {
                                doubleHandouts.incrementAndGet();
                            }
                            block.data[0] = marker;
                            block.data[block.data.length - 1] = marker;
                            held.push(block);
                        } else {
                            Block block = random.nextBoolean() ? held.pop() : held.pollLast();
                            if (block.data[0] != marker || block.data[block.data.length - 1] != marker) {
                                overwritten.incrementAndGet();
                            }
                            inUse.remove(block);
                            pool.give(block);
                        }
                    }
                    for (Block block : held) {
                        inUse.remove(block);
                        pool.give(block);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(1, TimeUnit.MINUTES));
        }
        assertEquals(0, doubleHandouts.get(), "blocks handed to two holders at once");
        assertEquals(0, overwritten.get(), "blocks written by another holder while held");
        assertTrue(inUse.isEmpty());
        long free = pool.freeBytes();
        assertTrue(free > 0 && free <= 3L * RETAIN_BYTES_PER_CLASS, "free bytes after the run: " + free);
        assertEquals(0, free % BufferPool.MIN_BLOCK, "whole blocks only");
    }
}
