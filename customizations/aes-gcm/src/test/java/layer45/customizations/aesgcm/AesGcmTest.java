package layer45.customizations.aesgcm;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

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
import org.junit.jupiter.api.io.TempDir;

/** A client and a server application, each behind its AES-GCM module, over TCP and UDP. */
class AesGcmTest {

    static final String KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String CLIENT = "127.0.0.1:50000";
    private static final String SERVER = "127.0.0.1:8000";

    private Layer45Runtime runtime;
    private InMemoryFlowDriver driver;
    private AesGcmClient client;
    private AesGcmServer server;

    @BeforeEach
    void load() throws Exception {
        runtime = Layer45Runtime.standalone();
        driver = new InMemoryFlowDriver(runtime);
        client = new AesGcmClient();
        server = new AesGcmServer();
        client.configure(config(KEY, "", 16384));
        server.configure(config(KEY, "", 16384));
        runtime.load("aes-gcm-client", client, Map.of(CustomizationService.REMOTE_PORT, new String[] { "8000" }),
                ModuleOrigin.NONE);
        runtime.load("aes-gcm-server", server, Map.of(CustomizationService.LOCAL_PORT, new String[] { "8000" }),
                ModuleOrigin.NONE);
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    private DriverFlow clientFlow(Transport transport) {
        return driver.open(InMemoryFlowDriver.flow(transport, "curl", CLIENT, SERVER));
    }

    private DriverFlow serverFlow(Transport transport) {
        return driver.open(InMemoryFlowDriver.flow(transport, "python3", SERVER, CLIENT));
    }

    // ---------------------------------------------------------------------------------------------------------
    // TCP
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void eachApplicationSeesTheOthersBytesWhileTheWireCarriesOnlyCiphertext() {
        try (DriverFlow c = clientFlow(Transport.TCP); DriverFlow s = serverFlow(Transport.TCP)) {
            byte[] request = "GET /secret.txt HTTP/1.1\r\n\r\n".getBytes(US_ASCII);
            byte[] wire = c.send(request);
            assertEquals(WireFormat.HEADER + 2 + request.length + 16, wire.length);
            assertEquals("L45G", new String(wire, 0, 4, US_ASCII));
            assertEquals(-1, indexOf(wire, "secret".getBytes(US_ASCII)), "no plaintext on the wire");
            assertEquals(request.length, c.applicationSent(), "the client sees its own byte count");
            assertArrayEquals(request, s.recv(wire));
            byte[] response = "HTTP/1.0 200 OK\r\n\r\nthe secret".getBytes(US_ASCII);
            assertArrayEquals(response, c.recv(s.send(response)));
        }
    }

    @Test
    void theWireFollowsTheDocumentedFormat() throws Exception {
        try (DriverFlow c = clientFlow(Transport.TCP)) {
            c.send("first".getBytes(US_ASCII));
            byte[] wire = c.send("second".getBytes(US_ASCII));
            byte[] header = Arrays.copyOf(c.wire(), WireFormat.HEADER);
            // Derive the key and decrypt record 1 independently of the module's classes.
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HexFormat.of().parseHex(KEY), "HmacSHA256"));
            mac.update("layer45 aes-gcm v1 C".getBytes(US_ASCII));
            mac.update(header, 5, 16);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] nonce = new byte[12];
            nonce[11] = 1;
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(mac.doFinal(), "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(new byte[] { 'C', 0, 0, 0, 0, 0, 0, 0, 1 });
            assertEquals(6 + 16, (wire[0] & 0xff) << 8 | wire[1] & 0xff);
            assertEquals("second", new String(cipher.doFinal(wire, 2, wire.length - 2), US_ASCII));
        }
    }

    @Test
    void recordsCutAtEveryOffsetAreReassembledAndDecrypted() {
        client.configure(config(KEY, "", 7));
        byte[] data = random(new Random(1), 20);
        byte[] wire;
        try (DriverFlow c = clientFlow(Transport.TCP)) {
            c.send(Arrays.copyOf(data, 9));
            c.send(Arrays.copyOfRange(data, 9, 20));
            wire = c.wire();
        }
        for (int first = 0; first <= wire.length; first++) {
            for (int second = first; second <= wire.length; second++) {
                try (DriverFlow s = serverFlow(Transport.TCP)) {
                    s.recv(Arrays.copyOfRange(wire, 0, first));
                    s.recv(Arrays.copyOfRange(wire, first, second), (second - first) / 3);
                    s.recv(Arrays.copyOfRange(wire, second, wire.length));
                    assertArrayEquals(data, s.app(), "cuts at " + first + " and " + second);
                    assertEquals(0, s.lastHeld());
                    s.endOfStream(Direction.RECV);
                    assertEquals(Outcome.ORIGINAL, s.lastOutcome(), "a clean end");
                }
            }
        }
    }

    @Test
    void aChangedByteAnywhereAbortsTheFlowAndNoTamperedPlaintextIsDelivered() {
        client.configure(config(KEY, "", 10));
        byte[] data = random(new Random(2), 30);
        byte[] wire = sentBy(data);
        for (int at = 0; at < wire.length; at++) {
            byte[] tampered = wire.clone();
            tampered[at] ^= 0x01;
            try (DriverFlow s = serverFlow(Transport.TCP)) {
                s.recv(tampered);
                if (s.lastOutcome() != Outcome.ABORTED) {
                    s.endOfStream(Direction.RECV); // a longer length field waits for bytes that never come
                }
                assertEquals(Outcome.ABORTED, s.lastOutcome(), "byte " + at);
                int record = Math.max(0, (at - WireFormat.HEADER) / (2 + 10 + 16));
                byte[] app = s.app();
                assertTrue(app.length <= 10 * record, "byte " + at + ": only records before it are delivered");
                assertArrayEquals(Arrays.copyOf(data, app.length), app, "byte " + at);
            }
        }
        assertEquals(wire.length, runtime.module("aes-gcm-server").recv.errors);
    }

    @Test
    void recordsSwappedReplayedOrReflectedFailAuthentication() {
        client.configure(config(KEY, "", 10));
        byte[] wire = sentBy(random(new Random(3), 20));
        int r = 2 + 10 + 16;
        byte[] swapped = wire.clone();
        System.arraycopy(wire, WireFormat.HEADER + r, swapped, WireFormat.HEADER, r);
        System.arraycopy(wire, WireFormat.HEADER, swapped, WireFormat.HEADER + r, r);
        byte[] replayed = wire.clone();
        System.arraycopy(wire, WireFormat.HEADER, replayed, WireFormat.HEADER + r, r);
        for (byte[] attack : List.of(swapped, replayed)) {
            try (DriverFlow s = serverFlow(Transport.TCP)) {
                s.recv(attack);
                assertEquals(Outcome.ABORTED, s.lastOutcome());
                assertTrue(s.lastAbortReason().contains("copy length -74"), s.lastAbortReason());
            }
        }
        try (DriverFlow c = clientFlow(Transport.TCP)) {
            c.recv(c.send("mirror".getBytes(US_ASCII))); // the client's own records sent back to it
            assertEquals(Outcome.ABORTED, c.lastOutcome());
        }
    }

    @Test
    void anotherKeyOrAPlaintextPeerAbortsTheFlow() {
        server.configure(config("ff" + KEY.substring(2), "", 16384));
        try (DriverFlow s = serverFlow(Transport.TCP)) {
            s.recv(sentBy("hello".getBytes(US_ASCII)));
            assertEquals(Outcome.ABORTED, s.lastOutcome());
        }
        try (DriverFlow s = serverFlow(Transport.TCP)) {
            s.recv("GET / HTTP/1.1\r\n".getBytes(US_ASCII));
            assertEquals(Outcome.ABORTED, s.lastOutcome());
            assertTrue(s.lastAbortReason().contains("copy length -71"), s.lastAbortReason());
            assertEquals(0, s.app().length);
        }
    }

    @Test
    void noNonceRepeatsTheSameBytesNeverEncryptTheSame() {
        byte[] data = new byte[64];
        byte[] first;
        byte[] second;
        try (DriverFlow c = clientFlow(Transport.TCP)) {
            first = Arrays.copyOfRange(c.send(data), WireFormat.HEADER, WireFormat.HEADER + 82);
            second = c.send(data);
        }
        byte[] otherFlow = Arrays.copyOfRange(sentBy(data), WireFormat.HEADER, WireFormat.HEADER + 82);
        assertFalse(Arrays.equals(first, second), "the next record in the flow");
        assertFalse(Arrays.equals(first, otherFlow), "the first record of another flow (another salt)");
    }

    @Test
    void aStreamThatEndsInsideTheHeaderOrARecordIsAnError() {
        byte[] wire = sentBy(random(new Random(4), 100));
        for (int end : new int[] { 3, WireFormat.HEADER - 1, WireFormat.HEADER + 1, wire.length - 1 }) {
            try (DriverFlow s = serverFlow(Transport.TCP)) {
                s.recv(Arrays.copyOf(wire, end));
                s.endOfStream(Direction.RECV);
                assertEquals(Outcome.ABORTED, s.lastOutcome(), "ends at " + end);
            }
        }
        try (DriverFlow c = clientFlow(Transport.TCP)) {
            c.send(new byte[10]);
            assertEquals(0, c.endOfStream(Direction.SEND).length, "the sender has nothing to finish");
        }
    }

    @Test
    void recordsFitTheOutputLimitAndTheRestFollows() {
        RuntimeSettings d = RuntimeSettings.DEFAULTS;
        runtime.updateSettings(new RuntimeSettings(d.maxChain(), d.callBudgetMillis(), d.faultBudget(),
                d.faultWindowMillis(), 1024, d.holdLimit()));
        byte[] data = random(new Random(5), 3000);
        try (DriverFlow c = clientFlow(Transport.TCP); DriverFlow s = serverFlow(Transport.TCP)) {
            for (int i = 0; i < 5; i++) {
                byte[] wire = c.send(i == 0 ? data : new byte[0]);
                assertTrue(wire.length <= 1024, "within the limit: " + wire.length);
                s.recv(wire);
            }
            assertArrayEquals(data, s.app());
        }
    }

    @Test
    void theRecordSizeBoundsEachRecord() {
        client.configure(config(KEY, "", 100));
        try (DriverFlow c = clientFlow(Transport.TCP)) {
            assertEquals(WireFormat.HEADER + 10 * (2 + 100 + 16), c.send(new byte[1000]).length);
        }
    }

    @Test
    void manyFlowsInterleavedKeepTheirOwnKeysAndRecordNumbers() {
        Random random = new Random(8000);
        List<DriverFlow> clients = new ArrayList<>();
        List<DriverFlow> servers = new ArrayList<>();
        List<ByteArrayOutputStream> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clients.add(clientFlow(Transport.TCP));
            servers.add(serverFlow(Transport.TCP));
            sent.add(new ByteArrayOutputStream());
        }
        for (int step = 0; step < 20_000; step++) {
            int i = random.nextInt(clients.size());
            byte[] data = random(random, random.nextInt(3000));
            sent.get(i).writeBytes(data);
            byte[] wire = clients.get(i).send(data);
            for (int at = 0; at < wire.length;) {
                int n = Math.min(wire.length - at, 1 + random.nextInt(1000));
                servers.get(i).recv(Arrays.copyOfRange(wire, at, at + n));
                at += n;
            }
        }
        for (int i = 0; i < clients.size(); i++) {
            assertArrayEquals(sent.get(i).toByteArray(), servers.get(i).app(), "flow " + i);
            clients.get(i).close();
            servers.get(i).close();
        }
    }

    @Test
    void flowsOnSeveralThreadsAtOnceComeThroughIntact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                long seed = t;
                results.add(pool.submit(() -> transfer(new Random(seed), 2 << 20)));
            }
            for (Future<?> result : results) {
                result.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLargeStreamInRandomChunksComesThroughIntact() {
        transfer(new Random(6), 48 << 20);
    }

    private void transfer(Random random, int size) {
        byte[] data = random(random, size);
        try (DriverFlow c = clientFlow(Transport.TCP); DriverFlow s = serverFlow(Transport.TCP)) {
            for (int at = 0; at < size;) {
                int n = Math.min(size - at, 1 + random.nextInt(65536));
                byte[] wire = c.send(Arrays.copyOfRange(data, at, at + n));
                for (int cut = 0; cut < wire.length;) {
                    int m = Math.min(wire.length - cut, 1 + random.nextInt(65536));
                    s.recv(Arrays.copyOfRange(wire, cut, cut + m));
                    cut += m;
                }
                at += n;
            }
            assertArrayEquals(data, s.app());
            s.endOfStream(Direction.RECV);
            assertEquals(Outcome.ORIGINAL, s.lastOutcome());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // UDP
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void aDatagramIsOneSelfContainedRecord() {
        try (DriverFlow c = clientFlow(Transport.UDP); DriverFlow s = serverFlow(Transport.UDP)) {
            byte[] query = "query".getBytes(US_ASCII);
            byte[] datagram = c.send(query);
            assertEquals(WireFormat.HEADER + 8 + query.length + 16, datagram.length);
            assertArrayEquals(query, s.recv(datagram));
            assertArrayEquals("answer".getBytes(US_ASCII), c.recv(s.send("answer".getBytes(US_ASCII))));
        }
    }

    @Test
    void forgedReplayedOrForeignDatagramsAreDroppedAndTheFlowGoesOn() {
        try (DriverFlow c = clientFlow(Transport.UDP); DriverFlow s = serverFlow(Transport.UDP)) {
            byte[] d0 = c.send("zero".getBytes(US_ASCII));
            byte[] d1 = c.send("one".getBytes(US_ASCII));
            byte[] d2 = c.send("two".getBytes(US_ASCII));
            assertArrayEquals("two".getBytes(US_ASCII), s.recv(d2));
            assertArrayEquals("zero".getBytes(US_ASCII), s.recv(d0), "reordered within the window: accepted");
            s.recv(d0);
            assertEquals(Outcome.DROPPED, s.lastOutcome(), "a replay");
            byte[] forged = d1.clone();
            forged[forged.length - 1] ^= 1;
            s.recv(forged);
            assertEquals(Outcome.DROPPED, s.lastOutcome(), "a forgery");
            s.recv("plaintext".getBytes(US_ASCII));
            assertEquals(Outcome.DROPPED, s.lastOutcome(), "not encrypted");
            try (DriverFlow other = clientFlow(Transport.UDP)) {
                s.recv(other.send("another flow's salt".getBytes(US_ASCII)));
                assertEquals(Outcome.DROPPED, s.lastOutcome(), "a recording of another flow");
            }
            assertArrayEquals("one".getBytes(US_ASCII), s.recv(d1), "the flow goes on");
            assertEquals("twozeroone", new String(s.app(), US_ASCII), "each authentic datagram once");
        }
        assertEquals(0, runtime.module("aes-gcm-server").recv.errors);
    }

    @Test
    void aDatagramTooLargeOnceEncryptedIsAnError() {
        try (DriverFlow c = clientFlow(Transport.UDP)) {
            c.send(new byte[65535 - 20]);
            assertEquals(Outcome.ABORTED, c.lastOutcome());
            assertTrue(c.lastAbortReason().contains("copy length -90"), c.lastAbortReason());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Configuration
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void withoutAKeyTheModuleRefusesToActivateAndSaysWhatToSet() {
        AesGcmClient fresh = new AesGcmClient();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fresh.configure(config("", "", 16384)));
        assertTrue(e.getMessage().startsWith("aes-gcm-client: no key"), e.getMessage());
        assertTrue(e.getMessage().contains("key=<64 hex digits> or key.file="), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fresh.configure(config("abc", "", 16384)));
        assertTrue(e.getMessage().contains("not 64 hexadecimal digits"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fresh.configure(config(KEY, "/k", 16384)));
        assertTrue(e.getMessage().contains("set only one"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fresh.configure(config(KEY, "", 0)));
        assertTrue(e.getMessage().contains("record.size=0"), e.getMessage());
    }

    @Test
    void theKeyCanComeFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("aes.key");
        Files.writeString(file, KEY.toUpperCase() + "\n");
        server.configure(config("", file.toString(), 16384));
        try (DriverFlow s = serverFlow(Transport.TCP)) {
            assertArrayEquals("via file".getBytes(US_ASCII), s.recv(sentBy("via file".getBytes(US_ASCII))));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> server.configure(config("", dir.resolve("missing").toString(), 16384)));
        assertTrue(e.getMessage().contains("cannot read key.file"), e.getMessage());
    }

    @Test
    void openFlowsKeepTheirKeyWhenItChanges() {
        try (DriverFlow c = clientFlow(Transport.TCP); DriverFlow s = serverFlow(Transport.TCP)) {
            s.recv(c.send("before".getBytes(US_ASCII)));
            client.configure(config("ab".repeat(32), "", 16384));
            server.configure(config("ab".repeat(32), "", 16384));
            s.recv(c.send(" after".getBytes(US_ASCII)));
            assertEquals("before after", new String(s.app(), US_ASCII));
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** @return what a fresh client flow puts on the wire for {@code data} */
    private byte[] sentBy(byte[] data) {
        try (DriverFlow c = clientFlow(Transport.TCP)) {
            c.send(data);
            return c.wire();
        }
    }

    private static byte[] random(Random random, int length) {
        byte[] data = new byte[length];
        random.nextBytes(data);
        return data;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    static AesGcm.Config config(String key, String keyFile, int recordSize) {
        return new AesGcm.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return AesGcm.Config.class;
            }

            @Override
            public String key() {
                return key;
            }

            @Override
            public String key_file() {
                return keyFile;
            }

            @Override
            public int record_size() {
                return recordSize;
            }
        };
    }
}
