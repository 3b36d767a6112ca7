package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import layer45.mnet.testing.DnsMessages;
import org.junit.jupiter.api.Test;

/** The DNS query view: what it reads from a resolver's query, each reason it refuses bytes, and the response. */
class DnsPacketTest {

    private final DnsPacket view = new DnsPacket();

    @Test
    void aQueryAsDigSendsItIsReadInPlace() {
        byte[] q = DnsMessages.query(0x1234, "Srv.MHOST", DnsPacket.TYPE_AAAA, true);
        ByteBuffer buffer = ByteBuffer.allocate(q.length + 10).position(5);
        buffer.put(q).flip().position(5);
        assertEquals(DnsCheck.VALID, view.wrap(buffer).check());
        assertEquals(0x1234, view.id());
        assertTrue(view.recursionDesired());
        assertEquals(DnsPacket.TYPE_AAAA, view.questionType());
        assertEquals(DnsPacket.CLASS_IN, view.questionClass());
        assertTrue(view.hasOpt());
        assertEquals(4096, view.optPayloadSize());
        assertEquals("srv.mhost", view.questionName(new StringBuilder()).toString());
        assertEquals(12 + 11 + 4, view.questionEnd());
        assertEquals(5, buffer.position(), "the view never moves the buffer");
    }

    @Test
    void theRootAndOddBytesAreNamedSafely() {
        byte[] q = DnsMessages.query(1, ".", DnsPacket.TYPE_A, false);
        assertEquals(DnsCheck.VALID, view.wrap(ByteBuffer.wrap(q)).check());
        assertEquals("", view.questionName(new StringBuilder()).toString());
        byte[] odd = DnsMessages.query(1, "a.b", DnsPacket.TYPE_A, false);
        odd[13] = '.';
        odd[15] = (byte) 0xC3;
        assertEquals(DnsCheck.VALID, view.wrap(ByteBuffer.wrap(odd)).check());
        assertEquals("?.?", view.questionName(new StringBuilder()).toString());
    }

    @Test
    void aPointerBackIntoTheNameIsFollowed() {
        // 12: 1 'a' 0xC0 0x0E -> "a" then the name at 14... which is the pointer itself: refused, not followed forever
        byte[] loop = HexFormat.of().parseHex("000101000001000000000000" + "0161" + "c00e" + "00010001");
        assertEquals(DnsCheck.BAD_POINTER, view.wrap(ByteBuffer.wrap(loop)).check());
        // 12: 3 'a\0b', then a pointer to 14, the 0 inside the label: the name is "a?b" then the root
        byte[] inside = HexFormat.of().parseHex("000101000001000000000000" + "03610062" + "c00e" + "00010001");
        assertEquals(DnsCheck.VALID, view.wrap(ByteBuffer.wrap(inside)).check());
        assertEquals("a?b", view.questionName(new StringBuilder()).toString());
        // 12: 1 'a', pointer to 12 again and again: too many pointers
        byte[] again = HexFormat.of().parseHex("000101000001000000000000" + "0161" + "c00c" + "00010001");
        assertEquals(DnsCheck.BAD_POINTER, view.wrap(ByteBuffer.wrap(again)).check());
    }

    @Test
    void eachMalformationHasItsReason() {
        byte[] good = DnsMessages.query(7, "srv.mhost", DnsPacket.TYPE_A, true);
        assertEquals(DnsCheck.TRUNCATED, check(Arrays.copyOf(good, 11)));
        assertEquals(DnsCheck.RESPONSE, check(with(good, 2, 0x81)));
        assertEquals(DnsCheck.OPCODE, check(with(good, 2, 0x28)));
        assertEquals(DnsCheck.QUESTION_COUNT, check(with(good, 5, 2)));
        assertEquals(DnsCheck.QUESTION_COUNT, check(with(good, 5, 0)));
        assertEquals(DnsCheck.RECORDS_IN_QUERY, check(with(good, 7, 1)));
        assertEquals(DnsCheck.RECORDS_IN_QUERY, check(with(good, 9, 1)));
        assertEquals(DnsCheck.NAME_TRUNCATED, check(Arrays.copyOf(good, 16)));
        assertEquals(DnsCheck.NAME_TRUNCATED, check(with(good, 12, 60)));
        assertEquals(DnsCheck.LABEL_TYPE, check(with(good, 12, 0x43)));
        assertEquals(DnsCheck.BAD_POINTER, check(with(good, 12, 0xC0)));
        assertEquals(DnsCheck.RECORD_TRUNCATED, check(Arrays.copyOf(good, 12 + 11 + 2)));
        assertEquals(DnsCheck.RECORD_TRUNCATED, check(Arrays.copyOf(good, good.length - 1)));
        assertEquals(DnsCheck.TRAILING_BYTES, check(Arrays.copyOf(good, good.length + 1)));
        byte[] twoOpts = Arrays.copyOf(good, good.length + 11);
        System.arraycopy(good, good.length - 11, twoOpts, good.length, 11);
        twoOpts[11] = 2;
        assertEquals(DnsCheck.BAD_OPT, check(twoOpts));
        byte[] longName = DnsMessages.query(7, ("x".repeat(63) + ".").repeat(4) + "x", DnsPacket.TYPE_A, false);
        assertEquals(DnsCheck.NAME_TOO_LONG, check(longName));
        assertFalse(view.hasOpt());
    }

    @Test
    void theResponseRepeatsTheQuestionAndCarriesTheAddressesAndAnOpt() {
        byte[] q = DnsMessages.query(0xBEEF, "srv.mhost", DnsPacket.TYPE_ANY, true);
        assertEquals(DnsCheck.VALID, view.wrap(ByteBuffer.wrap(q)).check());
        ByteBuffer out = ByteBuffer.allocate(DnsResponse.MAX_LENGTH);
        int length = new DnsResponse().begin(out, view, DnsResponse.NOERROR).address(10, new byte[] {10, 46, 0, 9})
                .address(10, new byte[16]).finish();
        byte[] r = Arrays.copyOf(out.array(), length);
        assertEquals(length, out.position());
        assertEquals(0xBEEF, ByteBuffer.wrap(r).getShort(0) & 0xFFFF);
        assertEquals(0x8580, ByteBuffer.wrap(r).getShort(2) & 0xFFFF, "QR AA RD RA, NOERROR");
        assertEquals(2, DnsMessages.answers(r));
        assertEquals(1, ByteBuffer.wrap(r).getShort(10), "the OPT record");
        assertArrayEquals(Arrays.copyOfRange(q, 12, view.questionEnd()), Arrays.copyOfRange(r, 12,
                view.questionEnd()));
        assertArrayEquals(new byte[] {10, 46, 0, 9}, DnsMessages.addresses(r).get(0));
        assertEquals(16, DnsMessages.addresses(r).get(1).length);
        int nx = new DnsResponse().begin(out.clear(), view, DnsResponse.NXDOMAIN).finish();
        assertEquals(DnsResponse.NXDOMAIN, DnsMessages.rcode(Arrays.copyOf(out.array(), nx)));
    }

    private DnsCheck check(byte[] bytes) {
        return view.wrap(ByteBuffer.wrap(bytes)).check();
    }

    private static byte[] with(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
