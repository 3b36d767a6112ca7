package layer45.customizations.xor;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import layer45.api.spi.Outcome;
import layer45.testing.FlowSpec;
import layer45.testing.ModuleTester;
import layer45.testing.Step;
import layer45.testing.TestFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The XOR pair between a client and a server application: the wire is scrambled, each application sees its bytes. */
class XorTest {

    private static final FlowSpec CLIENT = FlowSpec.tcp().from("127.0.0.1", 50000).to("127.0.0.1", 65432)
            .process("python3");
    private static final FlowSpec SERVER = FlowSpec.tcp().local("127.0.0.1", 65432).remote("127.0.0.1", 50000)
            .openedByPeer().process("python3");

    private ModuleTester tester;

    @BeforeEach
    void load() {
        tester = pair("10");
    }

    @AfterEach
    void close() {
        tester.close();
    }

    /** The client (tested) and the server, both with the key, on their default targets. */
    private static ModuleTester pair(String key) {
        return ModuleTester.activate(XorClient.class, "key", key).with(XorServer.class, "key", key);
    }

    private TestFlow clientFlow() {
        return tester.flow(CLIENT);
    }

    private TestFlow serverFlow() {
        return tester.flow(SERVER);
    }

    @Test
    void theWireCarriesTheBytesXoredWithTheKeyAndThePeerSeesTheOriginal() {
        try (TestFlow c = clientFlow(); TestFlow s = serverFlow()) {
            byte[] wire = c.send("hello").expectVerdict(Verdict.DELIVER).output();
            assertArrayEquals(new byte[] { 'h' ^ 0x10, 'e' ^ 0x10, 'l' ^ 0x10, 'l' ^ 0x10, 'o' ^ 0x10 }, wire);
            assertEquals(5, c.applicationSent());
            s.recv(wire).expectOutput("hello");
            c.recv(s.send("world").output()).expectOutput("world"); // the other direction too
        }
    }

    @Test
    void theKeyContinuesAcrossChunksSoEverySplitGivesTheSameWire() {
        tester.configure("key", "a5c31f");
        byte[] data = new Random(1).ints(97, 0, 256).collect(ByteArrayOutputStream::new,
                ByteArrayOutputStream::write, (a, b) -> a.writeBytes(b.toByteArray())).toByteArray();
        byte[] expected = xor(data, new byte[] { (byte) 0xa5, (byte) 0xc3, 0x1f }, 0);
        for (int cut = 0; cut <= data.length; cut++) {
            for (int segment = 0; segment <= cut; segment += 7) {
                try (TestFlow c = clientFlow()) {
                    c.send(Arrays.copyOfRange(data, 0, cut), segment); // a chunk in two segments
                    c.send(Arrays.copyOfRange(data, cut, data.length));
                    assertArrayEquals(expected, c.wire(), "cut at " + cut + ", segment " + segment);
                    c.recv(c.wire(), cut); // what comes back is decoded with the receive direction's own position
                    assertArrayEquals(data, c.app(), "cut at " + cut);
                }
            }
        }
    }

    @Test
    void aDatagramStartsAtTheKeysFirstByteSoALostOneShiftsNothing() {
        tester.configure("key", "0102");
        try (TestFlow c = tester.flow(FlowSpec.udp().from("127.0.0.1", 50000).to("127.0.0.1", 65432))) {
            c.send("a").expectOutput(new byte[] { 'a' ^ 1 });
            c.send("bcd").expectOutput(new byte[] { 'b' ^ 1, 'c' ^ 2, 'd' ^ 1 });
            c.recv(xor(ascii("xyz"), new byte[] { 1, 2 }, 0)).expectOutput("xyz");
        }
    }

    @Test
    void manyFlowsInterleavedEachKeepTheirOwnKeyPositions() {
        Random random = new Random(65432);
        List<TestFlow> clients = new ArrayList<>();
        List<TestFlow> servers = new ArrayList<>();
        List<ByteArrayOutputStream> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clients.add(clientFlow());
            servers.add(serverFlow());
            sent.add(new ByteArrayOutputStream());
        }
        for (int step = 0; step < 5000; step++) {
            int i = random.nextInt(clients.size());
            byte[] data = new byte[random.nextInt(20)];
            random.nextBytes(data);
            sent.get(i).writeBytes(data);
            servers.get(i).recv(clients.get(i).send(data).output());
        }
        for (int i = 0; i < clients.size(); i++) {
            assertArrayEquals(sent.get(i).toByteArray(), servers.get(i).app(), "flow " + i);
            clients.get(i).close();
            servers.get(i).close();
        }
    }

    @Test
    void flowsOnSeveralThreadsAtOnceDoNotDisturbEachOther() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                long seed = t;
                results.add(pool.submit(() -> roundTrip(new Random(seed), 200_000)));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLargeStreamInRandomChunksComesThroughIntact() {
        assertTrue(roundTrip(new Random(7), 16 << 20));
    }

    private boolean roundTrip(Random random, int size) {
        try (TestFlow c = clientFlow(); TestFlow s = serverFlow()) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            for (int at = 0; at < size;) {
                int n = Math.min(size - at, 1 + random.nextInt(65536));
                s.recv(c.send(Arrays.copyOfRange(data, at, at + n)).output());
                at += n;
            }
            assertArrayEquals(xor(data, new byte[] { 0x10 }, 0), c.wire());
            assertArrayEquals(data, s.app());
            return true;
        }
    }

    @Test
    void theEndOfTheStreamNeedsNothingMore() {
        try (TestFlow c = clientFlow()) {
            c.send("last");
            c.endSend().expectOutput("").expectOutcome(Outcome.ORIGINAL);
        }
    }

    @Test
    void moreThanTheOutputLimitWaitsForTheNextChunkInAStreamAndIsAnErrorInADatagram() {
        byte[] data = new byte[3000];
        new Random(3).nextBytes(data);
        try (ModuleTester limited = pair("10").setting("output.limit", 1024)) {
            try (TestFlow c = limited.flow(CLIENT)) {
                assertEquals(1024, c.send(data).output().length);
                assertEquals(1024, c.send(new byte[0]).output().length);
                assertEquals(952, c.send(new byte[0]).output().length);
                assertArrayEquals(xor(data, new byte[] { 0x10 }, 0), c.wire());
            }
            try (TestFlow c = limited.flow(FlowSpec.udp().from("127.0.0.1", 50000).to("127.0.0.1", 65432))) {
                Step step = c.send(data).expectVerdict(Verdict.ERROR).expectOutcome(Outcome.ABORTED);
                assertTrue(step.abortReason().contains("copy length -90"), step.abortReason());
            }
        }
    }

    @Test
    void openFlowsKeepTheirKeyWhenItChanges() {
        try (TestFlow old = clientFlow()) {
            old.send("a");
            tester.configure("key", "20");
            old.send("b").expectOutput(new byte[] { 'b' ^ 0x10 });
            try (TestFlow fresh = clientFlow()) {
                fresh.send("c").expectOutput(new byte[] { 'c' ^ 0x20 });
            }
        }
    }

    @Test
    void aKeyThatIsNotHexadecimalBytesIsRefusedWithWhatToWrite() {
        for (String bad : new String[] { "", "1", "xyz0", "10 20" }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Xor.parseKey(bad));
            assertTrue(e.getMessage().contains("key=a5c3"), e.getMessage());
        }
        assertArrayEquals(new byte[] { (byte) 0xa5, (byte) 0xc3 }, Xor.parseKey(" A5c3 "));
    }

    private static byte[] xor(byte[] data, byte[] key, int position) {
        byte[] out = data.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= key[(position + i) % key.length];
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }
}
