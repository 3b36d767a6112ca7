package layer45.customizations.tlstag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import layer45.api.spi.Outcome;
import layer45.customizations.bulktag.stream.TaggingModule;
import layer45.testing.ModuleTester;
import layer45.testing.TestFlow;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real TLS handshake and exchange with the JDK's SSLEngine: the server's bytes go through tls-tag-server's send
 * chain and tls-tag-client's receive chain, cut at random on the application side and again on the network.
 */
class TlsTagHandshakeTest {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static SSLContext serverContext;
    private static SSLContext clientContext;

    private ModuleTester tester;

    @BeforeAll
    static void certificate(@TempDir Path dir) throws Exception {
        File store = dir.resolve("server.p12").toFile();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.getPath(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool made a certificate");
        KeyStore keys = KeyStore.getInstance(store, PASSWORD);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keyManagers.getKeyManagers(), null, null);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keys.getCertificate("server"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, trustManagers.getTrustManagers(), null);
    }

    /** The receiver in front of curl and the sender in front of the server, on their default targets. */
    @BeforeEach
    void load() {
        tester = ModuleTester.activate(TlsTagClient.class).with(TlsTagServer.class);
    }

    @AfterEach
    void close() {
        tester.close();
    }

    private static TlsEndpoint client(String protocol, byte[] request) throws SSLException {
        SSLEngine engine = clientContext.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(new String[] { protocol });
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // check the certificate as curl would
        engine.setSSLParameters(parameters);
        return new TlsEndpoint(engine, request);
    }

    private static TlsEndpoint server(byte[] response) throws SSLException {
        SSLEngine engine = serverContext.createSSLEngine();
        engine.setUseClientMode(false);
        return new TlsEndpoint(engine, response);
    }

    @ParameterizedTest(name = "{0}, application writes up to {1} bytes, network chunks up to {2}")
    @CsvSource({ "TLSv1.3, 70000, 70000", "TLSv1.3, 1500, 1", "TLSv1.3, 5, 9", "TLSv1.3, 16000, 1200",
            "TLSv1.2, 70000, 70000", "TLSv1.2, 3, 1500", "TLSv1.2, 16000, 7" })
    void aTlsHandshakeAndExchangeWorkThroughTheTags(String protocol, int maxWrite, int maxChunk) throws Exception {
        Random random = new Random(maxWrite * 31L + maxChunk);
        byte[] request = "GET /overhead.iso HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes();
        byte[] response = new byte[300_000];
        random.nextBytes(response);
        TlsEndpoint client = client(protocol, request);
        TlsEndpoint server = server(response);
        try (TestFlow clientFlow = tester.flow(TlsTagRecordsTest.CURL);
                TestFlow serverFlow = tester.flow(TlsTagRecordsTest.SERVER)) {
            Network network = new Network(random, maxWrite, maxChunk);
            for (int round = 0; round < 10_000 && (client.received().length < response.length
                    || server.received().length < request.length); round++) {
                server.consume(network.carry(client.produce(), clientFlow, serverFlow, false));
                client.consume(network.carry(server.produce(), serverFlow, clientFlow, true));
            }
            server.close();
            client.consume(network.carry(server.produce(), serverFlow, clientFlow, true));
            serverFlow.endSend();
            clientFlow.endRecv().expectOutcome(Outcome.ORIGINAL); // nothing was left over at the end

            assertEquals(protocol, client.protocol());
            assertArrayEquals(request, server.received(), "the server read the request");
            assertArrayEquals(response, client.received(), "the client read the whole response");
            assertTrue(client.inboundDone(), "the server's close_notify arrived");
            byte[] wire = serverFlow.wire();
            assertTrue(wire.length > response.length + response.length / 1000 * 32, "tags on the wire");
            assertEquals(TaggingModule.DEFAULT_TAG, new String(wire, 1000, 32), "the first tag after 1000 bytes");
        }
    }

    @Test
    void withoutTheStripperTheTagsBreakTls() throws Exception {
        TlsEndpoint client = client("TLSv1.3", new byte[0]);
        TlsEndpoint server = server(new byte[5000]);
        try (TestFlow serverFlow = tester.flow(TlsTagRecordsTest.SERVER)) {
            assertThrows(SSLException.class, () -> {
                for (int round = 0; round < 100; round++) {
                    server.consume(client.produce());
                    client.consume(serverFlow.send(server.produce()).output());
                }
            });
        }
    }

    /** Carries TLS bytes from one end's send chain to the other's receive chain, cutting them at random. */
    private static final class Network {
        private final Random random;
        private final int maxWrite;
        private final int maxChunk;

        Network(Random random, int maxWrite, int maxChunk) {
            this.random = random;
            this.maxWrite = maxWrite;
            this.maxChunk = maxChunk;
        }

        byte[] carry(byte[] tls, TestFlow from, TestFlow to, boolean recordsWhole) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            for (int at = 0; at < tls.length;) {
                int n = Math.min(tls.length - at, 1 + random.nextInt(maxWrite));
                wire.writeBytes(from.send(Arrays.copyOfRange(tls, at, at + n)).output());
                at += n;
            }
            byte[] bytes = wire.toByteArray();
            ByteArrayOutputStream delivered = new ByteArrayOutputStream();
            for (int at = 0; at < bytes.length;) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(maxChunk));
                byte[] records = to.recv(Arrays.copyOfRange(bytes, at, at + n)).output();
                if (recordsWhole) {
                    assertWholeRecords(records);
                }
                delivered.writeBytes(records);
                at += n;
            }
            return delivered.toByteArray();
        }
    }

    /** Checks that a delivery is a sequence of complete TLS records. */
    static void assertWholeRecords(byte[] records) {
        int at = 0;
        while (at < records.length) {
            assertTrue(records.length - at >= 5, "a whole record header at " + at);
            at += 5 + ((records[at + 3] & 0xff) << 8 | records[at + 4] & 0xff);
        }
        assertEquals(records.length, at, "the delivery ends with a record");
    }
}
