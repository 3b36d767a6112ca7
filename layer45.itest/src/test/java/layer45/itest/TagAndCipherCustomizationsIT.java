package layer45.itest;

import static layer45.itest.Bytes.ascii;
import static layer45.itest.Bytes.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import layer45.api.Transport;
import layer45.api.runtime.ModuleDTO;
import layer45.api.runtime.RefusalDTO;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Proves that each example customization bundle besides echo-tag resolves, registers its pair with the default
 * targets its README names, and works through the real runtime in a real framework; and that aes-gcm without a key
 * is refused rather than passing plaintext.
 */
class TagAndCipherCustomizationsIT {

    private static final String KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    private OsgiFixture osgi;

    @AfterEach
    void shutdown() {
        if (osgi != null) {
            osgi.close();
        }
    }

    /** Boots a framework with only {@code bundle} of the customizations, and waits for its two modules. */
    private InMemoryFlowDriver boot(String bundle, String client, String server) throws Exception {
        osgi = OsgiFixture.startWithoutModules(Map.of());
        osgi.installAndStart(OsgiFixture.bundleDirectory().resolve(bundle + ".jar"));
        osgi.awaitLive(client, server);
        return osgi.driver();
    }

    private void assertTarget(String module, String protocols, String remotePort, String localPort) {
        ModuleDTO dto = osgi.runtime().module(module);
        assertEquals(protocols, String.join(",", dto.target.protocol).toLowerCase(), module);
        assertEquals(remotePort, String.join(",", dto.target.remotePort), module);
        assertEquals(localPort, String.join(",", dto.target.localPort), module);
    }

    private static DriverFlow open(InMemoryFlowDriver driver, String local, String remote) {
        return driver.open(InMemoryFlowDriver.flow(Transport.TCP, "python3", local, remote));
    }

    @Test
    void xorScramblesTheWireAndBothApplicationsSeeTheirBytes() throws Exception {
        InMemoryFlowDriver driver = boot("xor", "xor-client", "xor-server");
        assertTarget("xor-client", "tcp,udp", "65432", "");
        assertTarget("xor-server", "tcp,udp", "", "65432");
        try (DriverFlow client = open(driver, "127.0.0.1:50000", "127.0.0.1:65432");
                DriverFlow server = open(driver, "127.0.0.1:65432", "127.0.0.1:50000")) {
            byte[] wire = client.send(ascii("hello"));
            assertEquals('h' ^ 0x10, wire[0]);
            assertEquals("hello", text(server.recv(wire)));
        }
    }

    @Test
    void bulkTagTagsTheServersStreamAndTheClientStripsIt() throws Exception {
        InMemoryFlowDriver driver = boot("bulk-tag", "bulk-tag-client", "bulk-tag-server");
        assertTarget("bulk-tag-client", "tcp", "8000", "");
        assertTarget("bulk-tag-server", "tcp", "", "8000");
        byte[] file = new byte[5000];
        try (DriverFlow server = open(driver, "127.0.0.1:8000", "127.0.0.1:50000");
                DriverFlow client = open(driver, "127.0.0.1:50000", "127.0.0.1:8000")) {
            byte[] wire = server.send(file);
            assertEquals(5000 + 5 * 32, wire.length);
            assertArrayEquals(file, client.recv(wire));
        }
    }

    @Test
    void tlsTagLoadsWithItsPrivateCopyOfTheTaggingCode() throws Exception {
        InMemoryFlowDriver driver = boot("tls-tag", "tls-tag-client", "tls-tag-server");
        assertTarget("tls-tag-client", "tcp", "443", "");
        assertTarget("tls-tag-server", "tcp", "", "443");
        byte[] record = new byte[5 + 1500];
        record[0] = 23;
        record[1] = 3;
        record[2] = 3;
        record[3] = (byte) (1500 >> 8);
        record[4] = (byte) 1500;
        try (DriverFlow server = open(driver, "127.0.0.1:443", "127.0.0.1:50000");
                DriverFlow client = open(driver, "127.0.0.1:50000", "127.0.0.1:443")) {
            assertArrayEquals(record, client.recv(server.send(record)));
        }
    }

    @Test
    void aesGcmWithAKeyEncryptsAndWithoutOneIsRefused() throws Exception {
        osgi = OsgiFixture.startWithoutModules(Map.of());
        osgi.installAndStart(OsgiFixture.bundleDirectory().resolve("aes-gcm.jar"));
        RefusalDTO refusal = OsgiFixture.await("aes-gcm-client to be refused without a key", () -> osgi.runtime()
                .refusals().stream().filter(r -> r.name.equals("aes-gcm-client")).findFirst().orElse(null));
        assertTrue(refusal.reason.contains("failed to activate"), refusal.reason);
        assertEquals(List.of(), osgi.runtime().modules().stream().map(m -> m.name).toList());

        osgi.configurationAdmin().getConfiguration("aes-gcm-client", "?").update(new Hashtable<>(Map.of("key", KEY)));
        osgi.configurationAdmin().getConfiguration("aes-gcm-server", "?").update(new Hashtable<>(Map.of("key", KEY)));
        osgi.awaitLive("aes-gcm-client", "aes-gcm-server");
        assertTarget("aes-gcm-client", "tcp", "8000", "");
        assertTarget("aes-gcm-server", "tcp", "", "8000");
        InMemoryFlowDriver driver = osgi.driver();
        try (DriverFlow client = open(driver, "127.0.0.1:50000", "127.0.0.1:8000");
                DriverFlow server = open(driver, "127.0.0.1:8000", "127.0.0.1:50000")) {
            byte[] wire = client.send(ascii("GET / HTTP/1.0\r\n\r\n"));
            assertNotEquals("GET", text(wire).substring(0, 3));
            assertEquals("GET / HTTP/1.0\r\n\r\n", text(server.recv(wire)));
        }
    }
}
