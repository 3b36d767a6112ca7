package layer45.mnet.mhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import layer45.mnet.wire.IpCidr;
import org.junit.jupiter.api.Test;

/** Virtual addresses: distinct, the same number in both prefixes, stable while assigned, reused when freed. */
class VirtualAddressesTest {

    @Test
    void everyNameGetsItsOwnNumberTheSameInBothPrefixes() {
        VirtualAddresses v = new VirtualAddresses(IpCidr.parse("10.46.0.0/16"), IpCidr.parse("fd46::/64"));
        assertEquals(65534, v.capacity());
        Set<Integer> numbers = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int n = v.assign("host" + i);
            assertEquals(n, v.assign("host" + i), "asking again gives the same number");
            numbers.add(n);
            InetAddress v4 = v.ipv4(n);
            InetAddress v6 = v.ipv6(n);
            byte[] b4 = v4.getAddress();
            byte[] b6 = v6.getAddress();
            assertEquals(n, (b4[2] & 0xFF) << 8 | b4[3] & 0xFF);
            assertEquals(n, (b6[14] & 0xFF) << 8 | b6[15] & 0xFF);
            assertEquals(10, b4[0]);
            assertEquals(46, b4[1]);
        }
        assertEquals(2000, numbers.size());
        assertEquals(false, numbers.contains(0));
        assertEquals(false, numbers.contains(65535), "never the broadcast address");
    }

    @Test
    void theNumberComesFromTheNameSoItIsTheSameInAnotherTable() {
        VirtualAddresses a = new VirtualAddresses(IpCidr.parse("10.46.0.0/16"), null);
        VirtualAddresses b = new VirtualAddresses(IpCidr.parse("10.46.0.0/16"), null);
        b.assign("other");
        assertEquals(a.assign("srv"), b.assign("srv"));
        assertNull(a.ipv6(a.assign("srv")));
    }

    @Test
    void aFullPrefixGivesNoNumberUntilOneIsFreed() {
        VirtualAddresses v = new VirtualAddresses(IpCidr.parse("10.46.0.0/30"), IpCidr.parse("fd46::/64"));
        assertEquals(2, v.capacity());
        int a = v.assign("a");
        int b = v.assign("b");
        assertNotEquals(a, b);
        assertEquals(0, v.assign("c"));
        assertNull(v.ipv4(0));
        v.release("a");
        assertEquals(a, v.assign("c"), "the freed number");
        assertEquals(Set.of("b", "c"), v.assigned());
    }

    @Test
    void aSmallIpv6PrefixLimitsTheRoomToo() {
        assertEquals(3, new VirtualAddresses(null, IpCidr.parse("fd46::/126")).capacity());
        assertEquals(0, new VirtualAddresses(null, null).capacity());
        assertEquals(0, new VirtualAddresses(null, null).assign("x"));
    }
}
