package layer45.mnet.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ring between the stack's loop and another thread: every byte written before the end reaches the consumer. */
class ByteRingTest {

    @Test
    void theEndComesAfterTheLastBytes() {
        ByteRing ring = new ByteRing(16);
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
            rings[i] = new ByteRing(16);
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
