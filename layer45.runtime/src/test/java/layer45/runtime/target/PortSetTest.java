package layer45.runtime.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PortSetTest {

    static Stream<Arguments> canonicalForms() {
        return Stream.of(
                Arguments.of(new String[] {}, "*", List.of()),
                Arguments.of(new String[] {""}, "*", List.of()),
                Arguments.of(new String[] {"  "}, "*", List.of()),
                Arguments.of(new String[] {"*"}, "*", List.of()),
                Arguments.of(new String[] {"53", "*"}, "*", List.of()),
                Arguments.of(new String[] {"1-65535"}, "*", List.of()),
                Arguments.of(new String[] {"1-100", "101-65535"}, "*", List.of()),
                Arguments.of(new String[] {"53"}, "53", List.of("53")),
                Arguments.of(new String[] {"53,853"}, "53,853", List.of("53", "853")),
                Arguments.of(new String[] {" 80 , 443 "}, "80,443", List.of("80", "443")),
                Arguments.of(new String[] {"443", "80"}, "80,443", List.of("80", "443")),
                Arguments.of(new String[] {"8000-8100"}, "8000-8100", List.of("8000-8100")),
                Arguments.of(new String[] {"8000 - 8100"}, "8000-8100", List.of("8000-8100")),
                Arguments.of(new String[] {"53-53"}, "53", List.of("53")),
                Arguments.of(new String[] {"1", "65535"}, "1,65535", List.of("1", "65535")),
                Arguments.of(new String[] {"00053"}, "53", List.of("53")),
                // overlapping, contained, duplicate and touching ranges merge
                Arguments.of(new String[] {"8000-8100,8050-8200"}, "8000-8200", List.of("8000-8200")),
                Arguments.of(new String[] {"8050-8200", "8000-8100"}, "8000-8200", List.of("8000-8200")),
                Arguments.of(new String[] {"1-100,50"}, "1-100", List.of("1-100")),
                Arguments.of(new String[] {"53,53"}, "53", List.of("53")),
                Arguments.of(new String[] {"80,81,82"}, "80-82", List.of("80-82")),
                Arguments.of(new String[] {"10-20,30-40,15-35"}, "10-40", List.of("10-40")),
                Arguments.of(new String[] {"10-20,22-30"}, "10-20,22-30", List.of("10-20", "22-30")));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("canonicalForms")
    void parsesToSortedMergedRanges(String[] sources, String canonical, List<String> strings) {
        PortSet ports = PortSet.parse(sources);
        assertEquals(canonical, ports.toString());
        assertEquals(strings, ports.toStrings());
        assertEquals(canonical.equals("*"), ports.isAny());
        assertEquals(ports, PortSet.parse(canonical));
        assertEquals(ports.hashCode(), PortSet.parse(canonical).hashCode());
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            *                   | 1     | true
            *                   | 65535 | true
            *                   | 0     | true
            53                  | 53    | true
            53                  | 52    | false
            53                  | 54    | false
            1                   | 1     | true
            1                   | 2     | false
            1                   | 0     | false
            65535               | 65535 | true
            65535               | 65534 | false
            1-65534             | 65534 | true
            1-65534             | 65535 | false
            2-65535             | 1     | false
            2-65535             | 65535 | true
            53,853,8000-8100    | 853   | true
            53,853,8000-8100    | 8000  | true
            53,853,8000-8100    | 8050  | true
            53,853,8000-8100    | 8100  | true
            53,853,8000-8100    | 7999  | false
            53,853,8000-8100    | 8101  | false
            53,853,8000-8100    | 100   | false
            53,853,8000-8100    | 1     | false
            53,853,8000-8100    | 65535 | false
            53,853,8000-8100    | -1    | false
            53,853,8000-8100    | 70000 | false
            """)
    void matches(String ports, int port, boolean expected) {
        assertEquals(expected, PortSet.parse(ports).matches(port));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            0           | port 0 is not a port a flow can have; leave the property empty or use '*' for any port
            70000       | '70000' is not a port (1-65535)
            65536       | '65536' is not a port (1-65535)
            123456789012 | '123456789012' is not a port (1-65535)
            -5          | '-5' is not a port (1-65535)
            http        | 'http' is not a port (1-65535); write the port number, service names are not looked up
            5 3         | '5 3' is not a port (1-65535)
            8100-8000   | '8100-8000' is reversed; write '8000-8100'
            0-1023      | '0-1023' starts at port 0, which a flow cannot have; write '1-1023'
            0-0         | write '*'
            8000-       | '8000-' is not a port range; write two ports with one '-' between them, such as '8000-8100'
            1-2-3       | is not a port range
            8000-70000  | '8000-70000': '70000' is not a port (1-65535)
            x-80        | 'x-80': 'x' is not a port (1-65535)
            53,,853     | '53,,853' has an empty entry; remove the extra comma
            "53,"       | has an empty entry
            ","         | has an empty entry
            """)
    void rejects(String source, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortSet.parse(source));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void reportsEveryBadEntryAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PortSet.parse("0,53", "70000", "8100-8000"));
        assertEquals("port 0 is not a port a flow can have; leave the property empty or use '*' for any port; "
                + "'70000' is not a port (1-65535); '8100-8000' is reversed; write '8000-8100'", e.getMessage());
    }

    @Test
    void anyIsShared() {
        assertSame(PortSet.ANY, PortSet.parse());
        assertTrue(PortSet.ANY.isAny());
        assertFalse(PortSet.parse("53").isAny());
    }
}
