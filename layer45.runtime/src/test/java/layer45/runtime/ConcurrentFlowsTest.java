package layer45.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import layer45.api.Verdict;
import layer45.api.spi.Outcome;
import layer45.runtime.module.ModuleOrigin;
import layer45.runtime.driver.DriverFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Many flows at once, on several threads, while modules come and go underneath them. */
class ConcurrentFlowsTest {

    private static final int FLOWS = 48;
    private static final int THREADS = 6;
    private static final int MESSAGES = 150;

    private final RuntimeFixture fixture = new RuntimeFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    /**
     * Each flow counts its own messages in per-flow state (one object per module per flow, shared by both
     * directions: [0] counts sent messages, [1] received ones); a shared field would mix flows up.
     */
    private static ScriptedModule numbering() {
        return new ScriptedModule((in, out, flow) -> {
            int[] counter = flow.state(() -> new int[2]);
            out.writeByte(counter[0]++);
            out.transferFrom(in, in.remaining());
            return Verdict.DELIVER;
        }, (in, out, flow) -> {
            int[] counter = flow.state(() -> new int[2]);
            if ((in.byteAt(0) & 0xff) != (counter[1]++ & 0xff)) {
                return Verdict.ERROR; // a message of another flow, or out of order
            }
            in.advance(1);
            out.transferFrom(in, in.remaining());
            return Verdict.DELIVER;
        });
    }

    @Test
    void flowsOnManyThreadsKeepTheirOwnStateAndBytes() throws Exception {
        fixture.load("numbering", numbering());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int f = 0; f < FLOWS; f++) {
                long seed = f;
                runs.add(pool.submit(() -> echoConversation(seed)));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        var stats = fixture.runtime.stats();
        assertEquals(FLOWS * MESSAGES, stats.send.customized);
        assertEquals(FLOWS * MESSAGES, stats.recv.customized);
        assertEquals(0, stats.flowsAborted);
        assertEquals(FLOWS, stats.flowsOpened);
        assertEquals(0, fixture.runtime.module("numbering").usedBy);
    }

    /** The application sends messages; an echo peer returns the wire bytes; the application gets its own back. */
    private void echoConversation(long seed) {
        Random random = new Random(seed);
        try (DriverFlow flow = fixture.tcp()) {
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int m = 0; m < MESSAGES; m++) {
                byte[] message = new byte[1 + random.nextInt(512)];
                random.nextBytes(message);
                sent.writeBytes(message);
                byte[] wire = flow.send(message);
                flow.recv(wire, random.nextInt(wire.length)); // in two segments
                if (flow.lastOutcome() != Outcome.CUSTOMIZED) {
                    throw new AssertionError("flow " + seed + " message " + m + ": " + flow.lastOutcome() + " "
                            + flow.lastAbortReason());
                }
            }
            assertArrayEquals(sent.toByteArray(), flow.app());
        }
    }

    @Test
    void modulesLoadedAndUnloadedWhileFlowsRunNeverCorruptOrStopThem() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread churn = Thread.ofPlatform().name("churn").start(() -> {
            for (int i = 0; i < 300 && running.get(); i++) {
                String name = "observer-" + (i % 3);
                try {
                    fixture.runtime.load(name, ScriptedModule.answering(Verdict.NO_CUSTOMIZATION),
                            RuntimeFixture.props("apply.now", i % 2 == 0), ModuleOrigin.NONE);
                    if (i % 5 == 0) {
                        fixture.runtime.setPriority(name, i);
                    }
                    fixture.runtime.unload(name, true);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int f = 0; f < FLOWS; f++) {
                long seed = 1000 + f;
                runs.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    try (DriverFlow flow = fixture.tcp()) {
                        ByteArrayOutputStream sent = new ByteArrayOutputStream();
                        for (int m = 0; m < MESSAGES; m++) {
                            byte[] message = new byte[1 + random.nextInt(256)];
                            random.nextBytes(message);
                            sent.writeBytes(message);
                            flow.send(message);
                            assertTrue(flow.lastOutcome() == Outcome.ORIGINAL, flow.lastOutcome().toString());
                        }
                        assertArrayEquals(sent.toByteArray(), flow.wire());
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            churn.join(30_000);
            pool.shutdownNow();
        }
        assertEquals(0, fixture.runtime.stats().flowsAborted);
        assertTrue(fixture.runtime.modules().isEmpty());
    }
}
