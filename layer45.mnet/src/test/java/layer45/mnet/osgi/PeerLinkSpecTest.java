package layer45.mnet.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A peer link's specification: read as operators write it, and refused with what to write instead. */
class PeerLinkSpecTest {

    @Test
    void aSpecificationReadsItsSocketsAddressesAndOptions() {
        PeerLinkSpec spec = PeerLinkSpec.parse("b", "local=127.0.0.1:6081 remote=[::1]:6082"
                + " addresses=10.77.0.1/24,fd77::1/64,demo:fd4d::1 netns=lab mtu=1300 echo=0");

        assertEquals(new InetSocketAddress("127.0.0.1", 6081), spec.tunnel().local());
        assertEquals(new InetSocketAddress("::1", 6082), spec.tunnel().remote());
        assertEquals("lab", spec.tunnel().namespace());
        assertEquals(1300, spec.tunnel().mtu());
        assertEquals(0, spec.echoPort());
        assertEquals(List.of("10.77.0.1/24", "fd77::1/64", "demo:fd4d::1"), spec.addresses());
        assertEquals(List.of("fd4d::1"), spec.plugged().get("demo").stream().map(Object::toString).toList());
    }

    @Test
    void defaultsAreTheRuntimesNamespaceAnMtuThatFits1500AndEchoOn7() {
        PeerLinkSpec spec = PeerLinkSpec.parse("a", "local=127.0.0.1:6081 remote=127.0.0.1:6082 addresses=fd77::1/64");

        assertNull(spec.tunnel().namespace());
        assertEquals(1400, spec.tunnel().mtu());
        assertEquals(7, spec.echoPort());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "local=127.0.0.1:1 addresses=fd77::1/64|needs remote=",
        "local=127.0.0.1:1 remote=127.0.0.1:2 addresses=fd77::1|needs its prefix length, such as fd77::1/64",
        "local=127.0.0.1:1 remote=127.0.0.1:2 addresses=demo:fd4d::1|needs an IPv4 or IPv6 address",
        "local=127.0.0.1:1 remote=127.0.0.1:2 addresses=fd77::1/64 colour=red|'colour=red' is not understood",
        "local=127.0.0.1:1 remote=demo:fd4d::2 addresses=fd77::1/64|must be an IPv4 or IPv6 address and port",
        "local=127.0.0.1:1 remote=127.0.0.1:0 addresses=fd77::1/64|is not a port (1..65535)",
        "local=127.0.0.1:1 remote=127.0.0.1:2 addresses=fd77::1/64 mtu=lots|mtu=lots is not a number",
    })
    void aWrongSpecificationSaysWhatToWrite(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerLinkSpec.parse("b", text));

        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aNameIsShortAndPlain() {
        assertThrows(IllegalArgumentException.class, () -> PeerLinkSpec.parse("Peer_B",
                "local=127.0.0.1:1 remote=127.0.0.1:2 addresses=fd77::1/64"));
    }
}
