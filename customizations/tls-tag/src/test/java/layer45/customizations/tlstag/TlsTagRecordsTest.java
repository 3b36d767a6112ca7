package layer45.customizations.tlstag;

import static layer45.customizations.tlstag.TlsTagHandshakeTest.assertWholeRecords;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
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
import layer45.testing.ChunkPlan;
import layer45.testing.FlowSpec;
import layer45.testing.ModuleTester;
import layer45.testing.Step;
import layer45.testing.TestFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TLS tag receiver on streams of made-up TLS records, tagged by the sender, cut every way. */
class TlsTagRecordsTest {

    /** curl's connection to port 443, as the client's host sees it. */
    static final FlowSpec CURL = FlowSpec.tcp().from("127.0.0.1", 50000).to("127.0.0.1", 443).process("curl");
    /** The same connection as the server's host sees it. */
    static final FlowSpec SERVER = FlowSpec.tcp().local("127.0.0.1", 443).remote("127.0.0.1", 50000).openedByPeer()
            .process("python3");

    private ModuleTester tester;

    /** The receiver (tested) and the sender, on their default targets. */
    @BeforeEach
    void load() {
        tester = ModuleTester.activate(TlsTagClient.class).with(TlsTagServer.class);
    }

    @AfterEach
    void close() {
        tester.close();
    }

    private TestFlow clientFlow() {
        return tester.flow(CURL);
    }

    /** @return {@code records} tagged by tls-tag-server, written in pieces smaller than the output limit */
    private byte[] tagged(byte[] records) {
        try (TestFlow s = tester.flow(SERVER)) {
            for (int at = 0; at < records.length; at += 512) {
                s.send(Arrays.copyOfRange(records, at, Math.min(records.length, at + 512)));
            }
            for (int i = 0; i < 10 && s.held(Direction.SEND) > 0; i++) {
                s.send(new byte[0]);
            }
            assertEquals(records.length, s.applicationSent(), "the server saw its own writes sent");
            return s.wire();
        }
    }

    /** Both ends change their tag and interval, as an operator's {@code param} does. */
    private void configure(String tag, int interval) {
        tester.configure("tag", tag, "interval", interval);
        tester.reconfigure("tls-tag-server", "tag", tag, "interval", interval);
    }

    @Test
    void recordsCutAtEveryOffsetArriveWholeAndUntagged() {
        configure("<T>", 4);
        byte[] records = records(new Random(1), 4, 6);
        byte[] wire = tagged(records);
        assertTrue(wire.length > records.length, "tagged");
        for (int first = 0; first <= wire.length; first++) {
            for (int second = first; second <= wire.length; second++) {
                try (TestFlow c = clientFlow()) {
                    receiveWhole(c, Arrays.copyOfRange(wire, 0, first));
                    receiveWhole(c, Arrays.copyOfRange(wire, first, second));
                    receiveWhole(c, Arrays.copyOfRange(wire, second, wire.length));
                    assertArrayEquals(records, c.app(), "cuts at " + first + " and " + second);
                    assertNotEquals(Outcome.ABORTED, c.endRecv().outcome(), "a clean end");
                }
            }
        }
    }

    @Test
    void aRecordIsHeldUntilItIsCompleteThenDeliveredAtOnce() {
        byte[] records = concat(record(23, 2000, 7), record(23, 10, 8));
        byte[] wire = tagged(records);
        try (TestFlow c = clientFlow()) {
            c.recv(Arrays.copyOfRange(wire, 0, 1500)).expectOutput(new byte[0]).expectOutcome(Outcome.HELD)
                    .expectVerdict(Verdict.DELIVER);
            assertEquals(0, c.recv(Arrays.copyOfRange(wire, 1500, 2068)).output().length, "one byte short");
            byte[] first = c.recv(Arrays.copyOfRange(wire, 2068, 2075)).output();
            assertArrayEquals(Arrays.copyOf(records, 2005), first, "the first record, without its two tags");
            c.recv(Arrays.copyOfRange(wire, 2075, wire.length)).expectOutput(Arrays.copyOfRange(records, 2005,
                    records.length));
            assertEquals(records.length, c.applicationReceived(), "the client read the records, not the tags");
        }
    }

    @Test
    void bytesThatAreNotTlsRecordsAreAProtocolError() {
        try (TestFlow c = clientFlow()) {
            Step step = c.recv("HTTP/1.0 200 OK\r\n").expectVerdict(Verdict.ERROR).expectOutcome(Outcome.ABORTED);
            assertTrue(step.abortReason().contains("copy length -71"), step.abortReason());
        }
        byte[] wire = tagged(record(23, 3000, 1));
        wire[1010] ^= 1; // inside the first tag
        try (TestFlow c = clientFlow()) {
            c.recv(wire).expectOutcome(Outcome.ABORTED);
        }
        assertEquals(2, tester.moduleInfo().recv.errors);
    }

    @Test
    void aStreamThatEndsInsideARecordOrATagIsAnError() {
        byte[] wire = tagged(concat(record(22, 1500, 2), record(23, 100, 3)));
        for (int end : new int[] { 3, 1010, 1500, 1537 + 50 }) {
            try (TestFlow c = clientFlow()) {
                c.recv(Arrays.copyOf(wire, end));
                assertEquals(Outcome.ABORTED, c.endRecv().outcome(), "ends at " + end);
            }
        }
        try (TestFlow c = clientFlow()) {
            c.recv(wire);
            c.endRecv().expectOutcome(Outcome.ORIGINAL);
            assertEquals(1505 + 105, c.app().length);
        }
    }

    @Test
    void aRecordLongerThanTheOutputLimitGoesOutInPieces() {
        tester.setting("output.limit", 1024);
        byte[] records = concat(record(23, 3000, 4), record(23, 300, 5));
        byte[] wire = tagged(records);
        try (TestFlow c = clientFlow()) {
            for (int at = 0; at < wire.length; at += 700) {
                assertTrue(c.recv(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + 700))).output().length
                        <= 1024, "within the limit");
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
        List<TestFlow> flows = new ArrayList<>();
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

    /** The server sends {@code count} full records; the network cuts the tagged stream anywhere, into segments too. */
    private void download(Random random, int count) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            stream.writeBytes(record(23, 1 << 14, random.nextInt()));
        }
        byte[] records = stream.toByteArray();
        byte[] wire = tagged(records);
        try (TestFlow c = clientFlow()) {
            for (Step step : c.recvAll(wire, ChunkPlan.random(random.nextLong(), 65536))) {
                assertWholeRecords(step.output());
            }
            assertArrayEquals(records, c.app());
        }
    }

    /** The client's module receives bytes from the network; the TLS stack must get whole records only. */
    private static void receiveWhole(TestFlow c, byte[] wire) {
        assertWholeRecords(c.recv(wire).output());
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
}
