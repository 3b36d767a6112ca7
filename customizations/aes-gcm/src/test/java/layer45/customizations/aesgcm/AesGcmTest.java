package layer45.customizations.aesgcm;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
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
import org.junit.jupiter.api.io.TempDir;

/** A client and a server application, each behind its AES-GCM module, over TCP and UDP. */
class AesGcmTest {

    static final String KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String CLIENT = "aes-gcm-client";
    private static final String SERVER = "aes-gcm-server";

    private ModuleTester tester;

    /**
     * The client (tested) and the server, both with the key, on their default targets (port 8000) widened by an
     * operator's {@code layer45.protocol=any} to UDP too, which the modules encrypt as well.
     */
    @BeforeEach
    void load() {
        tester = ModuleTester.activate(AesGcmClient.class, "key", KEY, CustomizationService.PROTOCOL, "any")
                .with(AesGcmServer.class, "key", KEY, CustomizationService.PROTOCOL, "any");
    }

    @AfterEach
    void close() {
        tester.close();
    }

    /** @return curl's connection to the server, as the client's host sees it */
    private TestFlow clientFlow(Transport transport) {
        FlowSpec flow = transport == Transport.UDP ? FlowSpec.udp() : FlowSpec.tcp();
        return tester.flow(flow.from("127.0.0.1", 50000).to("127.0.0.1", 8000).process("curl"));
    }

    /** @return the same connection as the server's host sees it */
    private TestFlow serverFlow(Transport transport) {
        FlowSpec flow = transport == Transport.UDP ? FlowSpec.udp() : FlowSpec.tcp();
        return tester.flow(flow.local("127.0.0.1", 8000).remote("127.0.0.1", 50000).openedByPeer().process("python3"));
    }

    private long serverRecvErrors() {
        return tester.operator().module(SERVER).recv.errors;
    }

    // ---------------------------------------------------------------------------------------------------------
    // TCP
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void eachApplicationSeesTheOthersBytesWhileTheWireCarriesOnlyCiphertext() {
        try (TestFlow c = clientFlow(Transport.TCP); TestFlow s = serverFlow(Transport.TCP)) {
            byte[] request = "GET /secret.txt HTTP/1.1\r\n\r\n".getBytes(US_ASCII);
            byte[] wire = c.send(request).expectVerdict(Verdict.DELIVER).output();
            assertEquals(WireFormat.HEADER + 2 + request.length + 16, wire.length);
            assertEquals("L45G", new String(wire, 0, 4, US_ASCII));
            assertEquals(-1, indexOf(wire, "secret".getBytes(US_ASCII)), "no plaintext on the wire");
            assertEquals(request.length, c.applicationSent(), "the client sees its own byte count");
            s.recv(wire).expectOutput(request);
            byte[] response = "HTTP/1.0 200 OK\r\n\r\nthe secret".getBytes(US_ASCII);
            c.recv(s.send(response).output()).expectOutput(response).expectVerdict(Verdict.DELIVER);
            assertEquals(response.length, c.applicationReceived(), "the client reads the plaintext's byte count");
        }
    }

    @Test
    void theWireFollowsTheDocumentedFormat() throws Exception {
        try (TestFlow c = clientFlow(Transport.TCP)) {
            c.send("first");
            byte[] wire = c.send("second").output();
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
        tester.configure("record.size", 7);
        byte[] data = random(new Random(1), 20);
        byte[] wire;
        try (TestFlow c = clientFlow(Transport.TCP)) {
            c.send(Arrays.copyOf(data, 9));
            c.send(Arrays.copyOfRange(data, 9, 20));
            wire = c.wire();
        }
        for (int first = 0; first <= wire.length; first++) {
            for (int second = first; second <= wire.length; second++) {
                try (TestFlow s = serverFlow(Transport.TCP)) {
                    s.recv(Arrays.copyOfRange(wire, 0, first));
                    s.recv(Arrays.copyOfRange(wire, first, second), (second - first) / 3); // in two segments
                    s.recv(Arrays.copyOfRange(wire, second, wire.length));
                    assertArrayEquals(data, s.app(), "cuts at " + first + " and " + second);
                    assertEquals(0, s.held(Direction.RECV));
                    assertEquals(Outcome.ORIGINAL, s.endRecv().outcome(), "a clean end");
                }
            }
        }
    }

    @Test
    void aChangedByteAnywhereAbortsTheFlowAndNoTamperedPlaintextIsDelivered() {
        tester.configure("record.size", 10);
        byte[] data = random(new Random(2), 30);
        byte[] wire = sentBy(data);
        for (int at = 0; at < wire.length; at++) {
            byte[] tampered = wire.clone();
            tampered[at] ^= 0x01;
            try (TestFlow s = serverFlow(Transport.TCP)) {
                s.recv(tampered);
                if (!s.aborted()) {
                    s.endRecv(); // a longer length field waits for bytes that never come
                }
                assertTrue(s.aborted(), "byte " + at);
                int record = Math.max(0, (at - WireFormat.HEADER) / (2 + 10 + 16));
                byte[] app = s.app();
                assertTrue(app.length <= 10 * record, "byte " + at + ": only records before it are delivered");
                assertArrayEquals(Arrays.copyOf(data, app.length), app, "byte " + at);
            }
        }
        assertEquals(wire.length, serverRecvErrors());
    }

    @Test
    void recordsSwappedReplayedOrReflectedFailAuthentication() {
        tester.configure("record.size", 10);
        byte[] wire = sentBy(random(new Random(3), 20));
        int r = 2 + 10 + 16;
        byte[] swapped = wire.clone();
        System.arraycopy(wire, WireFormat.HEADER + r, swapped, WireFormat.HEADER, r);
        System.arraycopy(wire, WireFormat.HEADER, swapped, WireFormat.HEADER + r, r);
        byte[] replayed = wire.clone();
        System.arraycopy(wire, WireFormat.HEADER, replayed, WireFormat.HEADER + r, r);
        for (byte[] attack : List.of(swapped, replayed)) {
            try (TestFlow s = serverFlow(Transport.TCP)) {
                Step step = s.recv(attack).expectOutcome(Outcome.ABORTED);
                assertTrue(step.abortReason().contains("copy length -74"), step.abortReason());
            }
        }
        try (TestFlow c = clientFlow(Transport.TCP)) {
            // the client's own records sent back to it
            c.recv(c.send("mirror").output()).expectVerdict(Verdict.ERROR).expectOutcome(Outcome.ABORTED);
        }
    }

    @Test
    void anotherKeyOrAPlaintextPeerAbortsTheFlow() {
        tester.reconfigure(SERVER, "key", "ff" + KEY.substring(2));
        try (TestFlow s = serverFlow(Transport.TCP)) {
            s.recv(sentBy("hello".getBytes(US_ASCII))).expectOutcome(Outcome.ABORTED);
        }
        try (TestFlow s = serverFlow(Transport.TCP)) {
            Step step = s.recv("GET / HTTP/1.1\r\n").expectOutcome(Outcome.ABORTED);
            assertTrue(step.abortReason().contains("copy length -71"), step.abortReason());
            assertEquals(0, s.app().length);
        }
    }

    @Test
    void noNonceRepeatsTheSameBytesNeverEncryptTheSame() {
        byte[] data = new byte[64];
        byte[] first;
        byte[] second;
        try (TestFlow c = clientFlow(Transport.TCP)) {
            first = Arrays.copyOfRange(c.send(data).output(), WireFormat.HEADER, WireFormat.HEADER + 82);
            second = c.send(data).output();
        }
        byte[] otherFlow = Arrays.copyOfRange(sentBy(data), WireFormat.HEADER, WireFormat.HEADER + 82);
        assertFalse(Arrays.equals(first, second), "the next record in the flow");
        assertFalse(Arrays.equals(first, otherFlow), "the first record of another flow (another salt)");
    }

    @Test
    void aStreamThatEndsInsideTheHeaderOrARecordIsAnError() {
        byte[] wire = sentBy(random(new Random(4), 100));
        for (int end : new int[] { 3, WireFormat.HEADER - 1, WireFormat.HEADER + 1, wire.length - 1 }) {
            try (TestFlow s = serverFlow(Transport.TCP)) {
                s.recv(Arrays.copyOf(wire, end));
                assertEquals(Outcome.ABORTED, s.endRecv().outcome(), "ends at " + end);
            }
        }
        try (TestFlow c = clientFlow(Transport.TCP)) {
            c.send(new byte[10]);
            assertEquals(0, c.endSend().output().length, "the sender has nothing to finish");
        }
    }

    @Test
    void recordsFitTheOutputLimitAndTheRestFollows() {
        tester.setting("output.limit", 1024);
        byte[] data = random(new Random(5), 3000);
        try (TestFlow c = clientFlow(Transport.TCP); TestFlow s = serverFlow(Transport.TCP)) {
            for (int i = 0; i < 5; i++) {
                byte[] wire = c.send(i == 0 ? data : new byte[0]).output();
                assertTrue(wire.length <= 1024, "within the limit: " + wire.length);
                s.recv(wire);
            }
            assertArrayEquals(data, s.app());
            assertEquals(data.length, c.applicationSent(), "the client saw its whole write sent at once");
        }
    }

    @Test
    void theRecordSizeBoundsEachRecord() {
        tester.configure("record.size", 100);
        try (TestFlow c = clientFlow(Transport.TCP)) {
            assertEquals(WireFormat.HEADER + 10 * (2 + 100 + 16), c.send(new byte[1000]).output().length);
        }
    }

    @Test
    void manyFlowsInterleavedKeepTheirOwnKeysAndRecordNumbers() {
        Random random = new Random(8000);
        List<TestFlow> clients = new ArrayList<>();
        List<TestFlow> servers = new ArrayList<>();
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
            byte[] wire = clients.get(i).send(data).output();
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

    /** The client writes {@code size} random bytes in random pieces; the network re-cuts each piece's records. */
    private void transfer(Random random, int size) {
        byte[] data = random(random, size);
        try (TestFlow c = clientFlow(Transport.TCP); TestFlow s = serverFlow(Transport.TCP)) {
            for (int at = 0; at < size;) {
                int n = Math.min(size - at, 1 + random.nextInt(65536));
                byte[] wire = c.send(Arrays.copyOfRange(data, at, at + n)).output();
                s.recvAll(wire, ChunkPlan.random(random.nextLong(), 65536)); // in up to 3 segments each
                at += n;
            }
            assertArrayEquals(data, s.app());
            assertEquals(size, c.applicationSent());
            assertEquals(size, s.applicationReceived());
            s.endRecv().expectOutcome(Outcome.ORIGINAL);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // UDP
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void aDatagramIsOneSelfContainedRecord() {
        try (TestFlow c = clientFlow(Transport.UDP); TestFlow s = serverFlow(Transport.UDP)) {
            byte[] query = "query".getBytes(US_ASCII);
            byte[] datagram = c.send(query).output();
            assertEquals(WireFormat.HEADER + 8 + query.length + 16, datagram.length);
            s.recv(datagram).expectOutput(query);
            c.recv(s.send("answer").output()).expectOutput("answer");
        }
    }

    @Test
    void forgedReplayedOrForeignDatagramsAreDroppedAndTheFlowGoesOn() {
        try (TestFlow c = clientFlow(Transport.UDP); TestFlow s = serverFlow(Transport.UDP)) {
            byte[] d0 = c.send("zero").output();
            byte[] d1 = c.send("one").output();
            byte[] d2 = c.send("two").output();
            s.recv(d2).expectOutput("two");
            assertEquals("zero", s.recv(d0).text(), "reordered within the window: accepted");
            assertEquals(Outcome.DROPPED, s.recv(d0).outcome(), "a replay");
            byte[] forged = d1.clone();
            forged[forged.length - 1] ^= 1;
            assertEquals(Outcome.DROPPED, s.recv(forged).outcome(), "a forgery");
            assertEquals(Outcome.DROPPED, s.recv("plaintext").outcome(), "not encrypted");
            try (TestFlow other = clientFlow(Transport.UDP)) {
                assertEquals(Outcome.DROPPED, s.recv(other.send("another flow's salt").output()).outcome(),
                        "a recording of another flow");
            }
            assertEquals("one", s.recv(d1).text(), "the flow goes on");
            assertEquals("twozeroone", s.appText(), "each authentic datagram once");
        }
        assertEquals(0, serverRecvErrors());
    }

    @Test
    void aDatagramTooLargeOnceEncryptedIsAnError() {
        try (TestFlow c = clientFlow(Transport.UDP)) {
            Step step = c.send(new byte[65535 - 20]).expectVerdict(Verdict.ERROR).expectOutcome(Outcome.ABORTED);
            assertTrue(step.abortReason().contains("copy length -90"), step.abortReason());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Configuration
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void withoutAKeyTheModuleRefusesToActivateAndSaysWhatToSet() {
        String message = refusal(AesGcmClient.class);
        assertTrue(message.startsWith("aes-gcm-client: no key"), message);
        assertTrue(message.contains("key=<64 hex digits> or key.file="), message);
        message = refusal(AesGcmClient.class, "key", "abc");
        assertTrue(message.contains("not 64 hexadecimal digits"), message);
        message = refusal(AesGcmClient.class, "key", KEY, "key.file", "/k");
        assertTrue(message.contains("set only one"), message);
        message = refusal(AesGcmClient.class, "key", KEY, "record.size", 0);
        assertTrue(message.contains("record.size=0"), message);
        message = refusal(AesGcmServer.class);
        assertTrue(message.startsWith("aes-gcm-server: no key"), message);
    }

    /** @return why the component refused to activate with this configuration, as DS would log it */
    private static String refusal(Class<? extends AesGcm> type, Object... namesAndValues) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModuleTester.activate(type, namesAndValues).close());
        return e.getCause().getMessage();
    }

    @Test
    void theKeyCanComeFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("aes.key");
        Files.writeString(file, KEY.toUpperCase() + "\n");
        tester.reconfigure(SERVER, "key", "", "key.file", file.toString());
        try (TestFlow s = serverFlow(Transport.TCP)) {
            s.recv(sentBy("via file".getBytes(US_ASCII))).expectOutput("via file");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tester.reconfigure(SERVER, "key", "", "key.file", dir.resolve("missing").toString()));
        assertTrue(e.getCause().getMessage().contains("cannot read key.file"), e.getCause().getMessage());
        try (TestFlow s = serverFlow(Transport.TCP)) {
            s.recv(sentBy("still".getBytes(US_ASCII))).expectOutput("still"); // the refused file changed nothing
        }
    }

    @Test
    void openFlowsKeepTheirKeyWhenItChanges() {
        try (TestFlow c = clientFlow(Transport.TCP); TestFlow s = serverFlow(Transport.TCP)) {
            s.recv(c.send("before").output());
            tester.configure("key", "ab".repeat(32));
            tester.reconfigure(SERVER, "key", "ab".repeat(32));
            s.recv(c.send(" after").output());
            assertEquals("before after", s.appText());
        }
        try (TestFlow c = clientFlow(Transport.TCP); TestFlow s = serverFlow(Transport.TCP)) {
            s.recv(c.send("new flows use the new key").output()).expectOutput("new flows use the new key");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** @return what a fresh client flow puts on the wire for {@code data} */
    private byte[] sentBy(byte[] data) {
        try (TestFlow c = clientFlow(Transport.TCP)) {
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
}
