package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import layer45.mnet.HostAddress;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.mhost.MhostSettings;
import layer45.mnet.mhost.NameService;

/**
 * Fuzzes the stack's DNS: the query view ({@link DnsPacket}) and the name service that answers from it. Whatever the
 * bytes, nothing is thrown, the view never reads past what it wraps nor moves the buffer, a valid query's name is
 * at most 253 characters, and every answer is a response to that query (same id, QR set) that fits its buffer.
 *
 * <p>Input: the bytes of one message, as a UDP datagram to port 53 carries it. The committed inputs in
 * {@code DnsFuzzTestInputs/fuzz/} are seeds: queries as dig and glibc send them (for an identifier, in and out of
 * the domain, with EDNS), reverse lookups (PTR) of virtual addresses, and a compressed name.
 */
class DnsFuzzTest {

    private static final HostTable TABLE = new HostTable(MhostSettings.defaults(Path.of("/tmp")));

    static {
        TABLE.put("srv", List.of(HostAddress.parse("::1"), HostAddress.parse("127.0.0.1")));
    }

    @FuzzTest
    void fuzz(byte[] input) {
        // a window in the middle of a larger buffer: reading outside it would be caught by the slice's bounds
        ByteBuffer buffer = ByteBuffer.allocate(input.length + 8).position(4);
        buffer.put(input).flip().position(4);
        ByteBuffer window = buffer.slice();
        DnsPacket view = new DnsPacket().wrap(window);
        if (view.check() == DnsCheck.VALID) {
            String name = view.questionName(new StringBuilder()).toString();
            assertTrue(name.length() <= 253, name);
            view.questionType();
            view.questionClass();
        }
        assertEquals(0, window.position());
        ByteBuffer out = ByteBuffer.allocate(DnsResponse.MAX_LENGTH);
        NameService names = new NameService(TABLE, new NameService.Counters());
        if (names.answer(window, out) == NameService.Outcome.ANSWERED) {
            assertTrue(out.position() >= DnsPacket.HEADER_LENGTH && out.position() <= DnsResponse.MAX_LENGTH);
            assertEquals(window.getShort(0), out.getShort(0), "the query's id");
            assertTrue((out.get(2) & 0x80) != 0, "a response");
        } else {
            names.refuse(out.clear());
        }
        assertEquals(0, window.position());
    }
}
