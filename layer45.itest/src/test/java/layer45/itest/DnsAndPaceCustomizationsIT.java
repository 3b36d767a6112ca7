package layer45.itest;

import static layer45.itest.Bytes.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import layer45.api.Transport;
import layer45.api.runtime.ModuleDTO;
import layer45.api.spi.Outcome;
import layer45.customizations.dnstag.DnsTag;
import layer45.runtime.driver.DriverFlow;
import layer45.runtime.driver.InMemoryFlowDriver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

/**
 * The dns-tag, dns-priority and pace bundles in a real framework, as an operator loads them: every module comes up
 * LIVE on the target and priority its README promises (four modules from one bundle included), dig's queries are
 * tagged on the wire and reach dnsmasq untagged, and pace waits without ever tripping the call watchdog.
 */
class DnsAndPaceCustomizationsIT {

    private static final List<String> MODULES = List.of("dns-tag-client", "dns-tag-server",
            "dns-client-high-priority", "dns-client-low-priority", "dns-server-high-priority",
            "dns-server-low-priority", "pace");
    /** What {@code dig www.example.com} sends. */
    private static final byte[] QUERY = HexFormat.of().parseHex(
            "123401000001000000000000" + "03777777076578616d706c6503636f6d00" + "00010001");
    private static final String DIG = "10.0.0.40:40000";
    private static final String DNSMASQ = "10.0.0.20:53";

    private OsgiFixture osgi;
    private InMemoryFlowDriver driver;

    @BeforeEach
    void boot() throws Exception {
        // A small call budget: pace must cut its waits to a quarter of it, read from the runtime service.
        osgi = OsgiFixture.startWithoutModules(Map.of("layer45.call.budget.ms", "200"));
        for (String bundle : List.of("dns-tag", "dns-priority", "pace")) {
            osgi.installAndStart(OsgiFixture.bundleDirectory().resolve(bundle + ".jar"));
        }
        osgi.awaitLive(MODULES.toArray(String[]::new));
        driver = osgi.driver();
    }

    @AfterEach
    void shutdown() {
        if (osgi != null) {
            osgi.close();
        }
    }

    private ModuleDTO module(String name) {
        return osgi.runtime().module(name);
    }

    @Test
    void everyModuleIsLiveOnItsDocumentedTargetAndPriority() {
        assertEquals(List.of(), osgi.runtime().refusals());
        assertTarget("dns-tag-client", List.of("tcp", "udp"), "dig", List.of("53"), List.of(), 1000);
        assertTarget("dns-tag-server", List.of("tcp", "udp"), "dnsmasq", List.of(), List.of("53"), 1000);
        assertTarget("dns-client-high-priority", List.of("udp"), "dig", List.of("53"), List.of(), 100);
        assertTarget("dns-client-low-priority", List.of("udp"), "dig", List.of("53"), List.of(), 200);
        assertTarget("dns-server-high-priority", List.of("udp"), "dnsmasq", List.of(), List.of("53"), 100);
        assertTarget("dns-server-low-priority", List.of("udp"), "dnsmasq", List.of(), List.of("53"), 200);
        assertTarget("pace", List.of("tcp"), "*", List.of(), List.of("8080"), 1000);
        long bundle = module("dns-client-high-priority").bundleId;
        assertEquals(4, osgi.runtime().modules().stream().filter(m -> m.bundleId == bundle).count(),
                "one bundle, four modules");
    }

    private void assertTarget(String name, List<String> protocols, String process, List<String> remotePorts,
            List<String> localPorts, int priority) {
        ModuleDTO m = module(name);
        assertEquals(protocols, Arrays.stream(m.target.protocol).map(String::toLowerCase).sorted().toList(), name);
        assertEquals(List.of(process), List.of(m.target.process), name);
        assertEquals(remotePorts, List.of(m.target.remotePort), name);
        assertEquals(localPorts, List.of(m.target.localPort), name);
        assertEquals(priority, m.priority, name);
    }

    @Test
    void digsUdpQueryLeavesWithTheHighTagAndReachesDnsmasqUntagged() {
        try (DriverFlow dig = driver.open(InMemoryFlowDriver.flow(Transport.UDP, "dig", DIG, DNSMASQ));
                DriverFlow dnsmasq = driver.open(InMemoryFlowDriver.flow(Transport.UDP, "dnsmasq", DNSMASQ, DIG))) {
            byte[] wire = dig.send(QUERY);
            assertEquals("HIGHdig", DnsTag.parse(ByteBuffer.wrap(wire)).orElseThrow().applicationId(),
                    "the priority clients (100, 200) run before dns-tag-client (1000)");
            assertArrayEquals(QUERY, dnsmasq.recv(wire));
            assertEquals(0, dnsmasq.recv(QUERY).length, "dns-tag-server, last in the chain, drops untagged queries");
        }
        assertEquals(1, module("dns-server-high-priority").recv.customized);
        assertEquals(1, module("dns-tag-server").recv.dropped);
    }

    @Test
    void digsTcpQueryIsTaggedInsideTheStreamByDnsTag() {
        byte[] stream = ByteBuffer.allocate(2 + QUERY.length).putShort((short) QUERY.length).put(QUERY).array();
        try (DriverFlow dig = driver.open(InMemoryFlowDriver.flow(Transport.TCP, "dig", DIG, DNSMASQ));
                DriverFlow dnsmasq = driver.open(InMemoryFlowDriver.flow(Transport.TCP, "dnsmasq", DNSMASQ, DIG))) {
            byte[] wire = dig.send(stream);
            assertEquals(QUERY.length + DnsTag.LENGTH, (wire[0] & 0xff) << 8 | wire[1] & 0xff);
            assertEquals("dig", DnsTag.parse(ByteBuffer.wrap(wire).position(2)).orElseThrow().applicationId());
            assertArrayEquals(stream, dnsmasq.recv(wire));
        }
    }

    @Test
    void paceCutsALongDelayToAQuarterOfTheCallBudgetSoTheWatchdogNeverFires() {
        osgi.runtime().setParameters("pace", Map.of("delay.ms", "1000"));
        OsgiFixture.await("pace to take delay.ms=1000", () -> osgi.services("(component.name=pace)").stream()
                .map((ServiceReference<?> r) -> String.valueOf(r.getProperty("delay.ms"))).anyMatch("1000"::equals));
        byte[] response = ascii("HTTP/1.0 200 OK\r\n\r\nhello");
        try (DriverFlow web = driver.open(
                InMemoryFlowDriver.flow(Transport.TCP, "python3", "127.0.0.1:8080", "127.0.0.1:50000"))) {
            for (int i = 0; i < 3; i++) { // each waits 50 ms, not 1000: far under the 200 ms budget
                assertArrayEquals(response, web.send(response));
                assertEquals(Outcome.ORIGINAL, web.lastOutcome());
            }
        }
        assertEquals(0, module("pace").send.faults);
        assertEquals(3, module("pace").send.passed);
    }
}
