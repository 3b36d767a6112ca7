package layer45.customizations.tlstag;

import static layer45.customizations.tlstag.TlsTagHandshakeTest.assertWholeRecords;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
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
import layer45.customizations.bulktag.stream.TaggingModule;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;
import layer45.runtime.module.ModuleOrigin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TLS tag receiver on streams of made-up TLS records, tagged by the sender, cut every way. */
class TlsTagRecordsTest {

    private Layer45Runtime runtime;
    private InMemoryFlowDriver driver;
    private TlsTagClient client;
    private TlsTagServer server;

    @BeforeEach
    void load() throws Exception {
        runtime = Layer45Runtime.standalone();
        driver = new InMemoryFlowDriver(runtime);
        client = new TlsTagClient();
        server = new TlsTagServer();
        runtime.load("tls-tag-client", client, Map.of(CustomizationService.REMOTE_PORT, new String[] { "443" }),
                ModuleOrigin.NONE);
        runtime.load("tls-tag-server", server, Map.of(CustomizationService.LOCAL_PORT, new String[] { "443" }),
                ModuleOrigin.NONE);
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private DriverFlow clientFlow() {
        return driver.open(InMemoryFlowDriver.flow(Transport.TCP, "curl", "127.0.0.1:50000", "127.0.0.1:443"));
    }

    /** @return {@code records} tagged by tls-tag-server, written in pieces smaller than the output limit */
    private byte[] tagged(byte[] records) {
        try (DriverFlow s = driver.open(InMemoryFlowDriver.flow(Transport.TCP, "python3", "127.0.0.1:443",
                "127.0.0.1:50000"))) {
            for (int at = 0; at < records.length; at += 512) {
                s.send(Arrays.copyOfRange(records, at, Math.min(records.length, at + 512)));
            }
            for (int i = 0; i < 10 && s.lastHeld() > 0; i++) {
                s.send(new byte[0]);
            }
            return s.wire();
        }
    }

    private void configure(String tag, int interval) {
        client.configure(config(tag, interval));
        server.configure(config(tag, interval));
    }

    @Test
    void recordsCutAtEveryOffsetArriveWholeAndUntagged() {
        configure("<T>", 4);
        byte[] records = records(new Random(1), 4, 6);
        byte[] wire = tagged(records);
        assertTrue(wire.length > records.length, "tagged");
        for (int first = 0; first <= wire.length; first++) {
            for (int second = first; second <= wire.length; second++) {
                try (DriverFlow c = clientFlow()) {
                    receiveWhole(c, Arrays.copyOfRange(wire, 0, first));
                    receiveWhole(c, Arrays.copyOfRange(wire, first, second));
                    receiveWhole(c, Arrays.copyOfRange(wire, second, wire.length));
                    assertArrayEquals(records, c.app(), "cuts at " + first + " and " + second);
                    c.endOfStream(Direction.RECV);
                    assertNotEquals(Outcome.ABORTED, c.lastOutcome(), "a clean end");
                }
            }
        }
    }

    @Test
    void aRecordIsHeldUntilItIsCompleteThenDeliveredAtOnce() {
        byte[] records = concat(record(23, 2000, 7), record(23, 10, 8));
        byte[] wire = tagged(records);
        try (DriverFlow c = clientFlow()) {
            assertEquals(0, c.recv(Arrays.copyOfRange(wire, 0, 1500)).length);
            assertEquals(Outcome.HELD, c.lastOutcome());
            assertEquals(0, c.recv(Arrays.copyOfRange(wire, 1500, 2068)).length, "one byte short");
            byte[] first = c.recv(Arrays.copyOfRange(wire, 2068, 2075));
            assertArrayEquals(Arrays.copyOf(records, 2005), first, "the first record, without its two tags");
            byte[] second = c.recv(Arrays.copyOfRange(wire, 2075, wire.length));
            assertArrayEquals(Arrays.copyOfRange(records, 2005, records.length), second);
        }
    }

    @Test
    void bytesThatAreNotTlsRecordsAreAProtocolError() {
        try (DriverFlow c = clientFlow()) {
            c.recv("HTTP/1.0 200 OK\r\n".getBytes());
            assertEquals(Outcome.ABORTED, c.lastOutcome());
            assertTrue(c.lastAbortReason().contains("copy length -71"), c.lastAbortReason());
        }
        byte[] wire = tagged(record(23, 3000, 1));
        wire[1010] ^= 1; // inside the first tag
        try (DriverFlow c = clientFlow()) {
            c.recv(wire);
            assertEquals(Outcome.ABORTED, c.lastOutcome());
        }
        assertEquals(2, runtime.module("tls-tag-client").recv.errors);
    }

    @Test
    void aStreamThatEndsInsideARecordOrATagIsAnError() {
        byte[] wire = tagged(concat(record(22, 1500, 2), record(23, 100, 3)));
        for (int end : new int[] { 3, 1010, 1500, 1537 + 50 }) {
            try (DriverFlow c = clientFlow()) {
                c.recv(Arrays.copyOf(wire, end));
                c.endOfStream(Direction.RECV);
                assertEquals(Outcome.ABORTED, c.lastOutcome(), "ends at " + end);
            }
        }
        try (DriverFlow c = clientFlow()) {
            c.recv(wire);
            c.endOfStream(Direction.RECV);
            assertEquals(Outcome.ORIGINAL, c.lastOutcome());
            assertEquals(1505 + 105, c.app().length);
        }
    }

    @Test
    void aRecordLongerThanTheOutputLimitGoesOutInPieces() {
        RuntimeSettings d = RuntimeSettings.DEFAULTS;
        runtime.updateSettings(new RuntimeSettings(d.maxChain(), d.callBudgetMillis(), d.faultBudget(),
                d.faultWindowMillis(), 1024, d.holdLimit()));
        byte[] records = concat(record(23, 3000, 4), record(23, 300, 5));
        byte[] wire = tagged(records);
        try (DriverFlow c = clientFlow()) {
            for (int at = 0; at < wire.length; at += 700) {
                c.recv(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + 700)));
            }
            for (int i = 0; i < 5; i++) {
                c.recv(new byte[0]);
            }
            assertArrayEquals(records, c.app());
        }
    }

    @Test
    void manyConnectionsInterleavedKeepTheirOwnTagsAndRecords() {
        Random random = new Random(443);
        List<DriverFlow> flows = new ArrayList<>();
        List<byte[]> streams = new ArrayList<>();
        List<byte[]> wires = new ArrayList<>();
        int[] at = new int[40];
        for (int i = 0; i < at.length; i++) {
            flows.add(clientFlow());
            streams.add(records(random, 30, 3000));
            wires.add(tagged(streams.get(i)));
        }
        for (int step = 0; step < 200_000; step++) {
            int i = random.nextInt(at.length);
            byte[] wire = wires.get(i);
            int n = Math.min(wire.length - at[i], 1 + random.nextInt(900));
            receiveWhole(flows.get(i), Arrays.copyOfRange(wire, at[i], at[i] + n));
            at[i] += n;
        }
        for (int i = 0; i < at.length; i++) {
            assertEquals(wires.get(i).length, at[i], "the test sent the whole stream " + i);
            assertArrayEquals(streams.get(i), flows.get(i).app(), "connection " + i);
            flows.get(i).close();
        }
    }

    @Test
    void connectionsOnSeveralThreadsAtOnceComeThroughIntact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                long seed = t;
                results.add(pool.submit(() -> download(new Random(seed), 200)));
            }
            for (Future<?> result : results) {
                result.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLargeStreamOfFullRecordsComesThroughIntact() {
        download(new Random(5), 2000); // about 32 MB
    }

    private void download(Random random, int count) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            stream.writeBytes(record(23, 1 << 14, random.nextInt()));
        }
        byte[] records = stream.toByteArray();
        byte[] wire = tagged(records);
        try (DriverFlow c = clientFlow()) {
            for (int at = 0; at < wire.length;) {
                int n = Math.min(wire.length - at, 1 + random.nextInt(65536));
                receiveWhole(c, Arrays.copyOfRange(wire, at, at + n));
                at += n;
            }
            assertArrayEquals(records, c.app());
        }
    }

    private static void receiveWhole(DriverFlow c, byte[] wire) {
        assertWholeRecords(c.recv(wire));
    }

    /** @return {@code count} records of random types and up to {@code maxBody} bytes */
    private static byte[] records(Random random, int count, int maxBody) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(record(20 + random.nextInt(4), random.nextInt(maxBody + 1), random.nextInt()));
        }
        return out.toByteArray();
    }

    private static byte[] record(int type, int length, int seed) {
        byte[] record = new byte[5 + length];
        new Random(seed).nextBytes(record);
        record[0] = (byte) type;
        record[1] = 3;
        record[2] = 3;
        record[3] = (byte) (length >> 8);
        record[4] = (byte) length;
        return record;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static TaggingModule.Config config(String tag, int interval) {
        return new TaggingModule.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TaggingModule.Config.class;
            }

            @Override
            public int interval() {
                return interval;
            }

            @Override
            public String tag() {
                return tag;
            }
        };
    }
}
