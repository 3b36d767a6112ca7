package layer45.runtime.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import layer45.api.ProcessOwner;

class NamePatternTest {

    @ParameterizedTest(name = "{0} ~ ''{1}'' = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            *               | dig               | true
            *               | ""                | true
            dig             | dig               | true
            dig             | dig2              | false
            dig             | Dig               | false
            dig             | di                | false
            isc-*           | isc-net-0000      | true
            isc-*           | isc-              | true
            isc-*           | isc               | false
            isc-*           | xisc-net          | false
            *-worker        | pool-worker       | true
            *-worker        | -worker           | true
            *-worker        | pool-worker2      | false
            *net*           | isc-net-0000      | true
            *net*           | net               | true
            *net*           | ne                | false
            Web Content     | Web Content       | true
            python3-long-na | python3-long-na   | true
            python3-long-na*| python3-long-na   | true
            """)
    void matches(String pattern, String name, boolean expected) {
        NamePattern parsed = NamePattern.parse(pattern);
        assertEquals(expected, parsed.matches(name));
        assertEquals(pattern, parsed.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dig", "isc-*", "*-worker", "*net*", "python3-long-na"})
    void onlyStarMatchesAnUnknownOwner(String pattern) {
        assertFalse(NamePattern.parse(pattern).matches(ProcessOwner.UNKNOWN.processName()));
        assertFalse(NamePattern.parse(pattern).matches(ProcessOwner.UNKNOWN.threadName()));
        assertFalse(NamePattern.parse(pattern).matches(null));
        assertTrue(NamePattern.ANY.matches(ProcessOwner.UNKNOWN.processName()));
        assertTrue(NamePattern.ANY.matches(null));
    }

    @Test
    void starIsTheSharedAnyPattern() {
        assertSame(NamePattern.ANY, NamePattern.parse("*"));
        assertTrue(NamePattern.ANY.isAny());
        assertFalse(NamePattern.parse("*a*").isAny());
    }

    @Test
    void anExactNameLongerThanATaskNameSuggestsTheTruncation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NamePattern.parse("python3-long-name-x"));
        assertEquals("'python3-long-name-x' is longer than the 15 characters of a Linux task name and would never"
                + " match; use 'python3-long-na*' or the truncated name 'python3-long-na'", e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ""                          | cannot be empty          | use '*'
            **                          | no name between          | use '*'
            is*c                        | '*' inside the name      | start or end
            *is*c*                      | '*' inside the name      | 'isc-*'
            0123456789abcdef            | longer than the 15 characters | '0123456789abcde*'
            0123456789abcdef*           | starts with more than the 15 characters | use '0123456789abcde*'
            *0123456789abcdef*          | needs more than the 15 characters | use '*0123456789abcde*'
            *0123456789abcdef           | needs more than the 15 characters | suffix of at most 15
            ééééééééé                   | 15 bytes of a Linux task name | 18 bytes in UTF-8
            """)
    void rejects(String pattern, String what, String advice) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NamePattern.parse(pattern));
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertTrue(e.getMessage().contains(advice), e.getMessage());
    }

    @Test
    void rejectsControlCharactersAndShowsThemEscaped() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NamePattern.parse("dig\n"));
        assertEquals("'dig\\u000A' contains the control character U+000A; remove it (task names in patterns are"
                + " printable)", e.getMessage());
    }

    @Test
    void fifteenCharactersIsTheLongestName() {
        assertTrue(NamePattern.parse("123456789012345").matches("123456789012345"));
        assertTrue(NamePattern.parse("*123456789012345*").matches("123456789012345"));
        // Multi-byte names are cut between characters in the suggestion: 7 x 2 bytes fit, 8 do not.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NamePattern.parse("éééééééé"));
        assertTrue(e.getMessage().contains("use 'ééééééé*'"), e.getMessage());
    }

    @Test
    void equalityFollowsTheText() {
        assertEquals(NamePattern.parse("isc-*"), NamePattern.parse("isc-*"));
        assertEquals(NamePattern.parse("isc-*").hashCode(), NamePattern.parse("isc-*").hashCode());
        assertFalse(NamePattern.parse("isc-*").equals(NamePattern.parse("*isc-")));
    }
}
