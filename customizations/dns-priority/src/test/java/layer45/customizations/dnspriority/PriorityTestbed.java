package layer45.customizations.dnspriority;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Transport;
import layer45.customizations.dnstag.DnsTagServer;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.module.ModuleOrigin;
import layer45.runtime.module.ModuleRefusedException;
import layer45.runtime.testing.ComponentConfig;
import layer45.runtime.testing.DriverFlow;
import layer45.runtime.testing.InMemoryFlowDriver;

/**
 * A standalone runtime holding both ends: the priority modules load on their default targets and priorities (as their
 * annotations declare them), dig's flows run through the clients and dnsmasq's through the servers.
 */
final class PriorityTestbed implements AutoCloseable {

    static final String HIGH_CLIENT = "dns-client-high-priority";
    static final String LOW_CLIENT = "dns-client-low-priority";
    static final String HIGH_SERVER = "dns-server-high-priority";
    static final String LOW_SERVER = "dns-server-low-priority";
    static final String DIG = "10.0.0.40:40000";
    static final String DNSMASQ = "10.0.0.20:53";

    /** What {@code dig www.example.com} sends: id 0x1234, recursion desired, one question for A. */
    static final byte[] QUERY = HexFormat.of().parseHex("123401000001000000000000" + "03777777076578616d706c6503636f6d00"
            + "00010001");

    final Layer45Runtime runtime = Layer45Runtime.standalone();
    final InMemoryFlowDriver driver = new InMemoryFlowDriver(runtime);
    final HighPriorityClient highClient = new HighPriorityClient();

    PriorityTestbed withClients() {
        load(HIGH_CLIENT, highClient, client(100));
        load(LOW_CLIENT, new LowPriorityClient(), client(200));
        return this;
    }

    PriorityTestbed withServers() {
        load(HIGH_SERVER, new HighPriorityServer(), server(100));
        load(LOW_SERVER, new LowPriorityServer(), server(200));
        return this;
    }

    /** Puts dns-tag's server after the priority servers, to strip other tags and drop untagged queries. */
    PriorityTestbed withDnsTagServerBehind() {
        load("dns-tag-server", new DnsTagServer(), server(300));
        return this;
    }

    private static Map<String, Object> client(int priority) {
        return Map.of(CustomizationService.PROCESS, new String[] { "dig" }, CustomizationService.PROTOCOL,
                new String[] { "udp" }, CustomizationService.REMOTE_PORT, new String[] { "53" },
                CustomizationService.PRIORITY, priority);
    }

    private static Map<String, Object> server(int priority) {
        return Map.of(CustomizationService.PROCESS, new String[] { "dnsmasq" }, CustomizationService.PROTOCOL,
                new String[] { "udp" }, CustomizationService.LOCAL_PORT, new String[] { "53" },
                CustomizationService.PRIORITY, priority);
    }

    void load(String name, Customization module, Map<String, Object> properties) {
        try {
            runtime.load(name, module, properties, ModuleOrigin.NONE);
        } catch (ModuleRefusedException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** @return a new dig process's flow (each dig is a new process and socket) */
    DriverFlow dig(Transport transport) {
        return driver.open(InMemoryFlowDriver.flow(transport, "dig", DIG, DNSMASQ));
    }

    /** @return dnsmasq's flow with dig */
    DriverFlow dnsmasq(Transport transport) {
        return driver.open(InMemoryFlowDriver.flow(transport, "dnsmasq", DNSMASQ, DIG));
    }

    /** @return the query behind {@code tag} padded with NULs to 20 bytes, as a client puts it on the wire */
    static byte[] tagged(String tag) {
        byte[] wire = Arrays.copyOf(tag.getBytes(ISO_8859_1), PriorityTag.LENGTH + QUERY.length);
        System.arraycopy(QUERY, 0, wire, PriorityTag.LENGTH, QUERY.length);
        return wire;
    }

    /** @return the first 20 bytes as text, NULs dropped: the tag a query carries, if any */
    static String tagOf(byte[] wire) {
        return new String(wire, 0, Math.min(PriorityTag.LENGTH, wire.length), ISO_8859_1).replace("\0", "");
    }

    static PriorityClient.Config applicationId(String id) {
        return ComponentConfig.of(PriorityClient.Config.class, "application.id", id);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
