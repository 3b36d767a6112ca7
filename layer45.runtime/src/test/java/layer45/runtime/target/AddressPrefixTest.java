package layer45.runtime.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPrefixTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8              | 10.0.0.0/8            | true  | 8
            192.168.1.7             | 192.168.1.7           | true  | 32
            192.168.1.7/32          | 192.168.1.7           | true  | 32
            0.0.0.0/0               | 0.0.0.0/0             | true  | 0
            10.8.0.0/13             | 10.8.0.0/13           | true  | 13
            10.0.0.0/08             | 10.0.0.0/8            | true  | 8
            fd00::/8                | fd00::/8              | false | 8
            FD00::/8                | fd00::/8              | false | 8
            ::1                     | ::1                   | false | 128
            ::1/128                 | ::1                   | false | 128
            ::/0                    | ::/0                  | false | 0
            2000::/13               | 2000::/13             | false | 13
            fd00:0:0:0:8000::/65    | fd00::8000:0:0:0/65   | false | 65
            2001:db8:0:0:1:0:0:1    | 2001:db8::1:0:0:1     | false | 128
            2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1 | false | 128
            1:0:0:2:0:0:0:3         | 1:0:0:2::3            | false | 128
            1:0:2:3:4:5:6:7         | 1:0:2:3:4:5:6:7       | false | 128
            ::ffff:10.0.0.0/104     | 10.0.0.0/8            | true  | 8
            ::ffff:0:0/96           | 0.0.0.0/0             | true  | 0
            ::ffff:10.1.2.3         | 10.1.2.3              | true  | 32
            ::10.1.2.3              | ::a01:203             | false | 128
            """)
    void parsesToCanonicalForm(String text, String canonical, boolean ipv4, int length) {
        AddressPrefix prefix = AddressPrefix.parse(text);
        assertEquals(canonical, prefix.toString());
        assertEquals(ipv4, prefix.isIPv4());
        assertEquals(length, prefix.length());
        assertEquals(prefix, AddressPrefix.parse(canonical));
        assertEquals(prefix.hashCode(), AddressPrefix.parse(canonical).hashCode());
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8          | 10.1.2.3                  | true
            10.0.0.0/8          | 10.255.255.255            | true
            10.0.0.0/8          | 11.0.0.0                  | false
            10.0.0.0/8          | 9.255.255.255             | false
            10.0.0.0/8          | ::ffff:10.1.2.3           | true
            10.0.0.0/8          | ::ffff:11.1.2.3           | false
            10.0.0.0/8          | ::10.1.2.3                | false
            10.0.0.0/8          | fd00::1                   | false
            10.8.0.0/13         | 10.15.255.255             | true
            10.8.0.0/13         | 10.16.0.0                 | false
            10.8.0.0/13         | 10.7.255.255              | false
            192.168.1.7         | 192.168.1.7               | true
            192.168.1.7         | 192.168.1.8               | false
            192.168.1.7         | ::ffff:192.168.1.7        | true
            0.0.0.0/0           | 1.2.3.4                   | true
            0.0.0.0/0           | ::ffff:1.2.3.4            | true
            0.0.0.0/0           | ::1                       | false
            ::ffff:10.0.0.0/104 | 10.1.2.3                  | true
            ::ffff:10.0.0.0/104 | ::ffff:10.1.2.3           | true
            ::ffff:10.0.0.0/104 | 11.1.2.3                  | false
            ::ffff:0:0/96       | 8.8.8.8                   | true
            ::/0                | ::1                       | true
            ::/0                | fd00::1                   | true
            ::/0                | 10.1.2.3                  | false
            ::/0                | ::ffff:10.1.2.3           | false
            ::/64               | ::ffff:10.1.2.3           | false
            ::/64               | ::10.1.2.3                | true
            ::1                 | ::1                       | true
            ::1                 | ::2                       | false
            ::1                 | 127.0.0.1                 | false
            fd00::/8            | fd12:3456::1              | true
            fd00::/8            | fc00::1                   | false
            fd00::/8            | 10.1.2.3                  | false
            2000::/13           | 2007:ffff::1              | true
            2000::/13           | 2008::                    | false
            2000::/13           | 1fff:ffff::               | false
            fd00::8000:0:0:0/65 | fd00::8000:0:0:1          | true
            fd00::8000:0:0:0/65 | fd00::ffff:ffff:ffff:ffff | true
            fd00::8000:0:0:0/65 | fd00::7fff:ffff:ffff:ffff | false
            fd00::8000:0:0:0/65 | fd01::8000:0:0:1          | false
            2001:db8::1/128     | 2001:db8::1               | true
            2001:db8::1/128     | 2001:db8::1:1             | false
            """)
    void matches(String prefix, String address, boolean expected) {
        assertEquals(expected, AddressPrefix.parse(prefix).matches(InetAddress.ofLiteral(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "::ffff:10.0.0.0/104", "10.1.2.3"})
    void anIpv4PrefixMatchesAnInet6AddressHoldingAMappedAddress(String prefix) throws UnknownHostException {
        // The JDK turns ::ffff:a.b.c.d into an Inet4Address, but a stack can still hand over an Inet6Address.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        Inet6Address address = Inet6Address.getByAddress(null, mapped, -1);
        assertTrue(AddressPrefix.parse(prefix).matches(address));
        assertFalse(AddressPrefix.parse("::/0").matches(address));
        assertFalse(AddressPrefix.parse("11.0.0.0/8").matches(address));
    }

    @Test
    void nullMatchesNothing() {
        assertFalse(AddressPrefix.parse("0.0.0.0/0").matches(null));
        assertFalse(AddressPrefix.parse("::/0").matches(null));
    }

    @Test
    void inet4AddressHashCodeIsTheAddress() {
        // matches() reads an IPv4 address through hashCode() to avoid getAddress()'s copy; this pins that down.
        Random random = new Random(45);
        for (int i = 0; i < 1000; i++) {
            int value = random.nextInt();
            byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
            InetAddress address = assertInstanceOf(Inet4Address.class, inet(bytes));
            assertEquals(value, address.hashCode());
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            10.1.2.3/8              | '10.1.2.3/8' has host bits set; did you mean '10.0.0.0/8'? (or '10.1.2.3' for that single address)
            10.8.0.0/12             | did you mean '10.0.0.0/12'?
            fd00::1/8               | 'fd00::1/8' has host bits set; did you mean 'fd00::/8'?
            ::ffff:10.1.2.3/104     | did you mean '::ffff:10.0.0.0/104'?
            2001:db8::/13           | did you mean '2000::/13'?
            10.0.0.0/33             | '10.0.0.0/33' has prefix length 33, but an IPv4 prefix length is 0 to 32
            fd00::/129              | 'fd00::/129' has prefix length 129, but an IPv6 prefix length is 0 to 128
            10.0.0.0/               | '10.0.0.0/' has no prefix length after the '/'; write 0 to 32 after it
            10.0.0.0/x              | prefix length that is not a number; an IPv4 prefix length is 0 to 32
            10.0.0.0/-1             | prefix length that is not a number
            10.0.0.0/+8             | prefix length that is not a number
            10.0.0.0/0008           | prefix length that is not a number
            10.0.0.0/8/8            | more than one '/'
            10.1                    | '10.1' is not an IPv4 address: write all four parts
            10                      | write all four parts
            1.2.3.4.5               | write all four parts
            10..0.1                 | it has an empty part
            300.1.1.1               | '300.1.1.1' is not an IPv4 address: 300 is more than 255
            1.2.3.1000              | 1000 is more than 255
            010.0.0.1/8             | leading zero, which some tools read as octal; write '10.0.0.1/8'
            fe80::1%eth0            | has a zone ('%eth0'), which a prefix cannot have
            [::1]                   | has brackets; write the IPv6 address without them
            [::1]/128               | has brackets
            1::2::3                 | '1::2::3' is not a valid IPv6 address
            12345::                 | is not a valid IPv6 address
            :::                     | is not a valid IPv6 address
            ::ffff:1.2.3            | is not a valid IPv6 address
            ""                      | an address prefix cannot be empty
            /8                      | is not an IP address literal
            localhost               | 'localhost' is not an IP address literal; host names are not resolved
            example.com             | 'example.com' is not an IP address literal; host names are not resolved
            example.com/24          | is not an IP address literal
            10.0.0.1.nip.io         | is not an IP address literal
            0x7f.0.0.1              | is not an IP address literal
            fd00::g                 | is not an IP address literal
            ::１                     | is not an IP address literal
            """)
    void rejects(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressPrefix.parse(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void randomPrefixesMatchTheirOwnAddressesAndNotTheNextOne() {
        // The JDK's own long form checks parsing and masking independently of this class's formatting.
        Random random = new Random(45);
        for (int i = 0; i < 5000; i++) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            if (i % 4 == 0) {
                bytes[0] = 0; // sometimes leave room for "::" runs
                bytes[1] = 0;
                bytes[2] = 0;
            }
            int length = random.nextInt(129);
            byte[] network = bytes.clone();
            for (int bit = length; bit < 128; bit++) {
                network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            String text = inet6(network).getHostAddress() + "/" + length;
            AddressPrefix prefix = AddressPrefix.parse(text);
            assertEquals(length, prefix.length(), text);
            assertTrue(prefix.matches(inet6(bytes)), text);
            assertEquals(prefix, AddressPrefix.parse(prefix.toString()), text);
            if (length > 0) {
                byte[] outside = bytes.clone();
                outside[(length - 1) / 8] ^= (byte) (0x80 >>> ((length - 1) % 8));
                assertFalse(prefix.matches(inet6(outside)), text);
            }
        }
    }

    private static InetAddress inet(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Inet6Address inet6(byte[] bytes) {
        try {
            // Inet6Address.getByAddress keeps mapped addresses as IPv6, which these must stay.
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
