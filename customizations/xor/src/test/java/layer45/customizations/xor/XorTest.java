package layer45.customizations.xor;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import layer45.runtime.Layer45Runtime;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;
import layer45.runtime.module.ModuleOrigin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The XOR pair between a client and a server application: the wire is scrambled, each application sees its bytes. */
class XorTest {

    private static final String CLIENT = "127.0.0.1:50000";
    private static final String SERVER = "127.0.0.1:65432";

    private Layer45Runtime runtime;
    private InMemoryFlowDriver driver;
    private XorClient client;

    @BeforeEach
    void load() throws Exception {
        runtime = Layer45Runtime.standalone();
        driver = new InMemoryFlowDriver(runtime);
        client = new XorClient();
        client.configure(config("10"));
        XorServer server = new XorServer();
        server.configure(config("10"));
        runtime.load("xor-client", client, Map.of(CustomizationService.REMOTE_PORT, new String[] { "65432" }),
                ModuleOrigin.NONE);
        runtime.load("xor-server", server, Map.of(CustomizationService.LOCAL_PORT, new String[] { "65432" }),
                ModuleOrigin.NONE);
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private DriverFlow clientFlow(Transport transport) {
        return driver.open(InMemoryFlowDriver.flow(transport, "python3", CLIENT, SERVER));
    }

    private DriverFlow serverFlow(Transport transport) {
        return driver.open(InMemoryFlowDriver.flow(transport, "python3", SERVER, CLIENT));
    }

    @Test
    void theWireCarriesTheBytesXoredWithTheKeyAndThePeerSeesTheOriginal() {
        try (DriverFlow c = clientFlow(Transport.TCP); DriverFlow s = serverFlow(Transport.TCP)) {
            byte[] wire = c.send(ascii("hello"));
            assertArrayEquals(new byte[] { 'h' ^ 0x10, 'e' ^ 0x10, 'l' ^ 0x10, 'l' ^ 0x10, 'o' ^ 0x10 }, wire);
            assertEquals(5, c.applicationSent());
            assertEquals("hello", new String(s.recv(wire), US_ASCII));
            assertEquals("world", new String(c.recv(s.send(ascii("world"))), US_ASCII), "the other direction too");
        }
    }

    @Test
    void theKeyContinuesAcrossChunksSoEverySplitGivesTheSameWire() {
        client.configure(config("a5c31f"));
        byte[] data = new Random(1).ints(97, 0, 256).collect(ByteArrayOutputStream::new,
                ByteArrayOutputStream::write, (a, b) -> a.writeBytes(b.toByteArray())).toByteArray();
        byte[] expected = xor(data, new byte[] { (byte) 0xa5, (byte) 0xc3, 0x1f }, 0);
        for (int cut = 0; cut <= data.length; cut++) {
            for (int segment = 0; segment <= cut; segment += 7) {
                try (DriverFlow c = clientFlow(Transport.TCP)) {
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
        client.configure(config("0102"));
        try (DriverFlow c = clientFlow(Transport.UDP)) {
            assertArrayEquals(new byte[] { 'a' ^ 1 }, c.send(ascii("a")));
            assertArrayEquals(new byte[] { 'b' ^ 1, 'c' ^ 2, 'd' ^ 1 }, c.send(ascii("bcd")));
            assertEquals("xyz", new String(c.recv(xor(ascii("xyz"), new byte[] { 1, 2 }, 0)), US_ASCII));
        }
    }

    @Test
    void manyFlowsInterleavedEachKeepTheirOwnKeyPositions() {
        Random random = new Random(65432);
        List<DriverFlow> clients = new ArrayList<>();
        List<DriverFlow> servers = new ArrayList<>();
        List<ByteArrayOutputStream> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clients.add(clientFlow(Transport.TCP));
            servers.add(serverFlow(Transport.TCP));
            sent.add(new ByteArrayOutputStream());
        }
        for (int step = 0; step < 5000; step++) {
            int i = random.nextInt(clients.size());
            byte[] data = new byte[random.nextInt(20)];
            random.nextBytes(data);
            sent.get(i).writeBytes(data);
            servers.get(i).recv(clients.get(i).send(data));
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
        try (DriverFlow c = clientFlow(Transport.TCP); DriverFlow s = serverFlow(Transport.TCP)) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            for (int at = 0; at < size;) {
                int n = Math.min(size - at, 1 + random.nextInt(65536));
                s.recv(c.send(Arrays.copyOfRange(data, at, at + n)));
                at += n;
            }
            assertArrayEquals(xor(data, new byte[] { 0x10 }, 0), c.wire());
            assertArrayEquals(data, s.app());
            return true;
        }
    }

    @Test
    void theEndOfTheStreamNeedsNothingMore() {
        try (DriverFlow c = clientFlow(Transport.TCP)) {
            c.send(ascii("last"));
            assertEquals(0, c.endOfStream(Direction.SEND).length);
            assertEquals(Outcome.ORIGINAL, c.lastOutcome());
        }
    }

    @Test
    void moreThanTheOutputLimitWaitsForTheNextChunkInAStreamAndIsAnErrorInADatagram() {
        runtime.updateSettings(withOutputLimit(1024));
        byte[] data = new byte[3000];
        new Random(3).nextBytes(data);
        try (DriverFlow c = clientFlow(Transport.TCP)) {
            assertEquals(1024, c.send(data).length);
            assertEquals(1024, c.send(new byte[0]).length);
            assertEquals(952, c.send(new byte[0]).length);
            assertArrayEquals(xor(data, new byte[] { 0x10 }, 0), c.wire());
        }
        try (DriverFlow c = clientFlow(Transport.UDP)) {
            c.send(data);
            assertEquals(Outcome.ABORTED, c.lastOutcome());
            assertTrue(c.lastAbortReason().contains("copy length -90"), c.lastAbortReason());
        }
    }

    @Test
    void openFlowsKeepTheirKeyWhenItChanges() {
        try (DriverFlow old = clientFlow(Transport.TCP)) {
            old.send(ascii("a"));
            client.configure(config("20"));
            assertArrayEquals(new byte[] { 'b' ^ 0x10 }, old.send(ascii("b")));
            try (DriverFlow fresh = clientFlow(Transport.TCP)) {
                assertArrayEquals(new byte[] { 'c' ^ 0x20 }, fresh.send(ascii("c")));
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

    private static RuntimeSettings withOutputLimit(int limit) {
        RuntimeSettings d = RuntimeSettings.DEFAULTS;
        return new RuntimeSettings(d.maxChain(), d.callBudgetMillis(), d.faultBudget(), d.faultWindowMillis(), limit,
                d.holdLimit());
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

    static Xor.Config config(String key) {
        return new Xor.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return Xor.Config.class;
            }

            @Override
            public String key() {
                return key;
            }
        };
    }
}
