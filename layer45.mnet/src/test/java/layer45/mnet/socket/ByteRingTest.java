package layer45.mnet.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The relay's ring: bytes in order, memory only while it holds bytes, and its capacity as the bound. */
class ByteRingTest {

    private static byte[] stream(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Reads what is waiting now, through the views, as the relay's consumer does. */
    private static byte[] drain(ByteRing ring) {
        ByteBuffer out = ByteBuffer.allocate(ring.readable());
        while (out.hasRemaining()) {
            int views = ring.peek();
            int taken = 0;
            for (int i = 0; i < views; i++) {
                ByteBuffer view = ring.views()[i].duplicate();
                view.limit(view.position() + Math.min(view.remaining(), out.remaining()));
                taken += view.remaining();
                out.put(view);
            }
            ring.consume(taken);
        }
        return out.array();
    }

    @Test
    void holdsPagesOnlyWhileItHoldsBytes() {
        PagePool pool = new PagePool(8, Long.MAX_VALUE, 1024);
        ByteRing ring = new ByteRing(20, pool);
        assertEquals(0, ring.memoryHeld(), "a fresh ring holds no memory");
        assertEquals(5, ring.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5})));
        assertEquals(8, ring.memoryHeld(), "one page for 5 bytes");
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, drain(ring));
        assertEquals(0, ring.memoryHeld(), "emptied: the page it stopped in went back too");
        assertEquals(0, pool.bytesInUse());
        assertEquals(20, ring.write(ByteBuffer.wrap(stream(30, 1))), "at most its capacity");
        assertEquals(0, ring.writable());
        assertEquals(32, ring.memoryHeld(), "20 bytes from position 5 span pages 0 to 3");
    }

    @Test
    void keepsTheStreamInOrderAcrossPagesAndWrapsUnderRandomWritesAndReads() {
        for (long seed = 1; seed <= 6; seed++) {
            Random random = new Random(seed);
            int pageSize = 1 + random.nextInt(64);
            int capacity = 1 + random.nextInt(300);
            PagePool pool = new PagePool(pageSize, Long.MAX_VALUE, 4096);
            ByteRing ring = new ByteRing(capacity, pool);
            byte[] stream = stream(200_000, seed);
            ByteBuffer source = ByteBuffer.wrap(stream);
            ByteBuffer received = ByteBuffer.allocate(stream.length);
            while (received.hasRemaining()) {
                if (random.nextBoolean() && source.hasRemaining()) {
                    int n = Math.min(source.remaining(), random.nextInt(2 * capacity + 1));
                    if (random.nextBoolean()) {
                        ByteBuffer slice = source.slice(source.position(), n);
                        source.position(source.position() + ring.write(slice));
                    } else {
                        ByteBuffer space = ring.space();
                        int put = Math.min(space.remaining(), n);
                        space.put(space.position(), source, source.position(), put);
                        source.position(source.position() + put);
                        ring.commit(put);
                    }
                    assertTrue(ring.readable() <= capacity, "never past its capacity");
                    assertTrue(ring.memoryHeld() <= (long) pageSize * ((capacity + pageSize - 1) / pageSize + 1),
                            "pages for its bytes only: " + ring.memoryHeld());
                } else {
                    received.put(drain(ring));
                    assertEquals(0, ring.memoryHeld(), "emptied rings hold nothing");
                }
            }
            assertArrayEquals(stream, received.array(), "seed " + seed);
            ring.close();
            assertEquals(0, pool.bytesInUse());
        }
    }

    @Test
    void closeGivesEveryPageBack() {
        PagePool pool = new PagePool(16, Long.MAX_VALUE, 0);
        ByteRing ring = new ByteRing(100, pool);
        ring.write(ByteBuffer.wrap(stream(70, 3)));
        ring.peek();
        ring.consume(20);
        assertEquals(64, pool.bytesInUse(), "pages 1 to 4 hold bytes 20 to 69");
        ring.close();
        assertEquals(0, pool.bytesInUse());
    }

    /** A producer and a consumer thread, as the loop and a relay thread: every byte arrives, in order. */
    @Test
    void carriesAStreamBetweenTwoThreads() throws Exception {
        PagePool pool = new PagePool(4096, Long.MAX_VALUE, 1 << 20);
        ByteRing ring = new ByteRing(20_000, pool);
        byte[] stream = stream(4 << 20, 7);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                Random random = new Random(8);
                ByteBuffer source = ByteBuffer.wrap(stream);
                while (source.hasRemaining()) {
                    int n = Math.min(source.remaining(), 1 + random.nextInt(9000));
                    ByteBuffer chunk = source.slice(source.position(), n);
                    while (chunk.hasRemaining()) {
                        if (ring.write(chunk) == 0) {
                            ring.awaitWritable(chunk.remaining());
                        }
                    }
                    source.position(source.position() + n);
                }
                ring.finish();
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        ByteBuffer received = ByteBuffer.allocate(stream.length);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ring.drained() && System.nanoTime() < deadline && failed.get() == null) {
            if (ring.peek() == 0) {
                ring.awaitReadable();
                continue;
            }
            received.put(drain(ring));
        }
        producer.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(null, failed.get());
        assertArrayEquals(stream, received.array());
        assertEquals(0, ring.memoryHeld(), "drained: nothing held");
    }

    @Test
    void theEndComesAfterTheLastBytes() {
        ByteRing ring = new ByteRing(16, new PagePool(16, Long.MAX_VALUE, 0));
        assertEquals(0, ring.peekOrEnd(), "nothing yet, and no end");
        ring.write(ByteBuffer.wrap(new byte[10]));
        ring.finish();
        assertEquals(1, ring.peekOrEnd(), "finished, with bytes left to read");
        ring.consume(10);
        assertEquals(ByteRing.END, ring.peekOrEnd());
    }

    /**
     * A producer writes its last bytes and finishes at once while the consumer looks: however the two interleave,
     * the consumer never sees the end before those bytes (it did when it looked for bytes, then for the end).
     */
    @Test
    void aConsumerRacingTheEndGetsEveryByte() throws Exception {
        int rounds = 20_000;
        ByteRing[] rings = new ByteRing[rounds];
        for (int i = 0; i < rounds; i++) {
            rings[i] = new ByteRing(16, new PagePool(16, Long.MAX_VALUE, 0));
        }
        CyclicBarrier start = new CyclicBarrier(2);
        Thread producer = Thread.ofPlatform().start(() -> {
            ByteBuffer last = ByteBuffer.allocate(8);
            for (ByteRing ring : rings) {
                await(start);
                ring.write(last.clear());
                ring.finish();
            }
        });
        int lost = 0;
        for (ByteRing ring : rings) {
            await(start);
            int read = 0;
            for (int views; (views = ring.peekOrEnd()) != ByteRing.END; ) {
                for (int v = 0; v < views; v++) {
                    int n = ring.views()[v].remaining();
                    ring.consume(n);
                    read += n;
                }
            }
            lost += 8 - read;
        }
        producer.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(0, lost, "bytes the consumer missed because it saw the end first, over " + rounds + " rounds");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the other thread did not come", e);
        }
    }
}
