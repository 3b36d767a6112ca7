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
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import layer45.api.CustomizationService;
import layer45.api.Transport;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.customizations.bulktag.stream.TagSchedule;
import layer45.customizations.bulktag.stream.TaggingModule;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;
import layer45.runtime.module.ModuleOrigin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An HTTP server sending a download through bulk-tag-server, a client receiving it through bulk-tag-client. */
class BulkTagTest {

    private static final String CLIENT = "127.0.0.1:50000";
    private static final String SERVER = "127.0.0.1:8000";
    private static final TagSchedule DEFAULT = TagSchedule.of(TaggingModule.DEFAULT_TAG, 1000);

    private Layer45Runtime runtime;
    private InMemoryFlowDriver driver;
    private BulkTagClient client;
    private BulkTagServer server;

    @BeforeEach
    void load() throws Exception {
        runtime = Layer45Runtime.standalone();
        driver = new InMemoryFlowDriver(runtime);
        client = new BulkTagClient();
        server = new BulkTagServer();
        runtime.load("bulk-tag-client", client, Map.of(CustomizationService.REMOTE_PORT, new String[] { "8000" },
                CustomizationService.PROTOCOL, new String[] { "tcp" }), ModuleOrigin.NONE);
        runtime.load("bulk-tag-server", server, Map.of(CustomizationService.LOCAL_PORT, new String[] { "8000" },
                CustomizationService.PROTOCOL, new String[] { "tcp" }), ModuleOrigin.NONE);
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private DriverFlow clientFlow() {
        return driver.open(InMemoryFlowDriver.flow(Transport.TCP, "curl", CLIENT, SERVER));
    }

    private DriverFlow serverFlow() {
        return driver.open(InMemoryFlowDriver.flow(Transport.TCP, "python3", SERVER, CLIENT));
    }

    private void configure(String tag, int interval) {
        client.configure(config(tag, interval));
        server.configure(config(tag, interval));
    }

    @Test
    void theServerInsertsTheThirtyTwoByteTagAfterEveryThousandBytes() {
        byte[] data = random(new Random(1), 2500);
        try (DriverFlow s = serverFlow()) {
            byte[] wire = s.send(data);
            assertEquals(2500 + 2 * 32, wire.length);
            assertEquals(TaggingModule.DEFAULT_TAG, new String(wire, 1000, 32, US_ASCII));
            assertEquals(TaggingModule.DEFAULT_TAG, new String(wire, 2032, 32, US_ASCII));
            assertArrayEquals(tagged(data, DEFAULT), wire);
            assertEquals(2500, s.applicationSent(), "the server sees its own byte count");
            assertEquals("request", new String(s.recv("request".getBytes(US_ASCII)), US_ASCII), "recv passes");
        }
    }

    @Test
    void theTagsLandEveryIntervalWhereverTheServersWritesAreCut() {
        configure("<T>", 7);
        byte[] data = random(new Random(2), 40);
        byte[] expected = tagged(data, TagSchedule.of("<T>", 7));
        for (int first = 0; first <= data.length; first++) {
            for (int second = first; second <= data.length; second++) {
                try (DriverFlow s = serverFlow()) {
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
                try (DriverFlow c = clientFlow()) {
                    c.recv(Arrays.copyOfRange(wire, 0, first));
                    c.recv(Arrays.copyOfRange(wire, first, second), (second - first) / 2); // two segments
                    c.recv(Arrays.copyOfRange(wire, second, wire.length));
                    assertArrayEquals(data, c.app(), "cuts at " + first + " and " + second);
                    assertEquals(0, c.lastHeld(), "nothing left over");
                    c.endOfStream(Direction.RECV);
                    assertEquals(Outcome.ORIGINAL, c.lastOutcome(), "a clean end");
                }
            }
        }
    }

    @Test
    void aTagCutByAChunkIsHeldUntilItsRestArrives() {
        byte[] data = random(new Random(4), 1000);
        byte[] wire = tagged(data, DEFAULT);
        try (DriverFlow c = clientFlow()) {
            assertArrayEquals(data, c.recv(Arrays.copyOfRange(wire, 0, 1010)));
            assertEquals(10, c.lastHeld());
            assertEquals(0, c.recv(Arrays.copyOfRange(wire, 1010, 1020)).length);
            assertEquals(Outcome.HELD, c.lastOutcome());
            assertArrayEquals("abc".getBytes(US_ASCII), c.recv(concat(Arrays.copyOfRange(wire, 1020, 1032),
                    "abc".getBytes(US_ASCII))));
            assertEquals(0, c.lastHeld());
        }
    }

    @Test
    void aWrongTagIsAProtocolErrorThatAbortsTheFlow() {
        byte[] wire = tagged(random(new Random(5), 1500), DEFAULT);
        wire[1031] = 'Y';
        try (DriverFlow c = clientFlow()) {
            c.recv(Arrays.copyOfRange(wire, 0, 1031));
            assertEquals(Outcome.CUSTOMIZED, c.lastOutcome());
            c.recv(Arrays.copyOfRange(wire, 1031, wire.length));
            assertEquals(Outcome.ABORTED, c.lastOutcome());
            assertTrue(c.lastAbortReason().contains("copy length -71"), c.lastAbortReason());
        }
        assertEquals(1, runtime.module("bulk-tag-client").recv.errors);
    }

    @Test
    void anUntaggedStreamIsAbortedAtTheFirstTag() {
        try (DriverFlow c = clientFlow()) {
            c.recv(new byte[1100]);
            assertEquals(Outcome.ABORTED, c.lastOutcome());
        }
    }

    @Test
    void aStreamThatEndsInsideATagIsAnErrorAndOneThatEndsAfterItIsNot() {
        byte[] wire = tagged(random(new Random(6), 2000), DEFAULT);
        try (DriverFlow c = clientFlow()) {
            c.recv(Arrays.copyOfRange(wire, 0, 2050));
            c.endOfStream(Direction.RECV);
            assertEquals(Outcome.ABORTED, c.lastOutcome());
            assertEquals(2000, c.app().length, "the data before the cut tag was delivered");
        }
        try (DriverFlow c = clientFlow()) {
            c.recv(wire);
            assertEquals(2000, c.app().length);
            c.endOfStream(Direction.RECV);
            assertEquals(Outcome.ORIGINAL, c.lastOutcome());
        }
        try (DriverFlow s = serverFlow()) {
            s.send(new byte[10]);
            assertEquals(0, s.endOfStream(Direction.SEND).length, "the sender has nothing to finish");
        }
    }

    @Test
    void manyDownloadsInterleavedKeepTheirOwnPositions() {
        Random random = new Random(8000);
        List<DriverFlow> servers = new ArrayList<>();
        List<DriverFlow> clients = new ArrayList<>();
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
            byte[] wire = servers.get(i).send(Arrays.copyOfRange(file, at, at + n));
            for (int cut = 0; cut < wire.length;) { // the network cuts the wire its own way
                int m = Math.min(wire.length - cut, 1 + random.nextInt(700));
                clients.get(i).recv(Arrays.copyOfRange(wire, cut, cut + m));
                cut += m;
            }
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
        try (DriverFlow s = serverFlow(); DriverFlow c = clientFlow()) {
            for (int at = 0; at < size;) {
                int n = Math.min(size - at, 1 + random.nextInt(65536));
                c.recv(s.send(Arrays.copyOfRange(file, at, at + n)));
                at += n;
            }
            assertEquals(size + size / 1000 * 32, s.wire().length);
            assertArrayEquals(file, c.app());
        }
    }

    @Test
    void aNewScheduleAppliesToNewFlowsWhileOpenFlowsKeepTheirs() {
        try (DriverFlow old = serverFlow()) {
            old.send(new byte[500]);
            configure("[]", 10);
            assertEquals(1000 + 32, old.send(new byte[1000]).length);
            try (DriverFlow fresh = serverFlow()) {
                assertEquals(20 + 2 * 2, fresh.send(new byte[20]).length);
            }
        }
    }

    @Test
    void outputLimitsSmallerThanAChunkDelayBytesButLoseNone() {
        RuntimeSettings d = RuntimeSettings.DEFAULTS;
        runtime.updateSettings(new RuntimeSettings(d.maxChain(), d.callBudgetMillis(), d.faultBudget(),
                d.faultWindowMillis(), 1024, d.holdLimit()));
        byte[] data = random(new Random(10), 3000);
        try (DriverFlow s = serverFlow(); DriverFlow c = clientFlow()) {
            c.recv(s.send(data));
            for (int i = 0; i < 4; i++) {
                c.recv(s.send(new byte[0]));
            }
            c.recv(new byte[0]);
            assertArrayEquals(tagged(data, DEFAULT), s.wire());
            assertArrayEquals(data, c.app());
        }
    }

    @Test
    void parametersThatMakeNoScheduleAreRefusedWithWhatToSet() {
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
