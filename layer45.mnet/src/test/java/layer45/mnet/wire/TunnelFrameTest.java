package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import layer45.mnet.phy.LinkProtocol;
import org.junit.jupiter.api.Test;

/** The tunnel's frame: written and read back, and every malformed datagram named by its reason. */
class TunnelFrameTest {

    private final TunnelFrame frame = new TunnelFrame();

    private static ByteBuffer framed(int protocol, int packetLength) {
        ByteBuffer datagram = ByteBuffer.allocate(TunnelFrame.HEADER_LENGTH + packetLength);
        TunnelFrame.writeHeader(datagram, protocol);
        return datagram;
    }

    @Test
    void aWrittenHeaderReadsBack() {
        ByteBuffer datagram = framed(LinkProtocol.EXPERIMENTAL_1, 20);

        assertEquals(TunnelCheck.VALID, frame.wrap(datagram).check());
        assertEquals(LinkProtocol.EXPERIMENTAL_1, frame.linkProtocol());
        assertEquals(20, frame.packetLength());
        assertEquals(0, datagram.position(), "the view does not move the buffer");
        assertEquals("4c35010088b50000", java.util.HexFormat.of().formatHex(datagram.array(), 0, 8));
    }

    @Test
    void malformedDatagramsAreNamedByTheirReason() {
        assertEquals(TunnelCheck.TRUNCATED, frame.wrap(ByteBuffer.allocate(7)).check());
        assertEquals(TunnelCheck.BAD_MAGIC, frame.wrap(framed(LinkProtocol.IPV4, 20).put(0, (byte) 'X')).check());
        assertEquals(TunnelCheck.BAD_VERSION, frame.wrap(framed(LinkProtocol.IPV4, 20).put(2, (byte) 2)).check());
        assertEquals(TunnelCheck.BAD_PROTOCOL, frame.wrap(framed(0x05FF, 20)).check());
        assertEquals(TunnelCheck.EMPTY, frame.wrap(framed(LinkProtocol.IPV6, 0)).check());
    }

    @Test
    void reservedBytesAreIgnoredOnReceipt() {
        ByteBuffer datagram = framed(LinkProtocol.IPV6, 40).put(3, (byte) 0xFF).putShort(6, (short) -1);

        assertEquals(TunnelCheck.VALID, frame.wrap(datagram).check());
    }
}
