package layer45.agent.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The control plane's JSON: what it reads and writes, and how it refuses what it cannot read. */
class JsonTest {

    @Test
    void valuesRoundTrip() throws Exception {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 é");
        value.put("whole", -42L);
        value.put("decimal", 1.5);
        value.put("yes", true);
        value.put("nothing", null);
        value.put("list", List.of(1L, "two", Map.of("three", 3L)));
        assertEquals(value, Json.parse(Json.write(value)));
        assertEquals(Map.of("a", List.of()), Json.parse(" { \"a\" : [ ] } "));
        assertEquals("A/", Json.parse("\"\\u0041\\/\""));
        assertEquals(1e3, Json.parse("1e3"));
    }

    @Test
    void badTextIsRefusedWithWhereAndWhat() {
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("", "the text ends where a value should be at character 0");
        refusals.put("{\"a\":1,}", "a key must be a string at character 7");
        refusals.put("{\"a\":1,\"a\":2}", "the key 'a' appears twice at character 11");
        refusals.put("[1 2]", "expected ',' or ']' at character 4");
        refusals.put("\"open", "a string is not closed at character 5");
        refusals.put("\"\\x\"", "unknown escape '\\x' at character 3");
        refusals.put("-", "a number without digits at character 1");
        refusals.put("99999999999999999999", "the number 99999999999999999999 is out of range at character 20");
        refusals.put("tru", "unexpected 't' at character 0");
        refusals.put("{} x", "text after the value at character 3");
        refusals.put("[".repeat(40), "nested deeper than 16 at character 17");
        refusals.forEach((text, reason) -> assertEquals(reason, assertThrows(MalformedMessage.class,
                () -> Json.parse(text), text).getMessage(), text));
    }

    @Test
    void commandsAndAcksRoundTripAndNeedTheirFields() throws Exception {
        Command install = Command.of("c-1", Op.INSTALL, "jar", "echo-tag", "bytes", "AAEC", "sha256", "00");
        Command back = Command.decode(install.encode());
        assertEquals(install, back);
        assertArrayEquals(new byte[] { 0, 1, 2 }, back.bytes("bytes"));
        assertEquals("command c-1 (install) needs the field 'module' as text",
                assertThrows(MalformedMessage.class, () -> back.text("module")).getMessage());
        assertEquals("unknown op 'format'; known: install, revoke, deprecate, activate, deactivate, priority,"
                + " param, report, challenge", assertThrows(MalformedMessage.class, () -> Command.decode(
                        "{\"id\":\"x\",\"op\":\"format\"}".getBytes(StandardCharsets.UTF_8))).getMessage());
        assertEquals("a command needs an id, a string of 1 to 128 characters", assertThrows(MalformedMessage.class,
                () -> Command.decode("{\"op\":\"report\"}".getBytes(StandardCharsets.UTF_8))).getMessage());
        Ack ack = new Ack("c-1", "d1", "install", Ack.Result.REFUSED, "bad", 5, Map.of("modules", List.of("m")));
        assertEquals(ack, Ack.decode(ack.encode()));
    }

    @Test
    void topicsNameTheirDevice() {
        assertEquals("d-1", Topics.deviceOf(Topics.acks("d-1")));
        assertEquals("", Topics.deviceOf("layer45/all/cmd"));
        assertEquals(false, Topics.validName("a/b"));
        assertEquals(false, Topics.validName("+"));
        assertEquals(true, Topics.validName("dev-01.lab_2"));
    }
}
