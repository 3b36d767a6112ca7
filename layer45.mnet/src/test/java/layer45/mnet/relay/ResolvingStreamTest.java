package layer45.mnet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import layer45.mnet.HostAddress;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.mhost.MhostSettings;
import layer45.mnet.mhost.NameService;
import layer45.mnet.testing.DnsMessages;
import layer45.mnet.wire.DnsPacket;
import layer45.mnet.wire.DnsResponse;
import org.junit.jupiter.api.Test;

/** DNS over TCP to the stack: messages framed by their length, in any pieces, answered whole and in order. */
class ResolvingStreamTest {

    @Test
    void framedQueriesInPiecesAreAnsweredWholeThenTheStreamEnds() throws IOException {
        HostTable table = new HostTable(MhostSettings.defaults(Path.of("/tmp")));
        table.put("srv", List.of(HostAddress.parse("::1")));
        ResolvingStream stream = new ResolvingStream(new NameService(table, new NameService.Counters()), null);
        byte[] both = concat(framed(DnsMessages.query(1, "srv.mhost", DnsPacket.TYPE_A, false)),
                framed(DnsMessages.query(2, "example.org", DnsPacket.TYPE_A, false)));
        for (int i = 0; i < both.length; i += 5) { // as a program may send it, a few bytes at a time
            stream.write(ByteBuffer.wrap(both, i, Math.min(5, both.length - i)));
        }
        stream.shutdownOutput();
        byte[] first = readFrame(stream);
        assertEquals(1, first[1]);
        assertEquals(1, DnsMessages.answers(first));
        byte[] second = readFrame(stream);
        assertEquals(2, second[1]);
        assertEquals(DnsResponse.REFUSED, DnsMessages.rcode(second), "no upstream: refused");
        assertEquals(-1, stream.read(ByteBuffer.allocate(10)));
        assertEquals(-1, stream.read(ByteBuffer.allocate(10)), "and stays ended");
    }

    private static byte[] readFrame(ResolvingStream stream) throws IOException {
        ByteBuffer length = ByteBuffer.allocate(2);
        while (length.hasRemaining()) {
            stream.read(length);
        }
        ByteBuffer message = ByteBuffer.allocate(length.getShort(0) & 0xFFFF);
        while (message.hasRemaining()) {
            stream.read(message);
        }
        return message.array();
    }

    private static byte[] framed(byte[] message) {
        byte[] frame = new byte[2 + message.length];
        frame[0] = (byte) (message.length >>> 8);
        frame[1] = (byte) message.length;
        System.arraycopy(message, 0, frame, 2, message.length);
        return frame;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
