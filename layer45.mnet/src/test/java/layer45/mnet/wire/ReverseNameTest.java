package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reverse-lookup names read back to the address they stand for, and everything else read as no address. */
class ReverseNameTest {

    @Test
    void anIpv4NameIsReadLeastSignificantOctetFirst() {
        assertEquals(Ipv4Address.parse("10.46.3.4"), ReverseName.address("4.3.46.10.in-addr.arpa"));
        assertEquals(Ipv4Address.parse("0.0.0.0"), ReverseName.address("0.0.0.0.in-addr.arpa"));
        assertEquals(Ipv4Address.parse("255.255.255.255"), ReverseName.address("255.255.255.255.in-addr.arpa"));
    }

    @Test
    void anIpv6NameIsReadLeastSignificantNibbleFirst() {
        assertEquals(Ipv6Address.parse("fd46::1:abcd"), ReverseName.address(
                "d.c.b.a.1.0.0.0." + "0.".repeat(20) + "6.4.d.f.ip6.arpa"));
        assertEquals(Ipv6Address.parse("2001:db8::567:89ab"), ReverseName.address(
                "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"));
        assertEquals(Ipv6Address.parse("2001:db8::567:89ab"), ReverseName.address(
                "B.A.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6.arpa"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "in-addr.arpa", ".in-addr.arpa", "46.10.in-addr.arpa", "3.4.46.10",
        "1.2.3.4.5.in-addr.arpa", "256.0.0.10.in-addr.arpa", "01.0.0.10.in-addr.arpa", "a.0.0.10.in-addr.arpa",
        "1..0.10.in-addr.arpa", "1000.0.0.10.in-addr.arpa", "-1.0.0.10.in-addr.arpa", "ip6.arpa",
        "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",
        "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",
        "g.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",
        "00.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa",
        "example.org"})
    void otherNamesAreNoAddress(String name) {
        assertNull(ReverseName.address(name), name);
    }
}
