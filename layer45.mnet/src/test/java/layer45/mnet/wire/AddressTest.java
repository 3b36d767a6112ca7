package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // RFC 5952 sections 4.1 to 4.3 and 5
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:DB8::AAAA, 2001:db8::aaaa",
        "0:0:0:0:0:0:0:0, ::",
        "::1, ::1",
        "1::, 1::",
        "fe80::1, fe80::1",
        "ff02:0:0:0:0:0:0:1, ff02::1",
        "::ffff:192.0.2.1, ::ffff:192.0.2.1",
        "0:0:0:0:0:ffff:c000:0201, ::ffff:192.0.2.1",
        "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
        "::1.2.3.4, ::102:304",
    })
    void ipv6TextFormsParseAndPrintAsRfc5952(String text, String canonical) throws Exception {
        Ipv6Address a = Ipv6Address.parse(text);
        assertEquals(canonical, a.toString());
        assertEquals(a, Ipv6Address.parse(canonical));
        // The JDK parses literals independently (and turns mapped addresses into IPv4 ones).
        byte[] jdk = InetAddress.getByName(text).getAddress();
        assertEquals(jdk.length == 16 ? Ipv6Address.of(jdk) : Ipv6Address.ofIpv4Mapped(Ipv4Address.of(jdk).bits()), a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":", ":::", "1:2:3:4:5:6:7:8:9", "12345::", "1::2::3", "g::1", "1:2:3:4:5:6:7",
        "fe80::1%eth0", "::ffff:1.2.3", ":1::", "1:", "1:2:3:4:5:6:7:8::", "1.2.3.4::", "::1.2.3.4:5",
        "1:2:3:4:5:6:7:1.2.3.4"})
    void malformedIpv6IsRejectedWithTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "' is not an IPv6 address"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"192.0.2.1, c0000201", "0.0.0.0, 00000000", "255.255.255.255, ffffffff", "10.0.0.1, 0a000001"})
    void ipv4DottedQuads(String text, String hex) {
        Ipv4Address a = Ipv4Address.parse(text);
        assertEquals(Integer.parseUnsignedInt(hex, 16), a.bits());
        assertEquals(text, a.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.4.",
        ".1.2.3", "1.2.3.1000", "1.2.3.-1"})
    void malformedIpv4IsRejectedWithTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpAddress.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void classification() {
        assertTrue(IpAddress.parse("0.0.0.0").isUnspecified());
        assertTrue(IpAddress.parse("127.1.2.3").isLoopback());
        assertTrue(IpAddress.parse("224.0.0.1").isMulticast());
        assertTrue(IpAddress.parse("239.255.255.255").isMulticast());
        assertFalse(IpAddress.parse("240.0.0.1").isMulticast());
        assertTrue(Ipv4Address.parse("255.255.255.255").isBroadcast());
        assertTrue(Ipv4Address.parse("169.254.1.1").isLinkLocal());
        assertTrue(IpAddress.parse("::").isUnspecified());
        assertTrue(IpAddress.parse("::1").isLoopback());
        assertFalse(IpAddress.parse("::2").isLoopback());
        assertTrue(IpAddress.parse("ff02::1").isMulticast());
        assertTrue(Ipv6Address.parse("fe80::1").isLinkLocal());
        assertTrue(Ipv6Address.parse("febf::1").isLinkLocal());
        assertFalse(Ipv6Address.parse("fec0::1").isLinkLocal());
        assertEquals(4, IpAddress.parse("10.0.0.1").version());
        assertEquals(6, IpAddress.parse("::1").version());
    }

    @Test
    void ipv4MappedAddresses() {
        Ipv6Address mapped = Ipv6Address.ofIpv4Mapped(0xC000_0201);
        assertEquals("::ffff:192.0.2.1", mapped.toString());
        assertTrue(mapped.isIpv4Mapped());
        assertEquals(0xC000_0201, mapped.low32());
        // The JDK would turn a mapped address into an Inet4Address; ours stays IPv6.
        assertInstanceOf(Inet6Address.class, mapped.toInetAddress());
    }

    @Test
    void jdkAddressesRoundTrip() throws Exception {
        for (String text : new String[] {"192.0.2.1", "2001:db8::1", "::", "fe80::1"}) {
            IpAddress a = IpAddress.parse(text);
            assertEquals(a, IpAddress.of(a.toInetAddress()));
            assertEquals(a, IpAddress.of(InetAddress.getByName(text)));
        }
    }

    @Test
    void cidrContainmentAndNetwork() {
        IpCidr c = IpCidr.parse("10.0.0.1/24");
        assertTrue(c.contains(IpAddress.parse("10.0.0.255")));
        assertFalse(c.contains(IpAddress.parse("10.0.1.0")));
        assertFalse(c.contains(IpAddress.parse("::1")));
        assertEquals("10.0.0.0/24", c.network().toString());
        assertTrue(IpCidr.parse("0.0.0.0/0").contains(IpAddress.parse("1.2.3.4")));
        IpCidr v6 = IpCidr.parse("2001:db8::1/64");
        assertTrue(v6.contains(IpAddress.parse("2001:db8::ffff:1")));
        assertFalse(v6.contains(IpAddress.parse("2001:db8:0:1::1")));
        assertEquals("2001:db8::/64", v6.network().toString());
        IpCidr v6Long = IpCidr.parse("2001:db8::1:2/120");
        assertTrue(v6Long.contains(IpAddress.parse("2001:db8::1:ff")));
        assertFalse(v6Long.contains(IpAddress.parse("2001:db8::2:2")));
        assertEquals("2001:db8::1:0/120", v6Long.network().toString());
        assertTrue(IpCidr.parse("::1/128").contains(IpAddress.parse("::1")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "10.0.0.1/33", "10.0.0.1/-1", "10.0.0.1/x", "::1/129", "foo/8"})
    void malformedCidrsAreRejected(String text) {
        assertThrows(IllegalArgumentException.class, () -> IpCidr.parse(text));
    }

    @Test
    void endpointsPrintWithBracketsForIpv6() {
        assertEquals("192.0.2.1:80", new IpEndpoint(IpAddress.parse("192.0.2.1"), 80).toString());
        assertEquals("[2001:db8::1]:443", new IpEndpoint(IpAddress.parse("2001:db8::1"), 443).toString());
        assertThrows(IllegalArgumentException.class, () -> new IpEndpoint(IpAddress.parse("::1"), 65536));
    }

    @Test
    void protocolNamesNeverThrow() {
        assertEquals("tcp", IpProtocol.name(IpProtocol.TCP));
        assertEquals("ipv6-frag", IpProtocol.name(44));
        assertEquals("253", IpProtocol.name(253));
        assertEquals("-1", IpProtocol.name(-1));
        assertEquals("echo-request", Icmpv6Type.name(128));
        assertEquals("200", Icmpv4Type.name(200));
    }
}
