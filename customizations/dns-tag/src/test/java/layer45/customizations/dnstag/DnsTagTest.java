package layer45.customizations.dnstag;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The tag's wire format, as the original's Wireshark dissector reads it. */
class DnsTagTest {

    @Test
    void theTagIsXtagAndTheApplicationIdPaddedWithNulsTo20Bytes() {
        assertEquals("XTAGdig" + "\0".repeat(13), new String(new DnsTag("dig").toBytes(), ISO_8859_1));
        assertEquals("XTAG0123456789abcdef", new String(new DnsTag("0123456789abcdef").toBytes(), ISO_8859_1));
    }

    @Test
    void parseFindsTheApplicationIdAndLeavesThePositionAlone() {
        byte[] wire = DnsMessages.tagged("dig", DnsMessages.query(7, "www.example.com"));
        ByteBuffer payload = ByteBuffer.wrap(wire);
        assertEquals(Optional.of(new DnsTag("dig")), DnsTag.parse(payload));
        assertEquals(0, payload.position());
        assertEquals(wire.length - DnsTag.LENGTH, DnsMessages.query(7, "www.example.com").length,
                "the DNS message starts right after the tag");
    }

    @Test
    void parseReadsFromThePositionSoATcpMessageIsParsedAfterItsLength() {
        byte[] stream = DnsMessages.stream(DnsMessages.tagged("nslookup", DnsMessages.query(1, "a.b")));
        assertEquals("nslookup", DnsTag.parse(ByteBuffer.wrap(stream).position(2)).orElseThrow().applicationId());
    }

    @Test
    void aSixteenCharacterIdFillsTheFieldWithoutNul() {
        byte[] wire = DnsMessages.tagged("0123456789abcdef", DnsMessages.query(1, "x.y"));
        assertEquals("0123456789abcdef", DnsTag.parse(ByteBuffer.wrap(wire)).orElseThrow().applicationId());
    }

    @Test
    void aPlainQueryOrAShortPayloadHasNoTag() {
        assertTrue(DnsTag.parse(ByteBuffer.wrap(DnsMessages.query(7, "www.example.com"))).isEmpty());
        assertTrue(DnsTag.parse(ByteBuffer.wrap("XTAGshort".getBytes(ISO_8859_1))).isEmpty(),
                "fewer than 20 bytes cannot hold a tag");
        assertTrue(DnsTag.parse(ByteBuffer.allocate(0)).isEmpty());
    }

    @Test
    void anyBytesInTheIdFieldParse() {
        byte[] wire = new DnsTag("").toBytes();
        for (int i = 4; i < wire.length; i++) {
            wire[i] = (byte) (0x80 + i);
        }
        assertEquals(16, DnsTag.parse(ByteBuffer.wrap(wire)).orElseThrow().applicationId().length());
        assertArrayEquals(wire, DnsTag.parse(ByteBuffer.wrap(wire)).orElseThrow().toBytes(), "round trip");
    }

    @Test
    void anIdThatDoesNotFitIsRefusedWithTheReason() {
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> new DnsTag("0123456789abcdefg"));
        assertTrue(tooLong.getMessage().contains("at most 16"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DnsTag("di\0g"));
        assertThrows(IllegalArgumentException.class, () -> new DnsTag("dig\u20ac"));
    }
}
