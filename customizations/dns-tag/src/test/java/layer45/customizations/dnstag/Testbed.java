package layer45.customizations.dnstag;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.util.Map;

import layer45.api.CustomizationService;
import layer45.api.Transport;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;
import layer45.runtime.module.ModuleOrigin;
import layer45.runtime.module.ModuleRefusedException;
import layer45.testing.ComponentConfig;

/**
 * A standalone runtime with the DNS tag modules loaded on their default targets (as their annotations declare them),
 * flows of dig and dnsmasq, and DNS messages to send through them. Shared with dns-priority's tests (test-jar).
 */
public final class Testbed implements AutoCloseable {

    /** dig's end of its flows. */
    public static final String DIG = "10.0.0.40:40000";
    /** dnsmasq's end. */
    public static final String DNSMASQ = "10.0.0.20:53";

    /** The runtime. */
    public final Layer45Runtime runtime = Layer45Runtime.standalone();
    /** Drives flows through it. */
    public final InMemoryFlowDriver driver = new InMemoryFlowDriver(runtime);
    final DnsTagClient client = new DnsTagClient();
    final DnsTagServer server = new DnsTagServer();

    /** @return this, with the client loaded, targeting dig's flows to port 53 */
    public Testbed withClient() {
        load("dns-tag-client", client, Map.of(CustomizationService.PROCESS, new String[] { "dig" },
                CustomizationService.REMOTE_PORT, new String[] { "53" }));
        return this;
    }

    /** @return this, with the server loaded, targeting dnsmasq's flows on port 53 (default priority, 1000) */
    public Testbed withServer() {
        load("dns-tag-server", server, Map.of(CustomizationService.PROCESS, new String[] { "dnsmasq" },
                CustomizationService.LOCAL_PORT, new String[] { "53" }));
        return this;
    }

    /**
     * Loads a module; a refusal fails the test.
     *
     * @param name its name
     * @param module the customization
     * @param properties its target and control properties
     */
    public void load(String name, Object module, Map<String, Object> properties) {
        try {
            runtime.load(name, module, properties, ModuleOrigin.NONE);
        } catch (ModuleRefusedException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /**
     * @param transport UDP or TCP
     * @return a flow of dig to dnsmasq, as the client's host sees it
     */
    public DriverFlow dig(Transport transport) {
        return driver.open(InMemoryFlowDriver.flow(transport, "dig", DIG, DNSMASQ));
    }

    /**
     * @param transport UDP or TCP
     * @return the same exchange as dnsmasq's host sees it
     */
    public DriverFlow dnsmasq(Transport transport) {
        return driver.open(InMemoryFlowDriver.flow(transport, "dnsmasq", DNSMASQ, DIG));
    }

    /**
     * @param id the query id
     * @param name the name asked for, such as {@code www.example.com}
     * @return a DNS query for its A record, with recursion desired
     */
    public static byte[] query(int id, String name) {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        q.writeBytes(new byte[] { (byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 });
        for (String label : name.split("\\.")) {
            q.write(label.length());
            q.writeBytes(label.getBytes(US_ASCII));
        }
        q.writeBytes(new byte[] { 0, 0, 1, 0, 1 });
        return q.toByteArray();
    }

    /** @return the messages as a DNS over TCP stream: each after its length in 2 bytes */
    static byte[] stream(byte[]... messages) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            s.write(m.length >> 8);
            s.write(m.length);
            s.writeBytes(m);
        }
        return s.toByteArray();
    }

    /** @return the tag and the message, as the client puts them on the wire */
    static byte[] tagged(String applicationId, byte[] message) {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.writeBytes(new DnsTag(applicationId).toBytes());
        t.writeBytes(message);
        return t.toByteArray();
    }

    static DnsTagClient.Config applicationId(String id) {
        return ComponentConfig.of(DnsTagClient.Config.class, "application.id", id);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
