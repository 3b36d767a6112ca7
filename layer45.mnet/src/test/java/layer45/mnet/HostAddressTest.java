package layer45.mnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How host identifiers' addresses are written and read back, and the names identifiers may have. */
class HostAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1           | ipv4 | 127.0.0.1 | 0    | 127.0.0.1",
        "127.0.0.1:8080      | ipv4 | 127.0.0.1 | 8080 | 127.0.0.1:8080",
        "ipv4:192.0.2.1      | ipv4 | 192.0.2.1 | 0    | 192.0.2.1",
        "ipv4:192.0.2.1:53   | ipv4 | 192.0.2.1 | 53   | 192.0.2.1:53",
        "::1                 | ipv6 | ::1       | 0    | ::1",
        "[::1]:8080          | ipv6 | ::1       | 8080 | [::1]:8080",
        "ipv6:::1            | ipv6 | ::1       | 0    | ::1",
        "ipv6:[fd00::1]:443  | ipv6 | fd00::1   | 443  | [fd00::1]:443",
        "2001:DB8::A         | ipv6 | 2001:db8::a | 0  | 2001:db8::a",
        "demo:fd4d::2        | demo | fd4d::2   | 0    | demo:fd4d::2",
        "demo:[fd4d::2]:7    | demo | fd4d::2   | 7    | demo:[fd4d::2]:7",
        "cafe:[fd4d::2]      | cafe | fd4d::2   | 0    | cafe:[fd4d::2]",
        "mesh-1.x:fd4d::2    | mesh-1.x | fd4d::2 | 0  | mesh-1.x:fd4d::2",
    })
    void addressesAreReadAndWrittenBack(String text, String protocol, String address, int port, String written) {
        HostAddress parsed = HostAddress.parse(text);
        assertEquals(new HostAddress(protocol, InetAddress.ofLiteral(address), port), parsed);
        assertEquals(written, parsed.toString());
        assertEquals(parsed, HostAddress.parse(written));
    }

    @Test
    void aTextThatReadsAsAnIpv6AddressIsOne() {
        assertEquals(HostAddress.of(InetAddress.ofLiteral("cafe:fd4d::2")), HostAddress.parse("cafe:fd4d::2"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "srv                 | 'srv' is not an address",
        "300.1.2.3           | '300.1.2.3' is not an address",
        "127.0.0.1:0         | '0' in '127.0.0.1:0' is not a port",
        "127.0.0.1:70000     | '70000' in '127.0.0.1:70000' is not a port",
        "[::1                | opens '[' without closing it",
        "[::1]8080           | has '8080' after ']'",
        "ipv4:::1            | ipv4 needs an IPv4 address, not ::1",
        "ipv6:127.0.0.1      | ipv6 needs an address written as IPv6, not 127.0.0.1",
        "demo:10.0.0.1       | demo needs an address written as IPv6",
        "Demo:fd4d::2        | 'Demo' in 'Demo:fd4d::2' is not a network protocol's name",
        "1x:fd4d::2          | '1x' in '1x:fd4d::2' is not a network protocol's name",
        "demo:               | 'demo:' is not an address",
    })
    void malformedAddressesSayWhatIsWrong(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostAddress.parse(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void theFlowsPortIsUsedUnlessTheAddressHasOne() {
        assertEquals(new InetSocketAddress("::1", 8080), HostAddress.parse("::1").socketAddress(8080));
        assertEquals(new InetSocketAddress("::1", 9), HostAddress.parse("[::1]:9").socketAddress(8080));
    }

    @Test
    void identifierNamesAreDnsLabelsInLowerCase() {
        assertEquals("srv", HostIdentifier.checkName("SRV"));
        assertEquals("db-1.lab", HostIdentifier.checkName("db-1.lab"));
        for (String bad : new String[] {"", "-srv", "srv-", "a..b", "srv.", "sr v", "srv_1", "x".repeat(64),
            "a.".repeat(100) + "a"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HostIdentifier.checkName(bad), bad);
            assertTrue(e.getMessage().startsWith("'" + bad + "' is not a host identifier's name"), e.getMessage());
        }
    }
}
