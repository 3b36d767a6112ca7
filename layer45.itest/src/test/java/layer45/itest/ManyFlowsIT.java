package layer45.itest;

import static layer45.itest.OsgiFixture.CLIENT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import layer45.api.Transport;
import layer45.api.runtime.CountersDTO;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.RuntimeStatsDTO;
import layer45.api.spi.Outcome;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves that many customized flows at once stay apart: 64 echo-client flows run concurrently on 8 threads, each
 * exchanging 200 random messages whose echo comes back split at random places; every application reads exactly
 * what it sent, no flow is aborted, and the runtime's counters add up to what the flows saw. The timeout only
 * guards against a hang; it is not a performance check.
 */
class ManyFlowsIT {

    private static final int FLOWS = 64;
    private static final int THREADS = 8;
    private static final int MESSAGES = 200;
    private static final long SEED = 0x1a4e45L;

    private OsgiFixture osgi;

    @BeforeEach
    void boot() {
        osgi = OsgiFixture.start();
    }

    @AfterEach
    void shutdown() {
        if (osgi != null) {
            osgi.close();
        }
    }

    /** What one flow did, as the stack saw it. */
    record Tally(long sendChunks, long sendBytesIn, long sendBytesOut, long recvChunks, long recvBytesIn,
            long recvBytesOut, List<Outcome> outcomes) {
    }

    @Test
    void concurrentFlowsEachGetTheirOwnBytesBackAndTheCountersAddUp() {
        InMemoryFlowDriver driver = osgi.driver();
        List<Tally> tallies = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<Tally>> futures = new ArrayList<>();
                for (int i = 0; i < FLOWS; i++) {
                    int n = i;
                    futures.add(pool.submit(() -> runFlow(driver, n)));
                }
                List<Tally> done = new ArrayList<>();
                for (Future<Tally> future : futures) {
                    done.add(future.get(60, TimeUnit.SECONDS));
                }
                return done;
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "the flow threads did not stop");
            }
        });

        assertEquals(FLOWS, tallies.size());
        for (Tally t : tallies) {
            assertFalse(t.outcomes.contains(Outcome.ABORTED), "a flow was aborted");
            assertEquals(MESSAGES, t.sendChunks);
        }
        RuntimeStatsDTO stats = osgi.runtime().stats();
        assertEquals(0, stats.flowsAborted);
        assertEquals(FLOWS, stats.flowsOpened);
        assertEquals(0, stats.openFlows);
        assertEquals(0, stats.autoDeactivations);
        assertCounters("runtime send", stats.send, sum(tallies, Tally::sendChunks), sum(tallies, Tally::sendBytesIn),
                sum(tallies, Tally::sendBytesOut));
        assertCounters("runtime recv", stats.recv, sum(tallies, Tally::recvChunks), sum(tallies, Tally::recvBytesIn),
                sum(tallies, Tally::recvBytesOut));
        assertEquals((long) FLOWS * MESSAGES, stats.send.customized, "every message sent was tagged");
        assertEquals(0, stats.send.errors + stats.send.faults + stats.recv.errors + stats.recv.faults);
        assertEquals(0, stats.recv.heldDiscarded);

        ModuleDTO client = osgi.runtime().module(CLIENT);
        assertEquals(0, client.usedBy);
        assertEquals("", client.lastProblem);
        assertCounters("module send", client.send, sum(tallies, Tally::sendChunks), sum(tallies, Tally::sendBytesIn),
                sum(tallies, Tally::sendBytesOut));
        assertEquals(sum(tallies, Tally::recvBytesOut), client.recv.bytesOut);
    }

    /** One flow: the application sends messages, the peer echoes the wire bytes back in random pieces. */
    private static Tally runFlow(InMemoryFlowDriver driver, int n) {
        Random random = new Random(SEED + n);
        Transport transport = Transport.TCP;
        ByteArrayOutputStream sentByApp = new ByteArrayOutputStream();
        long recvChunks = 0;
        long recvBytesIn = 0;
        try (DriverFlow flow = driver.open(InMemoryFlowDriver.flow(transport, "python3",
                "127.0.0.1:" + (20000 + n), "127.0.0.1:65432"))) {
            int echoed = 0; // wire bytes already echoed back
            for (int m = 0; m < MESSAGES; m++) {
                byte[] message = message(random);
                sentByApp.writeBytes(message);
                flow.send(message);
                // Echo back a random amount of what is on the wire so far: frames arrive split anywhere.
                byte[] wire = flow.wire();
                int pending = wire.length - echoed;
                int take = m == MESSAGES - 1 ? pending : random.nextInt(pending + 1);
                while (take > 0) {
                    int piece = 1 + random.nextInt(Math.min(take, 64));
                    byte[] chunk = Bytes.slice(wire, echoed, echoed + piece);
                    if (piece > 2 && random.nextBoolean()) {
                        int a = 1 + random.nextInt(piece - 1);
                        flow.recv(chunk, a); // two segments
                    } else {
                        flow.recv(chunk);
                    }
                    recvChunks++;
                    recvBytesIn += piece;
                    echoed += piece;
                    take -= piece;
                }
            }
            assertEquals(flow.wire().length, echoed);
            assertArrayEquals(sentByApp.toByteArray(), flow.app(), "flow " + n + ": the application must read"
                    + " exactly what it sent");
            assertEquals(sentByApp.size(), flow.applicationSent());
            assertTrue(flow.asyncAborts().isEmpty(), flow.asyncAborts()::toString);
            return new Tally(MESSAGES, sentByApp.size(), flow.wire().length, recvChunks, recvBytesIn,
                    flow.app().length, List.copyOf(flow.outcomes()));
        }
    }

    /** @return 1 to 300 random printable ASCII characters, never containing a tag */
    private static byte[] message(Random random) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int length = 1 + random.nextInt(300);
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                bytes[i] = (byte) (0x20 + random.nextInt(0x7f - 0x20));
            }
            String text = Bytes.text(bytes);
            if (!text.contains("<start>") && !text.contains("<end>")) {
                return bytes;
            }
        }
        throw new AssertionError("could not make a message without tags");
    }

    private static long sum(List<Tally> tallies, java.util.function.ToLongFunction<Tally> f) {
        return tallies.stream().mapToLong(f).sum();
    }

    private static void assertCounters(String what, CountersDTO counters, long chunks, long bytesIn, long bytesOut) {
        assertEquals(chunks, counters.chunks, what + " chunks");
        assertEquals(bytesIn, counters.bytesIn, what + " bytesIn");
        assertEquals(bytesOut, counters.bytesOut, what + " bytesOut");
    }
}
