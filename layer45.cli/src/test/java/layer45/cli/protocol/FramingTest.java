package layer45.cli.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** The control protocol's frames: what goes on the wire, and what a reader makes of good and broken input. */
class FramingTest {

    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final FrameWriter writer = new FrameWriter(Channels.newChannel(wire));

    private FrameReader reader() {
        return reader(wire.toByteArray());
    }

    private static FrameReader reader(byte[] bytes) {
        return new FrameReader(Channels.newChannel(new ByteArrayInputStream(bytes)));
    }

    @Test
    void aFrameIsItsTypeByteItsBigEndianLengthAndItsPayload() throws IOException {
        writer.write(Frame.text(FrameType.COMMAND, "l45:lsmod"));
        writer.write(Frame.exit(130));
        assertEquals("43" + "00000009" + HexFormat.of().formatHex("l45:lsmod".getBytes()) + "58" + "00000004"
                + "00000082", HexFormat.of().formatHex(wire.toByteArray()));
    }

    @Test
    void framesComeBackInOrderThenTheCleanEndIsNull() throws IOException {
        writer.write(Frame.text(FrameType.DIRECTORY, "/tmp"));
        writer.write(Frame.text(FrameType.COMMAND, "l45:param echo-tag-client 'thread=isc-net-*' ∆"));
        writer.write(Frame.exit(-1));
        FrameReader reader = reader();
        assertEquals("/tmp", reader.read(ControlProtocol.MAX_COMMAND).text());
        Frame command = reader.read(ControlProtocol.MAX_COMMAND);
        assertEquals(FrameType.COMMAND, command.type());
        assertEquals("l45:param echo-tag-client 'thread=isc-net-*' ∆", command.text());
        assertEquals(-1, reader.read(ControlProtocol.MAX_DATA).status());
        assertNull(reader.read(ControlProtocol.MAX_DATA));
    }

    @Test
    void dataLongerThanAFrameIsSplitAndNoDataSendsNothing() throws IOException {
        byte[] output = new byte[2 * ControlProtocol.MAX_DATA + 10];
        Arrays.fill(output, (byte) 'x');
        writer.write(FrameType.STDOUT, output, 0, output.length);
        writer.write(FrameType.STDERR, new byte[0], 0, 0);
        FrameReader reader = reader();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int frames = 0;
        for (Frame frame = reader.read(ControlProtocol.MAX_DATA); frame != null;
                frame = reader.read(ControlProtocol.MAX_DATA)) {
            assertEquals(FrameType.STDOUT, frame.type());
            joined.writeBytes(frame.payload());
            frames++;
        }
        assertEquals(3, frames);
        assertArrayEquals(output, joined.toByteArray());
    }

    @Test
    void aPartOfAnArrayIsWritten() throws IOException {
        writer.write(FrameType.INPUT, "hello world".getBytes(), 6, 5);
        assertEquals("world", reader().read(ControlProtocol.MAX_DATA).text());
    }

    @Test
    void aCommandLineOverTheLimitIsRefusedBeforeItsPayloadIsRead() {
        byte[] header = HexFormat.of().parseHex("43" + "00004001"); // 16385 bytes announced, none sent
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> reader(header).read(ControlProtocol.MAX_COMMAND));
        assertEquals("the command line is 16385 bytes, more than the 16384 allowed", e.getMessage());
    }

    @Test
    void aLengthWithTheTopBitSetIsTooLargeNotNegative() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> reader(HexFormat.of().parseHex("49" + "ffffffff")).read(ControlProtocol.MAX_DATA));
        assertTrue(e.getMessage().startsWith("the input is 4294967295 bytes"), e.getMessage());
    }

    @Test
    void anUnknownTypeSaysTheOtherEndSpeaksAnotherVersion() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> reader(HexFormat.of().parseHex("5a" + "00000000")).read(ControlProtocol.MAX_DATA));
        assertTrue(e.getMessage().startsWith("unknown frame type 0x5a"), e.getMessage());
    }

    @Test
    void aStreamThatEndsInsideAFrameIsBroken() {
        ProtocolException header = assertThrows(ProtocolException.class,
                () -> reader(HexFormat.of().parseHex("4f0000")).read(ControlProtocol.MAX_DATA));
        assertEquals("the connection ended inside a frame (3 of 5 bytes read)", header.getMessage());
        ProtocolException payload = assertThrows(ProtocolException.class,
                () -> reader(HexFormat.of().parseHex("4f" + "00000003" + "6869")).read(ControlProtocol.MAX_DATA));
        assertEquals("the connection ended inside a frame (2 of 3 bytes read)", payload.getMessage());
    }

    @Test
    void anExitFrameCarriesExactlyFourBytes() {
        assertThrows(ProtocolException.class, () -> new Frame(FrameType.EXIT, new byte[3]).status());
        assertThrows(ProtocolException.class, () -> Frame.text(FrameType.STDOUT, "0000").status());
    }

    @Test
    void aCommandFrameLargerThanAnyFrameIsNotWritten() {
        byte[] huge = new byte[ControlProtocol.MAX_DATA + 1];
        assertThrows(IllegalArgumentException.class, () -> writer.write(FrameType.COMMAND, huge, 0, huge.length));
        assertEquals(0, wire.size());
    }
}
