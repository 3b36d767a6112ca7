package layer45.mnet.phy.linux;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TunOptionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"l45t%d", "tun0", "a", "fifteen-bytes-x", "%dtun", "l45_t.0-x"})
    void acceptsInterfaceNamesTheKernelAccepts(String name) {
        assertEquals(name, new TunOptions(name, 1500).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sixteen-bytes-xx", "a b", "a/b", "a:b", ".", "..", "tun\t0", "l45t%s", "l45%d%d",
        "l45t%", "tün0"})
    void refusesNamesTheKernelRefuses(String name) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new TunOptions(name, 1500));
        assertTrue(refused.getMessage().contains("interface name"), refused.getMessage());
    }

    @Test
    void refusesMissingName() {
        assertThrows(IllegalArgumentException.class, () -> new TunOptions(null, 1500));
    }

    @Test
    void saysHowLongANameMayBe() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new TunOptions("sixteen-bytes-xx", 1500));
        assertEquals("interface name \"sixteen-bytes-xx\" is 16 bytes long; Linux allows at most 15",
                refused.getMessage());
    }

    @Test
    void acceptsMtusFromTheIpv6MinimumToTheTunMaximum() {
        assertDoesNotThrow(() -> new TunOptions("tun0", 1280));
        assertDoesNotThrow(() -> new TunOptions("tun0", 65520));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 576, 1279, 65521, 65535, -1})
    void refusesMtusOutsideTheRange(int mtu) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new TunOptions("tun0", mtu));
        assertTrue(refused.getMessage().startsWith("TUN MTU " + mtu + " for tun0 is outside 1280..65520"),
                refused.getMessage());
    }
}
