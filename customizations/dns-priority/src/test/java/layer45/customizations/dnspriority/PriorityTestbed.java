package layer45.customizations.dnspriority;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.Arrays;
import java.util.Map;

import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Transport;
import layer45.customizations.dnstag.Testbed;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.driver.DriverFlow;
import layer45.testing.ComponentConfig;

/**
 * A standalone runtime holding both ends: the priority modules load on their default targets and priorities (as their
 * annotations declare them), dig's flows run through the clients and dnsmasq's through the servers.
 */
final class PriorityTestbed implements AutoCloseable {

    static final String HIGH_CLIENT = "dns-client-high-priority";
    static final String LOW_CLIENT = "dns-client-low-priority";
    static final String HIGH_SERVER = "dns-server-high-priority";
    static final String LOW_SERVER = "dns-server-low-priority";

    /** What {@code dig www.example.com} sends. */
    static final byte[] QUERY = Testbed.query(0x1234, "www.example.com");

    private final Testbed dns = new Testbed();
    final Layer45Runtime runtime = dns.runtime;
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
        dns.withServer(); // priority 1000: after both
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
        dns.load(name, module, properties);
    }

    /** @return a new dig process's flow (each dig is a new process and socket) */
    DriverFlow dig(Transport transport) {
        return dns.dig(transport);
    }

    /** @return dnsmasq's flow with dig */
    DriverFlow dnsmasq(Transport transport) {
        return dns.dnsmasq(transport);
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
        dns.close();
    }
}
