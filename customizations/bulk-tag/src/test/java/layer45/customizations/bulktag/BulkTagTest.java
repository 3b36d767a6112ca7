package layer45.customizations.bulktag;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static layer45.customizations.bulktag.TaggedStreams.config;
import static layer45.customizations.bulktag.TaggedStreams.random;
import static layer45.customizations.bulktag.TaggedStreams.tagged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import layer45.api.Verdict;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.customizations.bulktag.stream.TagSchedule;
import layer45.customizations.bulktag.stream.TaggingModule;
import layer45.testing.ChunkPlan;
import layer45.testing.FlowSpec;
import layer45.testing.ModuleTester;
import layer45.testing.Step;
import layer45.testing.TestFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An HTTP server sending a download through bulk-tag-server, a client receiving it through bulk-tag-client. */
class BulkTagTest {

    private static final FlowSpec CLIENT = FlowSpec.tcp().from("127.0.0.1", 50000).to("127.0.0.1", 8000)
            .process("curl");
    private static final FlowSpec SERVER = FlowSpec.tcp().local("127.0.0.1", 8000).remote("127.0.0.1", 50000)
            .openedByPeer().process("python3");
    private static final TagSchedule DEFAULT = TagSchedule.of(TaggingModule.DEFAULT_TAG, 1000);

    private ModuleTester tester;

    @BeforeEach
    void load() {
        tester = pair();
    }

    /** The client (tested) and the server, on their default targets (port 8000). */
    private static ModuleTester pair() {
        return ModuleTester.activate(BulkTagClient.class).with(BulkTagServer.class);
    }

    @AfterEach
    void close() {
        tester.close();
    }

    private TestFlow clientFlow() {
        return tester.flow(CLIENT);
    }

    private TestFlow serverFlow() {
        return tester.flow(SERVER);
    }

    private void configure(String tag, int interval) {
        tester.reconfigure("bulk-tag-client", "tag", tag, "interval", interval);
        tester.reconfigure("bulk-tag-server", "tag", tag, "interval", interval);
    }

    @Test
    void theServerInsertsTheThirtyTwoByteTagAfterEveryThousandBytes() {
        byte[] data = random(new Random(1), 2500);
        try (TestFlow s = serverFlow()) {
            byte[] wire = s.send(data).output();
            assertEquals(2500 + 2 * 32, wire.length);
            assertEquals(TaggingModule.DEFAULT_TAG, new String(wire, 1000, 32, US_ASCII));
            assertEquals(TaggingModule.DEFAULT_TAG, new String(wire, 2032, 32, US_ASCII));
            assertArrayEquals(tagged(data, DEFAULT), wire);
            assertEquals(2500, s.applicationSent(), "the server sees its own byte count");
            s.recv("request").expectOutput("request"); // recv passes
        }
    }

    @Test
    void theTagsLandEveryIntervalWhereverTheServersWritesAreCut() {
        configure("<T>", 7);
        byte[] data = random(new Random(2), 40);
        byte[] expected = tagged(data, TagSchedule.of("<T>", 7));
        for (int first = 0; first <= data.length; first++) {
            for (int second = first; second <= data.length; second++) {
                try (TestFlow s = serverFlow()) {
                    s.send(Arrays.copyOfRange(data, 0, first));
                    s.send(Arrays.copyOfRange(data, first, second));
                    s.send(Arrays.copyOfRange(data, second, data.length));
                    assertArrayEquals(expected, s.wire(), "cuts at " + first + " and " + second);
                }
            }
        }
    }

    @Test
    void theClientStripsTagsCutAtAnyOffsetIncludingPartialTags() {
        configure("<TAG>", 6);
        byte[] data = random(new Random(3), 30);
        byte[] wire = tagged(data, TagSchedule.of("<TAG>", 6));
        for (int first = 0; first <= wire.length; first++) {
            for (int second = first; second <= wire.length; second++) {
                try (TestFlow c = clientFlow()) {
                    c.recv(Arrays.copyOfRange(wire, 0, first));
                    c.recv(Arrays.copyOfRange(wire, first, second), (second - first) / 2); // two segments
                    c.recv(Arrays.copyOfRange(wire, second, wire.length));
                    assertArrayEquals(data, c.app(), "cuts at " + first + " and " + second);
                    assertEquals(0, c.held(Direction.RECV), "nothing left over");
                    c.endRecv().expectOutcome(Outcome.ORIGINAL); // a clean end
                }
            }
        }
    }

    @Test
    void aTagCutByAChunkIsHeldUntilItsRestArrives() {
        byte[] data = random(new Random(4), 1000);
        byte[] wire = tagged(data, DEFAULT);
        try (TestFlow c = clientFlow()) {
            c.recv(Arrays.copyOfRange(wire, 0, 1010)).expectOutput(data).expectHeld(10);
            c.recv(Arrays.copyOfRange(wire, 1010, 1020)).expectOutput("").expectOutcome(Outcome.HELD);
            c.recv(concat(Arrays.copyOfRange(wire, 1020, 1032), "abc".getBytes(US_ASCII))).expectOutput("abc")
                    .expectHeld(0);
        }
    }

    @Test
    void aWrongTagIsAProtocolErrorThatAbortsTheFlow() {
        byte[] wire = tagged(random(new Random(5), 1500), DEFAULT);
        wire[1031] = 'Y';
        try (TestFlow c = clientFlow()) {
            c.recv(Arrays.copyOfRange(wire, 0, 1031)).expectOutcome(Outcome.CUSTOMIZED);
            Step wrong = c.recv(Arrays.copyOfRange(wire, 1031, wire.length)).expectVerdict(Verdict.ERROR)
                    .expectOutcome(Outcome.ABORTED);
            assertTrue(wrong.abortReason().contains("copy length -71"), wrong.abortReason());
        }
        assertEquals(1, tester.moduleInfo().recv.errors);
    }

    @Test
    void anUntaggedStreamIsAbortedAtTheFirstTag() {
        try (TestFlow c = clientFlow()) {
            c.recv(new byte[1100]).expectOutcome(Outcome.ABORTED);
        }
    }

    @Test
    void aStreamThatEndsInsideATagIsAnErrorAndOneThatEndsAfterItIsNot() {
        byte[] wire = tagged(random(new Random(6), 2000), DEFAULT);
        try (TestFlow c = clientFlow()) {
            c.recv(Arrays.copyOfRange(wire, 0, 2050));
            c.endRecv().expectOutcome(Outcome.ABORTED);
            assertEquals(2000, c.app().length, "the data before the cut tag was delivered");
        }
        try (TestFlow c = clientFlow()) {
            c.recv(wire);
            assertEquals(2000, c.app().length);
            c.endRecv().expectOutcome(Outcome.ORIGINAL);
        }
        try (TestFlow s = serverFlow()) {
            s.send(new byte[10]);
            s.endSend().expectOutput(""); // the sender has nothing to finish
        }
    }

    @Test
    void manyDownloadsInterleavedKeepTheirOwnPositions() {
        Random random = new Random(8000);
        List<TestFlow> servers = new ArrayList<>();
        List<TestFlow> clients = new ArrayList<>();
        List<byte[]> files = new ArrayList<>();
        List<int[]> sentSoFar = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            servers.add(serverFlow());
            clients.add(clientFlow());
            files.add(random(random, 20_000 + random.nextInt(20_000)));
            sentSoFar.add(new int[1]);
        }
        for (int step = 0; step < 100_000; step++) {
            int i = random.nextInt(files.size());
            byte[] file = files.get(i);
            int at = sentSoFar.get(i)[0];
            if (at == file.length) {
                continue;
            }
            int n = Math.min(file.length - at, 1 + random.nextInt(1500));
            byte[] wire = servers.get(i).send(Arrays.copyOfRange(file, at, at + n)).output();
            // the network cuts the wire its own way
            clients.get(i).recvAll(wire, ChunkPlan.sizes(1 + random.nextInt(700)));
            sentSoFar.get(i)[0] = at + n;
        }
        for (int i = 0; i < files.size(); i++) {
            assertArrayEquals(Arrays.copyOf(files.get(i), sentSoFar.get(i)[0]), clients.get(i).app(), "flow " + i);
            servers.get(i).close();
            clients.get(i).close();
        }
    }

    @Test
    void downloadsOnSeveralThreadsAtOnceComeThroughIntact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                long seed = t;
                results.add(pool.submit(() -> download(new Random(seed), 300_000)));
            }
            for (Future<?> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLargeDownloadInRandomChunksComesThroughIntact() {
        download(new Random(9), 32 << 20);
    }

    private void download(Random random, int size) {
        byte[] file = random(random, size);
        try (TestFlow s = serverFlow(); TestFlow c = clientFlow()) {
            for (int at = 0; at < size;) {
                int n = Math.min(size - at, 1 + random.nextInt(65536));
                c.recv(s.send(Arrays.copyOfRange(file, at, at + n)).output());
                at += n;
            }
            assertEquals(size + size / 1000 * 32, s.wire().length);
            assertArrayEquals(file, c.app());
        }
    }

    @Test
    void aNewScheduleAppliesToNewFlowsWhileOpenFlowsKeepTheirs() {
        try (TestFlow old = serverFlow()) {
            old.send(new byte[500]);
            configure("[]", 10);
            assertEquals(1000 + 32, old.send(new byte[1000]).output().length);
            try (TestFlow fresh = serverFlow()) {
                assertEquals(20 + 2 * 2, fresh.send(new byte[20]).output().length);
            }
        }
    }

    @Test
    void outputLimitsSmallerThanAChunkDelayBytesButLoseNone() {
        byte[] data = random(new Random(10), 3000);
        try (ModuleTester limited = pair().setting("output.limit", 1024);
                TestFlow s = limited.flow(SERVER); TestFlow c = limited.flow(CLIENT)) {
            c.recv(s.send(data).output());
            for (int i = 0; i < 4; i++) {
                c.recv(s.send(new byte[0]).output());
            }
            c.recv(new byte[0]);
            assertArrayEquals(tagged(data, DEFAULT), s.wire());
            assertArrayEquals(data, c.app());
        }
    }

    @Test
    void parametersThatMakeNoScheduleAreRefusedWithWhatToSet() {
        BulkTagServer server = tester.module(BulkTagServer.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> server.configure(config(TaggingModule.DEFAULT_TAG, 0)));
        assertTrue(e.getMessage().contains("interval=1000"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> server.configure(config("", 1000)));
        assertTrue(e.getMessage().contains("US-ASCII"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> server.configure(config("tag\u00e9", 1000)));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
