package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChecksumTest {

    /** The textbook definition, 16 bits at a time, to compare the fast code with. */
    private static int reference(byte[] b, int offset, int length, long initial) {
        long sum = initial;
        for (int i = 0; i < length; i += 2) {
            int hi = b[offset + i] & 0xFF;
            int lo = i + 1 < length ? b[offset + i + 1] & 0xFF : 0;
            sum += hi << 8 | lo;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    @Test
    void rfc1071Example() {
        // RFC 1071, section 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2, so the checksum is 220d.
        ByteBuffer b = WireFixtures.buffer("0001f203f4f5f6f7");
        long acc = Checksum.add(b, 0, 8, 0);
        assertEquals(0xDDF2, Checksum.fold(acc));
        assertEquals(0x220D, Checksum.finish(acc));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "'', ffff",
        "01, feff",
        "0102, fefd",
        "010203, fbfd",
        "ffff, 0000",
        "0001f203f4f5f6f7ab, 770c",
    })
    void shortAndOddLengths(String hex, String expected) {
        ByteBuffer b = WireFixtures.buffer(hex);
        assertEquals(Integer.parseInt(expected, 16), Checksum.finish(Checksum.add(b, 0, b.limit(), 0)));
    }

    @Test
    void matchesTheDefinitionAtEveryOffsetAndLength() {
        Random random = new Random(1071);
        byte[] bytes = new byte[300];
        for (int round = 0; round < 5_000; round++) {
            random.nextBytes(bytes);
            int offset = random.nextInt(40);
            int length = random.nextInt(bytes.length - offset);
            long initial = random.nextInt(1 << 20);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            assertEquals(reference(bytes, offset, length, initial), Checksum.finish(Checksum.add(b, offset, length,
                    initial)), "offset " + offset + " length " + length);
        }
    }

    @Test
    void chainedEvenRegionsSumLikeOneRegion() {
        Random random = new Random(7);
        byte[] bytes = new byte[200];
        random.nextBytes(bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        for (int split = 0; split <= 200; split += 2) {
            long chained = Checksum.add(b, split, 200 - split, Checksum.add(b, 0, split, 0));
            assertEquals(Checksum.finish(Checksum.add(b, 0, 200, 0)), Checksum.finish(chained), "split " + split);
        }
    }

    @Test
    void largeRegionsDoNotOverflowTheAccumulator() {
        byte[] bytes = new byte[3 << 20];
        java.util.Arrays.fill(bytes, (byte) 0xFF);
        bytes[12345] = 0x12;
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertEquals(reference(bytes, 1, bytes.length - 1, 0), Checksum.finish(Checksum.add(b, 1, bytes.length - 1,
                0)));
    }

    @Test
    void directBuffersSumLikeHeapBuffers() {
        byte[] bytes = new byte[101];
        new Random(3).nextBytes(bytes);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(0, bytes);
        assertEquals(reference(bytes, 3, 98, 0), Checksum.finish(Checksum.add(direct, 3, 98, 0)));
    }

    @Test
    void pseudoHeaderSumsTheFieldsAsWords() {
        // 10.0.0.1 > 10.0.0.2, UDP, length 16: 0a00 + 0001 + 0a00 + 0002 + 0011 + 0010.
        assertEquals(0x0A00 + 0x0001 + 0x0A00 + 0x0002 + 0x11 + 16,
                Checksum.fold(Checksum.pseudoHeaderV4(0x0A00_0001, 0x0A00_0002, 17, 16)));
        // 2001:db8::1 > 2001:db8::2, TCP, length 40000 (exceeds 16 bits in no way, but is summed as 32 bits).
        long v6 = Checksum.pseudoHeaderV6(0x2001_0DB8_0000_0000L, 1, 0x2001_0DB8_0000_0000L, 2, 6, 70_000);
        long expected = 2 * (0x2001 + 0x0DB8) + 1 + 2 + 6 + (70_000 >>> 16) + (70_000 & 0xFFFF);
        assertEquals(Checksum.fold(expected), Checksum.fold(v6));
    }

    @Test
    void incrementalUpdatesEqualRecomputation() {
        Random random = new Random(1624);
        byte[] bytes = new byte[40];
        ByteBuffer b = ByteBuffer.wrap(bytes);
        for (int round = 0; round < 20_000; round++) {
            random.nextBytes(bytes);
            bytes[0] |= 1; // never all zero: then +0 and -0 would both be right
            int before = Checksum.finish(Checksum.add(b, 0, bytes.length, 0));
            int updated;
            switch (round % 3) {
                case 0 -> {
                    int at = 2 * random.nextInt(19) + 2;
                    int old = b.getShort(at) & 0xFFFF;
                    int now = random.nextInt(1 << 16);
                    b.putShort(at, (short) now);
                    updated = Checksum.update16(before, old, now);
                }
                case 1 -> {
                    int at = 2 * random.nextInt(17) + 2;
                    int old = b.getInt(at);
                    int now = random.nextInt();
                    b.putInt(at, now);
                    updated = Checksum.update32(before, old, now);
                }
                default -> {
                    int at = 2 * random.nextInt(15) + 2;
                    long old = b.getLong(at);
                    long now = random.nextLong();
                    b.putLong(at, now);
                    updated = Checksum.update64(before, old, now);
                }
            }
            assertEquals(Checksum.finish(Checksum.add(b, 0, bytes.length, 0)), updated, "round " + round);
        }
    }
}
