package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every view inherits from the shared bases behaves the same in all six: the window, the summary of bytes that
 * fail {@code check()}, and the argument checks of the ICMP message values.
 */
class PacketViewTest {

    private final List<PacketView<?>> views = List.of(new Ipv4Packet(), new Ipv6Packet(), new UdpPacket(),
            new TcpPacket(), new Icmpv4Packet(), new Icmpv6Packet());

    @Test
    void wrapTakesTheBuffersRemainingBytesAndLeavesItsPosition() {
        ByteBuffer b = ByteBuffer.allocate(64).position(10).limit(50);
        for (PacketView<?> view : views) {
            assertSame(view, view.wrap(b));
            assertSame(b, view.buffer());
            assertEquals(10, view.offset(), view.getClass().getSimpleName());
            assertEquals(40, view.length(), view.getClass().getSimpleName());
            assertEquals(10, b.position());
            assertEquals(50, b.limit());
        }
    }

    @Test
    void bytesThatFailTheCheckAreSummarizedByClassAndLength() {
        for (PacketView<?> view : views) {
            String name = view.getClass().getSimpleName();
            assertEquals(name + "(unchecked, 0 bytes)", view.toString(), "never wrapped");
            view.wrap(ByteBuffer.allocate(7));
            assertEquals(name + "(unchecked, 7 bytes)", view.toString(), "shorter than any header");
        }
    }

    @Test
    void icmpValueChecksNameTheVersionAndField() {
        assertEquals("ICMPv4 echo identifier 65536 is outside 0..65535", assertThrows(IllegalArgumentException.class,
                () -> new Icmpv4Repr.EchoRequest(65536, 0, 0)).getMessage());
        assertEquals("ICMPv6 echo sequence -1 is outside 0..65535", assertThrows(IllegalArgumentException.class,
                () -> new Icmpv6Repr.EchoReply(0, -1, 0)).getMessage());
        assertEquals("ICMPv6 code 256 is outside 0..255", assertThrows(IllegalArgumentException.class,
                () -> new Icmpv6Repr.TimeExceeded(256, 0)).getMessage());
        assertEquals("ICMPv4 data length -1 is outside 0..2147483639", assertThrows(IllegalArgumentException.class,
                () -> new Icmpv4Repr.Other(13, 0, 0, -1)).getMessage());
        assertEquals("ICMPv4 next-hop MTU 65536 is outside 0..65535", assertThrows(IllegalArgumentException.class,
                () -> new Icmpv4Repr.DestUnreachable(4, 65536, -1)).getMessage(), "fields are checked in order");
    }

    @Test
    void echoValuesCarryIdentAndSeqInTheRestOfTheHeader() {
        Icmpv6Repr request = new Icmpv6Repr.EchoRequest(0x1234, 0xABCD, 5);
        assertEquals(0, request.code());
        assertEquals(0x1234_ABCD, request.restOfHeader());
        assertEquals(13, request.bufferLength());
        Icmpv4Packet p = new Icmpv4Packet().wrap(ByteBuffer.allocate(8));
        new Icmpv4Repr.EchoReply(0xFFFF, 1, 0).emit(p);
        assertEquals(Icmpv4Type.ECHO_REPLY, p.type());
        assertEquals(0xFFFF, p.echoIdent());
        assertEquals(1, p.echoSeq());
        assertEquals(new Icmpv4Repr.EchoReply(0xFFFF, 1, 0), Icmpv4Repr.parse(p));
    }
}
