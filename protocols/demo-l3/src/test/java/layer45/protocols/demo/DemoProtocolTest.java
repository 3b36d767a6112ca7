package layer45.protocols.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.Random;
import layer45.mnet.NetworkHeader;
import org.junit.jupiter.api.Test;

/** The demo handler on its own: headers it emits parse back, and every malformed packet has its drop reason. */
class DemoProtocolTest {

    private final DemoProtocol demo = new DemoProtocol();
    private final NetworkHeader header = new NetworkHeader();

    private ByteBuffer emitted(int payloadLength) {
        NetworkHeader out = new NetworkHeader().source(0xfd4d000000000000L, 1).destination(0xfd4d000000000000L, 2)
                .transport(17, 64).payload(DemoPacket.HEADER_LENGTH, payloadLength);
        ByteBuffer packet = ByteBuffer.allocate(demo.headerLength(out) + payloadLength);
        packet.put(0, new byte[packet.capacity()]);
        for (int i = 0; i < DemoPacket.HEADER_LENGTH; i++) {
            packet.put(i, (byte) 0x5A); // stale bytes: emit must write every header byte
        }
        demo.emit(packet, out);
        return packet;
    }

    @Test
    void anEmittedHeaderParsesBack() {
        ByteBuffer packet = emitted(12);

        assertNull(demo.parse(packet, header));

        assertEquals(0xfd4d000000000000L, header.srcHigh());
        assertEquals(1, header.srcLow());
        assertEquals(2, header.dstLow());
        assertEquals(17, header.transportProtocol());
        assertEquals(64, header.hopLimit());
        assertEquals(DemoPacket.HEADER_LENGTH, header.payloadOffset());
        assertEquals(12, header.payloadLength());
        assertEquals(0, packet.get(6) | packet.get(7), "reserved bytes are zero");
        assertEquals("demo", demo.name());
        assertEquals(0x88B5, demo.linkProtocol());
    }

    @Test
    void paddingAfterThePayloadIsIgnored() {
        ByteBuffer padded = ByteBuffer.allocate(DemoPacket.HEADER_LENGTH + 20);
        padded.put(0, emitted(12), 0, DemoPacket.HEADER_LENGTH + 12);

        assertNull(demo.parse(padded, header));
        assertEquals(12, header.payloadLength());
    }

    @Test
    void malformedPacketsAreNamedByTheirDropReason() {
        assertEquals("truncated", demo.parse(ByteBuffer.allocate(DemoPacket.HEADER_LENGTH - 1), header));
        assertEquals("bad-magic", demo.parse(emitted(8).put(0, (byte) 0x45), header));
        assertEquals("bad-version", demo.parse(emitted(8).put(1, (byte) 2), header));
        assertEquals("bad-length", demo.parse(emitted(8).putShort(4, (short) 9), header));
        assertEquals("zero-hop-limit", demo.parse(emitted(8).put(3, (byte) 0), header));
    }

    @Test
    void noInputMakesTheParserThrow() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            if (bytes.length > 1 && random.nextBoolean()) {
                bytes[0] = (byte) DemoPacket.MAGIC;
                bytes[1] = DemoPacket.VERSION;
            }
            ByteBuffer packet = ByteBuffer.wrap(bytes);
            String problem = demo.parse(packet, header);
            if (problem == null) {
                assertEquals(true, header.payloadOffset() + header.payloadLength() <= bytes.length);
            }
            assertEquals(0, packet.position());
        }
    }
}
