package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import layer45.mnet.socket.PagePool;
import org.junit.jupiter.api.Test;

class SendBufferTest {

    private static ByteBuffer bytes(int from, int count) {
        ByteBuffer b = ByteBuffer.allocate(count);
        for (int i = 0; i < count; i++) {
            b.put(i, (byte) (from + i));
        }
        return b;
    }

    private static byte[] copy(SendBuffer buffer, int offset, int length) {
        ByteBuffer dst = ByteBuffer.allocate(length + 3);
        buffer.copyTo(offset, dst, 3, length);
        assertEquals(0, dst.position(), "copyTo leaves the position alone");
        return Arrays.copyOfRange(dst.array(), 3, 3 + length);
    }

    @Test
    void takesWhatFitsAndAdvancesTheSource() {
        SendBuffer buffer = new SendBuffer(10);
        ByteBuffer src = bytes(0, 16);
        src.position(2);
        assertEquals(10, buffer.write(src));
        assertEquals(12, src.position());
        assertEquals(10, buffer.size());
        assertEquals(0, buffer.free());
        assertEquals(0, buffer.write(src), "full");
        assertEquals(12, src.position());
        assertArrayEquals(new byte[] {2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, copy(buffer, 0, 10));
        assertEquals(10, buffer.capacity());
    }

    @Test
    void copiesAcrossTheEndOfTheRing() {
        SendBuffer buffer = new SendBuffer(8);
        buffer.write(bytes(0, 6));
        buffer.discard(5);
        assertEquals(1, buffer.size());
        assertEquals(6, buffer.write(bytes(6, 6)), "the ring wraps: 1 + 6 of 8 held");
        assertArrayEquals(new byte[] {5, 6, 7, 8, 9, 10, 11}, copy(buffer, 0, 7));
        assertArrayEquals(new byte[] {7, 8, 9}, copy(buffer, 2, 3));
        assertArrayEquals(new byte[0], copy(buffer, 7, 0));
        buffer.discard(7);
        assertEquals(0, buffer.size());
        assertEquals(8, buffer.free());
    }

    @Test
    void rejectsCopiesAndDiscardsOutsideWhatItHolds() {
        SendBuffer buffer = new SendBuffer(8);
        buffer.write(bytes(0, 4));
        ByteBuffer dst = ByteBuffer.allocate(8);
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.copyTo(1, dst, 0, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.copyTo(-1, dst, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.copyTo(0, dst, 6, 4), "dst too small");
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.copyTo(0, dst, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> buffer.discard(5));
        assertThrows(IllegalArgumentException.class, () -> buffer.discard(-1));
        assertEquals(4, buffer.size(), "a refused call changes nothing");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SendBuffer(0));
        assertEquals("a send buffer holds at least 1 byte; capacity 0 was given", e.getMessage());
    }

    @Test
    void clearEmptiesIt() {
        SendBuffer buffer = new SendBuffer(8);
        buffer.write(bytes(0, 7));
        buffer.discard(3);
        buffer.clear();
        assertEquals(0, buffer.size());
        buffer.write(bytes(40, 8));
        assertArrayEquals(new byte[] {40, 41, 42, 43, 44, 45, 46, 47}, copy(buffer, 0, 8));
    }

    /** The stream written is one long byte array; the buffer must always hold exactly [acked, written) of it. */
    @Test
    void agreesWithTheStreamUnderRandomWritesCopiesAndAcks() {
        for (long seed = 1; seed <= 4; seed++) {
            Random random = new Random(seed);
            byte[] stream = new byte[1 << 21];
            random.nextBytes(stream);
            int capacity = 1 + random.nextInt(3000);
            // Pages from 1 byte up: every copy crosses pages, and pages come and go as bytes are written and acked.
            SendBuffer buffer = seed % 2 == 0 ? new SendBuffer(capacity)
                    : new SendBuffer(capacity, new PagePool(1 + random.nextInt(300), Long.MAX_VALUE, 4096), 0);
            ByteBuffer source = ByteBuffer.wrap(stream);
            ByteBuffer dst = seed % 2 == 0 ? ByteBuffer.allocate(capacity + 16) : ByteBuffer.allocateDirect(capacity + 16);
            int written = 0;
            int acked = 0;
            for (int step = 0; step < 20_000 && written < stream.length - 4 * capacity; step++) {
                switch (random.nextInt(3)) {
                    case 0 -> {
                        int want = random.nextInt(capacity + 2);
                        source.limit(written + want).position(written);
                        int took = buffer.write(source);
                        assertEquals(Math.min(want, capacity - (written - acked)), took);
                        assertEquals(written + took, source.position());
                        written += took;
                    }
                    case 1 -> {
                        int held = written - acked;
                        int offset = held == 0 ? 0 : random.nextInt(held + 1);
                        int length = random.nextInt(held - offset + 1);
                        int at = random.nextInt(17);
                        buffer.copyTo(offset, dst, at, length);
                        for (int i = 0; i < length; i++) {
                            assertEquals(stream[acked + offset + i], dst.get(at + i));
                        }
                    }
                    default -> {
                        int n = random.nextInt(written - acked + 1);
                        buffer.discard(n);
                        acked += n;
                    }
                }
                assertEquals(written - acked, buffer.size());
                assertEquals(capacity - (written - acked), buffer.free());
            }
        }
    }

    @Test
    void holdsPagesOnlyForTheBytesItHoldsAndGivesThemBackWhenAcknowledged() {
        PagePool pool = new PagePool(4, Long.MAX_VALUE, 1024);
        SendBuffer buffer = new SendBuffer(10, pool, 0);
        assertEquals(0, buffer.memoryHeld(), "a fresh buffer holds no memory");
        buffer.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}));
        assertEquals(8, buffer.memoryHeld(), "5 bytes take two pages of 4");
        buffer.discard(4);
        assertEquals(4, buffer.memoryHeld(), "the page of acknowledged bytes went back");
        buffer.write(ByteBuffer.wrap(new byte[] {6, 7, 8, 9, 10, 11, 12, 13, 14}));
        assertEquals(10, buffer.size());
        assertEquals(12, buffer.memoryHeld(), "10 bytes from position 4 span three pages");
        ByteBuffer out = ByteBuffer.allocate(10);
        buffer.copyTo(0, out, 0, 10);
        assertArrayEquals(new byte[] {5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, out.array());
        buffer.discard(10);
        assertEquals(0, buffer.memoryHeld(), "an empty buffer holds nothing");
        assertEquals(0, pool.bytesInUse());
    }

    @Test
    void takesOnlyWhatTheBudgetHasPagesForPastItsReservedPage() {
        PagePool pool = new PagePool(4, 8, 0);
        assertEquals(true, pool.reserve(4), "the owner's reservation: one page");
        SendBuffer buffer = new SendBuffer(100, pool, 1);
        assertEquals(8, buffer.write(ByteBuffer.wrap(new byte[20])),
                "the reserved page and the one page the budget has left");
        assertEquals(0, buffer.write(ByteBuffer.wrap(new byte[20])), "the budget is used up");
        assertEquals(100 - 8, buffer.free(), "free counts the capacity; writes take what memory allows");
        buffer.discard(8);
        assertEquals(4, pool.charged(), "only the reservation is left charged");
        assertEquals(8, buffer.write(ByteBuffer.wrap(new byte[20])), "pages came back to the budget");
    }
}
