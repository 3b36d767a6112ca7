package layer45.runtime.target;

import static layer45.api.CustomizationService.LOCAL_ADDRESS;
import static layer45.api.CustomizationService.LOCAL_PORT;
import static layer45.api.CustomizationService.PROCESS;
import static layer45.api.CustomizationService.PROTOCOL;
import static layer45.api.CustomizationService.REMOTE_ADDRESS;
import static layer45.api.CustomizationService.REMOTE_PORT;
import static layer45.api.CustomizationService.THREAD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.NetworkProtocol;
import layer45.api.ProcessOwner;
import layer45.api.Transport;
import layer45.api.runtime.TargetDTO;

class TargetTest {

    private static final ProcessOwner DIG = new ProcessOwner(101, 100, "isc-net-0000", "dig", 1000);
    private static final ProcessOwner CURL = new ProcessOwner(200, 200, "curl", "curl", 1000);

    @Test
    void noPropertiesIsAny() {
        Target target = Target.parse(Map.of());
        assertEquals(Target.ANY, target);
        assertEquals(Target.ANY.hashCode(), target.hashCode());
        assertTrue(target.isAny());
        assertEquals("any", target.toString());
        assertEquals(EnumSet.allOf(Transport.class), target.transports());
        assertEquals(List.of(NamePattern.ANY), target.processes());
        assertEquals(List.of(NamePattern.ANY), target.threads());
        assertTrue(target.matches(flow(Transport.UDP, "10.0.0.2", 40000, "10.0.0.1", 53, ProcessOwner.UNKNOWN)));
        assertTrue(target.matches(flow(Transport.TCP, "fd00::2", 1, "::ffff:8.8.8.8", 65535, DIG)));
    }

    @Test
    void theAnnotationDefaultsAsDeclarativeServicesWritesThemAreAny() {
        Map<String, Object> properties = Map.of(PROTOCOL, new String[] {"TCP", "UDP"}, PROCESS, new String[] {"*"},
                THREAD, new String[] {"*"}, REMOTE_ADDRESS, new String[0], REMOTE_PORT, new String[0],
                LOCAL_ADDRESS, new String[0], LOCAL_PORT, new String[0]);
        assertEquals(Target.ANY, Target.parse(properties));
    }

    static Stream<Arguments> protocolValues() {
        Set<Transport> tcp = EnumSet.of(Transport.TCP);
        Set<Transport> udp = EnumSet.of(Transport.UDP);
        Set<Transport> both = EnumSet.allOf(Transport.class);
        return Stream.of(
                Arguments.of("tcp", tcp),
                Arguments.of("TCP", tcp),
                Arguments.of("Udp", udp),
                Arguments.of("any", both),
                Arguments.of("ANY", both),
                Arguments.of("tcp,udp", both),
                Arguments.of(" udp , udp ", udp),
                Arguments.of("udp,any", both),
                Arguments.of("", both),
                Arguments.of(new String[] {"TCP"}, tcp),
                Arguments.of(new String[] {"TCP", "UDP"}, both),
                Arguments.of(new String[] {}, both),
                Arguments.of(List.of("udp"), udp),
                Arguments.of(Set.of("tcp", "udp"), both),
                Arguments.of(Transport.UDP, udp),
                Arguments.of(new Transport[] {Transport.TCP}, tcp),
                Arguments.of(List.of(Transport.TCP, Transport.UDP), both),
                Arguments.of(new Object[] {Transport.UDP, "tcp"}, both));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("protocolValues")
    void protocolTakesEveryShapeOfValue(Object value, Set<Transport> expected) {
        assertEquals(expected, Target.parse(Map.of(PROTOCOL, value)).transports());
    }

    static Stream<Arguments> portValues() {
        return Stream.of(
                Arguments.of("53", "53"),
                Arguments.of("53,853", "53,853"),
                Arguments.of(new String[] {"53", "853"}, "53,853"),
                Arguments.of(new String[] {"53,853", "8000-8100"}, "53,853,8000-8100"),
                Arguments.of(List.of("853", "53"), "53,853"),
                Arguments.of(53, "53"),
                Arguments.of(53L, "53"),
                Arguments.of(new int[] {53, 853}, "53,853"),
                Arguments.of(new Integer[] {53}, "53"),
                Arguments.of(List.of(53, "853"), "53,853"),
                Arguments.of("*", "*"),
                Arguments.of("", "*"),
                Arguments.of(new String[] {}, "*"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("portValues")
    void portsTakeEveryShapeOfValue(Object value, String expected) {
        Target target = Target.parse(Map.of(REMOTE_PORT, value, LOCAL_PORT, value));
        assertEquals(expected, target.remotePorts().toString());
        assertEquals(expected, target.localPorts().toString());
    }

    @Test
    void namesAndAddressesTakeListsInEveryShape() {
        Target target = Target.parse(Map.of(PROCESS, "dig, nslookup", THREAD, List.of("isc-*", "*-worker"),
                REMOTE_ADDRESS, new String[] {"10.0.0.0/8, 192.168.0.0/16", "fd00::/8"},
                LOCAL_ADDRESS, "::1"));
        assertEquals(List.of("dig", "nslookup"), target.processes().stream().map(Object::toString).toList());
        assertEquals(List.of("*-worker", "isc-*"), target.threads().stream().map(Object::toString).toList());
        assertEquals(List.of("10.0.0.0/8", "192.168.0.0/16", "fd00::/8"),
                target.remoteAddresses().stream().map(Object::toString).toList());
        assertEquals(List.of("::1"), target.localAddresses().stream().map(Object::toString).toList());
    }

    @Test
    void aStarAbsorbsTheOtherNames() {
        Target target = Target.parse(Map.of(PROCESS, "dig,*", THREAD, new String[] {"isc-*", "*"}));
        assertEquals(List.of(NamePattern.ANY), target.processes());
        assertEquals(List.of(NamePattern.ANY), target.threads());
        assertEquals(Target.ANY, target);
    }

    @Test
    void equalTargetsAreTheOnesWrittenDifferentlyForTheSameFlows() {
        Target a = Target.parse(Map.of(PROTOCOL, "udp", PROCESS, "nslookup,dig", REMOTE_ADDRESS,
                "fd00::/8,10.0.0.0/8", REMOTE_PORT, "853,53"));
        Target b = Target.parse(Map.of(PROTOCOL, new String[] {"UDP"}, PROCESS, new String[] {"dig", "nslookup",
            "dig"}, REMOTE_ADDRESS, List.of("10.0.0.0/8", "FD00::/8", "::ffff:10.0.0.0/104"), REMOTE_PORT,
                new int[] {53, 853, 53}));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.toString(), b.toString());
        assertNotEquals(a, Target.parse(Map.of(PROTOCOL, "udp", PROCESS, "nslookup,dig", REMOTE_ADDRESS,
                "fd00::/8,10.0.0.0/8", REMOTE_PORT, "853")));
    }

    static Stream<Arguments> flows() {
        Map<String, Object> dns = Map.of(PROTOCOL, "udp", PROCESS, "dig", REMOTE_ADDRESS, "10.0.0.0/8",
                REMOTE_PORT, "53");
        Map<String, Object> isc = Map.of(THREAD, "isc-net-*");
        Map<String, Object> web = Map.of(PROTOCOL, "tcp", REMOTE_PORT, "80,443,8000-8100", LOCAL_ADDRESS,
                "fd00::/8, 192.168.0.0/16");
        Map<String, Object> local = Map.of(LOCAL_PORT, "5353", REMOTE_ADDRESS, "::/0");
        return Stream.of(
                Arguments.of(dns, flow(Transport.UDP, "192.168.1.2", 40000, "10.0.0.1", 53, DIG), true),
                Arguments.of(dns, flow(Transport.UDP, "::ffff:192.168.1.2", 40000, "::ffff:10.0.0.1", 53, DIG),
                        true),
                Arguments.of(dns, flow(Transport.TCP, "192.168.1.2", 40000, "10.0.0.1", 53, DIG), false),
                Arguments.of(dns, flow(Transport.UDP, "192.168.1.2", 40000, "11.0.0.1", 53, DIG), false),
                Arguments.of(dns, flow(Transport.UDP, "192.168.1.2", 40000, "10.0.0.1", 853, DIG), false),
                Arguments.of(dns, flow(Transport.UDP, "192.168.1.2", 40000, "10.0.0.1", 53, CURL), false),
                Arguments.of(dns, flow(Transport.UDP, "192.168.1.2", 40000, "10.0.0.1", 53, ProcessOwner.UNKNOWN),
                        false),
                Arguments.of(isc, flow(Transport.UDP, "192.168.1.2", 40000, "10.0.0.1", 53, DIG), true),
                Arguments.of(isc, flow(Transport.TCP, "192.168.1.2", 40000, "10.0.0.1", 53, CURL), false),
                Arguments.of(isc, flow(Transport.UDP, "192.168.1.2", 40000, "10.0.0.1", 53, ProcessOwner.UNKNOWN),
                        false),
                Arguments.of(web, flow(Transport.TCP, "fd00::2", 50000, "2001:db8::1", 443, CURL), true),
                Arguments.of(web, flow(Transport.TCP, "192.168.3.4", 50000, "93.184.216.34", 8100, CURL), true),
                Arguments.of(web, flow(Transport.TCP, "192.168.3.4", 50000, "93.184.216.34", 8101, CURL), false),
                Arguments.of(web, flow(Transport.TCP, "10.1.1.1", 50000, "93.184.216.34", 80, CURL), false),
                Arguments.of(web, flow(Transport.UDP, "fd00::2", 50000, "2001:db8::1", 443, CURL), false),
                Arguments.of(web, flow(Transport.TCP, "fd00::2", 50000, "2001:db8::1", 443, ProcessOwner.UNKNOWN),
                        true),
                Arguments.of(local, flow(Transport.UDP, "fe80::1", 5353, "ff02::fb", 5353, ProcessOwner.UNKNOWN),
                        true),
                Arguments.of(local, flow(Transport.UDP, "10.0.0.1", 5353, "224.0.0.251", 5353, DIG), false),
                Arguments.of(local, flow(Transport.UDP, "fe80::1", 5354, "ff02::fb", 5353, DIG), false));
    }

    @ParameterizedTest(name = "{1} = {2}")
    @MethodSource("flows")
    void matches(Map<String, Object> properties, FlowInfo flow, boolean expected) {
        assertEquals(expected, Target.parse(properties).matches(flow));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            layer45.protocol       | sctp          | layer45.protocol: 'sctp' is not a transport; use 'tcp', 'udp' or 'any'
            layer45.protocol       | tcp,,udp      | layer45.protocol: 'tcp,,udp' has an empty entry; remove the extra comma
            layer45.process        | python3-long-name-x | layer45.process: 'python3-long-name-x' is longer than the 15 characters of a Linux task name and would never match; use 'python3-long-na*' or the truncated name 'python3-long-na'
            layer45.process        | is*c          | layer45.process: 'is*c' has a '*' inside the name
            layer45.thread         | **            | layer45.thread: '**' has no name between its wildcards; use '*' for any name
            layer45.remote.address | localhost     | layer45.remote.address: 'localhost' is not an IP address literal; host names are not resolved
            layer45.remote.address | example.com   | layer45.remote.address: 'example.com' is not an IP address literal
            layer45.remote.address | 10.1.2.3/8    | layer45.remote.address: '10.1.2.3/8' has host bits set; did you mean '10.0.0.0/8'?
            layer45.local.address  | fd00::/129    | layer45.local.address: 'fd00::/129' has prefix length 129, but an IPv6 prefix length is 0 to 128
            layer45.remote.port    | 70000         | layer45.remote.port: '70000' is not a port (1-65535)
            layer45.remote.port    | 0             | layer45.remote.port: port 0 is not a port a flow can have; leave the property empty or use '*' for any port
            layer45.local.port     | 8100-8000     | layer45.local.port: '8100-8000' is reversed; write '8000-8100'
            """)
    void rejectsNamingThePropertyAndTheValue(String property, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Target.parse(Map.of(property, value)));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void reportsEveryProblemTogether() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(PROTOCOL, "sctp");
        properties.put(PROCESS, new String[] {"dig", "python3-long-name-x"});
        properties.put(THREAD, "ok-*");
        properties.put(REMOTE_ADDRESS, List.of("localhost", "10.1.2.3/8", "10.0.0.0/8"));
        properties.put(REMOTE_PORT, "53,70000");
        properties.put(LOCAL_ADDRESS, 3.5);
        properties.put(LOCAL_PORT, "8100-8000");
        properties.put("layer45.priority", 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Target.parse(properties));
        String message = e.getMessage();
        List<String> expectedInOrder = List.of(
                "layer45.protocol: 'sctp' is not a transport",
                "layer45.process: 'python3-long-name-x' is longer than the 15 characters",
                "layer45.remote.address: 'localhost' is not an IP address literal",
                "layer45.remote.address: '10.1.2.3/8' has host bits set",
                "layer45.remote.port: '70000' is not a port (1-65535)",
                "layer45.local.address: a value of type java.lang.Double is not supported; use a String",
                "layer45.local.port: '8100-8000' is reversed; write '8000-8100'");
        int from = 0;
        for (String part : expectedInOrder) {
            int at = message.indexOf(part, from);
            assertTrue(at >= from, "missing or out of order: " + part + " in " + message);
            assertTrue(at == 0 || message.startsWith("; ", at - 2), "not separated by '; ': " + part);
            from = at + part.length();
        }
        assertEquals(expectedInOrder.size(), message.split("; layer45\\.").length, message);
        assertFalse(message.contains("layer45.thread"), message);
        assertFalse(message.contains("priority"), message);
    }

    @Test
    void rejectsUnsupportedAndNullEntries() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Target.parse(Map.of(PROCESS, new String[] {"dig", null}, REMOTE_PORT, List.of(true))));
        assertEquals("layer45.process: a list entry is null; remove it; layer45.remote.port: a value of type"
                + " java.lang.Boolean is not supported; use a String, a String[] or a Collection of Strings",
                e.getMessage());
    }

    @Test
    void toDtoHoldsTheCanonicalStrings() {
        Target target = Target.parse(Map.of(PROTOCOL, new String[] {"UDP"}, PROCESS, "dig", THREAD, "isc-*",
                REMOTE_ADDRESS, "10.0.0.0/8, FD00:0::/8, ::ffff:192.168.0.0/112", REMOTE_PORT, "853,53",
                LOCAL_PORT, "8000-8100,8050-8200"));
        TargetDTO dto = target.toDTO();
        assertArrayEquals(new String[] {"udp"}, dto.protocol);
        assertArrayEquals(new String[] {"dig"}, dto.process);
        assertArrayEquals(new String[] {"isc-*"}, dto.thread);
        assertArrayEquals(new String[] {"10.0.0.0/8", "192.168.0.0/16", "fd00::/8"}, dto.remoteAddress);
        assertArrayEquals(new String[] {"53", "853"}, dto.remotePort);
        assertArrayEquals(new String[] {}, dto.localAddress);
        assertArrayEquals(new String[] {"8000-8200"}, dto.localPort);
        assertEquals(target, Target.parse(properties(dto)));
    }

    @Test
    void toDtoOfAnyWritesTheAnnotationDefaults() {
        TargetDTO dto = Target.ANY.toDTO();
        assertArrayEquals(new String[] {"tcp", "udp"}, dto.protocol);
        assertArrayEquals(new String[] {"*"}, dto.process);
        assertArrayEquals(new String[] {"*"}, dto.thread);
        assertArrayEquals(new String[] {}, dto.remoteAddress);
        assertArrayEquals(new String[] {}, dto.remotePort);
        assertArrayEquals(new String[] {}, dto.localAddress);
        assertArrayEquals(new String[] {}, dto.localPort);
        assertEquals(Target.ANY, Target.parse(properties(dto)));
    }

    static Stream<Arguments> descriptions() {
        return Stream.of(
                Arguments.of(Map.of(), "any"),
                Arguments.of(Map.of(PROTOCOL, "tcp,udp", PROCESS, "*"), "any"),
                Arguments.of(Map.of(PROTOCOL, "udp", PROCESS, "dig", REMOTE_ADDRESS, "10.0.0.0/8", REMOTE_PORT, "53"),
                        "udp process=dig remote=10.0.0.0/8:53"),
                Arguments.of(Map.of(PROTOCOL, "TCP"), "tcp"),
                Arguments.of(Map.of(THREAD, "isc-net-*"), "thread=isc-net-*"),
                Arguments.of(Map.of(PROCESS, "dig,nslookup", THREAD, "isc-*"), "process=dig,nslookup thread=isc-*"),
                Arguments.of(Map.of(REMOTE_PORT, "53,853"), "remote=*:53,853"),
                Arguments.of(Map.of(REMOTE_ADDRESS, "fd00::/8"), "remote=fd00::/8"),
                Arguments.of(Map.of(REMOTE_ADDRESS, "fd00::/8,10.0.0.0/8", REMOTE_PORT, "53"),
                        "remote=10.0.0.0/8,[fd00::/8]:53"),
                Arguments.of(Map.of(LOCAL_ADDRESS, "::1", LOCAL_PORT, "8000-8100"), "local=[::1]:8000-8100"),
                Arguments.of(Map.of(PROTOCOL, "udp", REMOTE_PORT, "53", LOCAL_PORT, "5353"),
                        "udp remote=*:53 local=*:5353"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("descriptions")
    void describesItselfOnOneLine(Map<String, Object> properties, String expected) {
        assertEquals(expected, Target.parse(properties).toString());
    }

    @Test
    void theCanonicalConstructorTreatsEmptyAsAny() {
        Target target = new Target(Set.of(), List.of(), List.of(), List.of(), PortSet.ANY, List.of(), PortSet.ANY);
        assertEquals(Target.ANY, target);
        assertThrows(UnsupportedOperationException.class, () -> target.transports().add(Transport.TCP));
        assertThrows(UnsupportedOperationException.class, () -> target.processes().add(NamePattern.ANY));
    }

    private static Map<String, Object> properties(TargetDTO dto) {
        return Map.of(PROTOCOL, dto.protocol, PROCESS, dto.process, THREAD, dto.thread, REMOTE_ADDRESS,
                dto.remoteAddress, REMOTE_PORT, dto.remotePort, LOCAL_ADDRESS, dto.localAddress, LOCAL_PORT,
                dto.localPort);
    }

    static FlowInfo flow(Transport transport, String localAddress, int localPort, String remoteAddress,
            int remotePort, ProcessOwner owner) {
        InetAddress remote = InetAddress.ofLiteral(remoteAddress);
        return new FlowInfo(transport, NetworkProtocol.of(remote),
                new InetSocketAddress(InetAddress.ofLiteral(localAddress), localPort),
                new InetSocketAddress(remote, remotePort), Initiator.LOCAL, owner);
    }
}
