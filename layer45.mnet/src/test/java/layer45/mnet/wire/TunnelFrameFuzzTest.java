package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzzes the tunnel's frame view ({@link TunnelFrame}): whatever the datagram, nothing is thrown, the buffer does
 * not move, and a valid frame's packet lies within the datagram and has an EtherType.
 *
 * <p>Input: the bytes of one UDP datagram as the tunnel's socket receives it.
 */
class TunnelFrameFuzzTest {

    @FuzzTest
    void fuzz(byte[] input) {
        ByteBuffer buffer = ByteBuffer.allocate(input.length + 8).position(4);
        buffer.put(input).flip().position(4);
        ByteBuffer window = buffer.slice();
        TunnelFrame frame = new TunnelFrame().wrap(window);
        if (frame.check() == TunnelCheck.VALID) {
            assertTrue(frame.packetLength() > 0 && frame.packetLength() <= window.limit() - TunnelFrame.HEADER_LENGTH);
            assertTrue(frame.linkProtocol() >= 0x0600);
        }
        assertEquals(0, window.position());
    }
}
