package layer45.runtime.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import layer45.api.Chunk;
import layer45.api.Output;
import layer45.api.Verdict;

/** The output a module writes: pooled memory, limited per call, delivered by the verdict. */
class OutputBufferTest {

    static final ViewOwner OWNER = new StrictOwner("output-test");

    final BufferPool pool = new BufferPool();
    final ChunkCursor chunk = new ChunkCursor(OWNER);
    final OutputBuffer output = new OutputBuffer(OWNER, pool, chunk);

    /** Lends the chunk "0123456789" (in three segments) and an output limited to {@code limit} bytes. */
    void lend(int limit) {
        lendChunk(bytes("0123"), bytes("45"), bytes("6789"));
        output.lend(limit);
    }

    void lendChunk(byte[]... parts) {
        ByteBuffer[] segments = new ByteBuffer[parts.length];
        for (int i = 0; i < parts.length; i++) {
            byte[] padded = new byte[parts[i].length + 3];
            System.arraycopy(parts[i], 0, padded, 3, parts[i].length);
            segments[i] = ByteBuffer.wrap(padded, 3, parts[i].length).asReadOnlyBuffer();
        }
        chunk.lend(segments, parts.length, false, false, 4096);
    }

    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 13 + seed);
        }
        return b;
    }

    /** @return everything written, as the runtime delivers it */
    byte[] written() {
        return delivered(output, output.written());
    }

    /** @return the first {@code n} bytes of {@code output}, as the runtime delivers them (read-only views, in order) */
    static byte[] delivered(OutputBuffer output, int n) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        output.deliverTo(view -> {
            assertTrue(view.isReadOnly(), "the sink gets read-only views");
            byte[] part = new byte[view.remaining()];
            view.get(view.position(), part);
            out.write(part, 0, part.length);
        }, n);
        return out.toByteArray();
    }

    // ---- writes ----

    @Test
    void anOutputIsEmptyAtTheStartOfACall() {
        lend(1024);
        assertEquals(0, output.length());
        assertEquals(1024, output.maxLength());
        assertEquals(0, output.written());
        assertFalse(output.hasExplicitLength());
    }

    @Test
    void everyKindOfWriteAppendsInOrder() {
        lend(1 << 16);
        assertSame(output, output.write(bytes("ab")));
        assertSame(output, output.write(bytes("xcdx"), 1, 2));
        assertSame(output, output.write(ByteBuffer.wrap(bytes("ef"))));
        ByteBuffer direct = ByteBuffer.allocateDirect(4).put(bytes("ghij")).flip();
        direct.position(0).limit(2);
        assertSame(output, output.write(direct));
        ByteBuffer readOnly = ByteBuffer.wrap(bytes("--ij--"), 2, 2).asReadOnlyBuffer();
        output.write(readOnly);
        assertSame(output, output.writeByte('k'));
        chunk.advance(3);
        assertTrue(output.transferFrom(chunk, 4)); // "3456", across two segment boundaries
        output.write(new byte[0]).write(ByteBuffer.allocate(0)).write(bytes("zz"), 1, 0);

        assertArrayEquals(bytes("abcdefghijk3456"), written());
        assertEquals(15, output.length());
        assertEquals(15, output.written());
        assertEquals(7, chunk.position(), "transferFrom advanced the chunk");
    }

    @Test
    void writingAByteBufferConsumesItsRemainingBytes() {
        lend(1024);
        ByteBuffer src = ByteBuffer.wrap(bytes("0123456789"), 2, 5);
        output.write(src);
        assertEquals(7, src.position());
        assertEquals(7, src.limit());
        assertArrayEquals(bytes("23456"), written());
    }

    @ParameterizedTest(name = "writeByte({0})")
    @CsvSource(textBlock = """
            0,     0
            127,   127
            128,   -128
            255,   -1
            256,   0
            511,   -1
            -1,    -1
            -129,  127
            """)
    void writeByteKeepsTheLowEightBits(int value, byte stored) {
        lend(1024);
        output.writeByte(value);
        assertEquals(stored, output.byteAt(0));
    }

    @Test
    void writingAnArrayRangeThatDoesNotFitTheArrayThrowsAndWritesNothing() {
        lend(1024);
        output.write(bytes("ok"));
        byte[] src = bytes("abcd");
        assertThrows(IndexOutOfBoundsException.class, () -> output.write(src, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> output.write(src, 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> output.write(src, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> output.write(src, 5, 0));
        assertArrayEquals(bytes("ok"), written());
    }

    // ---- growth and the limit ----

    @Test
    void growingAcrossBlockSizeClassesKeepsEveryEarlierByte() {
        int limit = 8 << 20;
        lend(limit);
        int[] sizes = {1, 5 << 10, 100 << 10, 2 << 20, 0};
        sizes[4] = limit - Arrays.stream(sizes).sum(); // fill up to the limit exactly
        byte[] expected = new byte[limit];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            byte[] piece = pattern(sizes[i], i + 1);
            output.write(piece);
            System.arraycopy(piece, 0, expected, at, piece.length);
            at += piece.length;
            assertEquals(at, output.length());
            assertArrayEquals(Arrays.copyOf(expected, at), written(), "after writing " + sizes[i] + " bytes");
        }
        assertEquals(limit, output.length());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> output.writeByte(0));
        assertTrue(e.getMessage().contains(String.valueOf(limit)), e.getMessage());
        assertArrayEquals(expected, written(), "a refused write leaves what was written");
    }

    @Test
    void growingOneByteAtATimeAcrossTheFirstBlockBoundaryKeepsTheBytes() {
        lend(20_000);
        for (int i = 0; i < 16_500; i++) {
            output.writeByte(i);
        }
        for (int i = 0; i < 16_500; i++) {
            assertEquals((byte) i, output.byteAt(i), "byte " + i);
        }
    }

    @Test
    void growingGivesTheSmallerBlockBackToThePool() {
        lend(1 << 20);
        output.writeByte(1);
        assertEquals(0, pool.freeBytes());
        output.write(new byte[5000]); // beyond 4 KiB: a 16 KiB block replaces the 4 KiB one
        assertEquals(BufferPool.MIN_BLOCK, pool.freeBytes());
        assertEquals(1, output.byteAt(0));
    }

    /** Each way of writing {@code n} bytes into the output. */
    static Stream<Arguments> writers() {
        return Stream.of(
                Arguments.of("write(byte[])", (Writer) (o, c, n) -> o.write(new byte[n])),
                Arguments.of("write(byte[],off,len)", (Writer) (o, c, n) -> o.write(new byte[n + 2], 1, n)),
                Arguments.of("write(ByteBuffer)", (Writer) (o, c, n) -> o.write(ByteBuffer.allocate(n))),
                Arguments.of("write(direct ByteBuffer)", (Writer) (o, c, n) -> o.write(ByteBuffer.allocateDirect(n))),
                Arguments.of("writeByte", (Writer) (o, c, n) -> {
                    for (int i = 0; i < n; i++) {
                        o.writeByte(i);
                    }
                }),
                Arguments.of("transferFrom", (Writer) (o, c, n) -> o.transferFrom(c, n)));
    }

    @FunctionalInterface
    interface Writer {
        void write(Output output, Chunk chunk, int n);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writers")
    void exceedingTheOutputLimitThrowsNamingTheLimitAndKeepsWhatWasWritten(String name, Writer writer) {
        lend(1024);
        byte[] first = pattern(1020, 5);
        output.write(first);
        writer.write(output, chunk, 4); // exactly up to the limit is fine
        assertEquals(1024, output.length());
        output.truncate(1020);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> writer.write(output, chunk, 5));
        assertTrue(e.getMessage().contains("1024"), "names the limit: " + e.getMessage());
        assertTrue(e.getMessage().contains("output.limit"), "names the setting: " + e.getMessage());
        assertTrue(e.getMessage().contains("output-test"), "names the module: " + e.getMessage());
        assertTrue(output.length() <= 1024, "never beyond the limit");
        assertArrayEquals(first, Arrays.copyOf(written(), 1020), "bytes written before are intact");
    }

    @Test
    void aRefusedByteBufferWriteLeavesTheSourceUnconsumed() {
        lend(1024);
        ByteBuffer big = ByteBuffer.allocate(2000);
        assertThrows(IllegalStateException.class, () -> output.write(big));
        assertEquals(0, big.position());
        assertEquals(0, output.length());
    }

    @Test
    void aRefusedTransferLeavesTheChunkWhereItWas() {
        lendChunk(new byte[600], new byte[600]);
        output.lend(1024);
        output.write(new byte[1000]);
        chunk.advance(10);
        assertThrows(IllegalStateException.class, () -> output.transferFrom(chunk, 100));
        assertEquals(10, chunk.position());
        assertEquals(1000, output.length());
    }

    // ---- transferFrom ----

    /** A long chunk as a wrapped ring: its end in one direct segment, its start in another. */
    byte[] lendRing(int first, int second) {
        byte[] data = pattern(first + second, 3);
        ByteBuffer ring = ByteBuffer.allocateDirect(second + 32 + first);
        ring.put(second + 32, data, 0, first);
        ring.put(0, data, first, second);
        ByteBuffer end = ring.duplicate().position(second + 32);
        ByteBuffer start = ring.duplicate().limit(second).position(0);
        chunk.lend(new ByteBuffer[] {end, start}, 2, false, false, 4096);
        return data;
    }

    /** Tags every {@code interval} bytes of the chunk, as bulk-tag does: transfers by reference between writes. */
    byte[] tagEvery(int interval, byte[] tag) {
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        while (chunk.remaining() > 0) {
            int n = Math.min(interval, chunk.remaining());
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) {
                data[i] = chunk.byteAt(i);
            }
            assertTrue(output.transferFrom(chunk, n));
            output.write(tag);
            expected.write(data, 0, n);
            expected.write(tag, 0, tag.length);
        }
        return expected.toByteArray();
    }

    @Test
    void longTransfersAcrossARingWrapInterleavedWithWritesDeliverTheBytesInOrder() {
        byte[] data = lendRing(3000, 2100);
        output.lend(8192);
        byte[] expected = tagEvery(1000, bytes("<TAG>"));
        assertEquals(5100 + 6 * 5, output.length());
        assertArrayEquals(expected, written());
        for (int i = 0; i < expected.length; i += 97) {
            assertEquals(expected[i], output.byteAt(i), "byteAt(" + i + ")");
        }
        assertEquals(data.length, chunk.position(), "the chunk advanced past every byte transferred");
        List<ByteBuffer> views = new java.util.ArrayList<>();
        output.deliverTo(views::add, expected.length);
        // 5 ranges of the chunk, and 5 of the block: 4 tags, then the last 100 bytes (copied) with the last tag
        assertEquals(10, views.size(), "the chunk's long ranges are passed, not copied");
        assertTrue(views.stream().allMatch(ByteBuffer::isReadOnly), "every view is read-only");
    }

    @Test
    void deliveringFewerBytesThanWrittenStopsInsideAPiece() {
        lendRing(700, 700);
        output.lend(4096);
        byte[] expected = tagEvery(600, bytes("!!"));
        for (int n : new int[] {0, 1, 599, 600, 601, 602, 1000, expected.length}) {
            assertArrayEquals(Arrays.copyOf(expected, n), delivered(output, n), "the first " + n + " bytes");
        }
    }

    @Test
    void aTransferAfterAdvanceAndRevertTakesTheBytesAtThePosition() {
        byte[] data = lendRing(500, 500);
        output.lend(4096);
        chunk.advance(400);
        chunk.revert(100);
        assertTrue(output.transferFrom(chunk, 400), "from 300, across the wrap at 500");
        assertFalse(output.transferFrom(chunk, 301), "only 300 remain: nothing transferred");
        assertEquals(700, chunk.position());
        assertArrayEquals(Arrays.copyOfRange(data, 300, 700), written());
    }

    @Test
    void setByteOnTransferredBytesChangesTheOutputNotTheChunk() {
        byte[] data = lendRing(400, 400);
        output.lend(4096);
        assertTrue(output.transferFrom(chunk, 800));
        output.setByte(450, 'X');
        byte[] expected = data.clone();
        expected[450] = 'X';
        assertArrayEquals(expected, written());
        chunk.revert(800);
        assertEquals(data[450], chunk.byteAt(450), "the chunk is read-only (rule 8)");
        output.write(bytes("end"));
        assertArrayEquals(bytes("end"), Arrays.copyOfRange(written(), 800, 803), "writes continue after the copy");
    }

    @Test
    void truncateInsideATransferThenWritingContinuesFromThere() {
        byte[] data = lendRing(300, 300);
        output.lend(4096);
        output.write(bytes("head"));
        assertTrue(output.transferFrom(chunk, 600));
        output.write(bytes("tail"));
        output.truncate(4 + 350);
        output.write(bytes("new"));
        byte[] expected = new byte[4 + 350 + 3];
        System.arraycopy(bytes("head"), 0, expected, 0, 4);
        System.arraycopy(data, 0, expected, 4, 350);
        System.arraycopy(bytes("new"), 0, expected, 354, 3);
        assertArrayEquals(expected, written());
        output.truncate(2);
        assertArrayEquals(bytes("he"), written());
        output.truncate(0);
        assertArrayEquals(new byte[0], written());
    }

    @Test
    void copyReferencesToKeepsTheOutputWhenTheRuntimeReusesThatSegment() {
        byte[] held = pattern(600, 9);
        ByteBuffer heldSegment = ByteBuffer.wrap(held.clone());
        chunk.lend(new ByteBuffer[] {heldSegment, ByteBuffer.wrap(pattern(300, 1))}, 2, false, false, 4096);
        output.lend(4096);
        assertTrue(output.transferFrom(chunk, 700));
        output.copyReferencesTo(1); // no reference to segment 1 that matters for this test: nothing changes
        output.copyReferencesTo(0);
        Arrays.fill(heldSegment.array(), (byte) 0); // the hold buffer moves its bytes after the call
        byte[] expected = Arrays.copyOf(held, 700);
        System.arraycopy(pattern(300, 1), 0, expected, 600, 100);
        assertArrayEquals(expected, written());
    }

    @Test
    void aDatagramIsCopiedWhateverItsLength() {
        byte[] data = pattern(1500, 4);
        chunk.lend(new ByteBuffer[] {ByteBuffer.wrap(data, 0, 700), ByteBuffer.wrap(data, 700, 800)}, 2, false, true,
                4096);
        output.lend(4096);
        assertTrue(output.transferFrom(chunk, 1500));
        List<ByteBuffer> views = new java.util.ArrayList<>();
        output.deliverTo(views::add, output.written());
        assertEquals(1, views.size(), "one copy in the output's block");
        assertArrayEquals(data, written());
    }

    @Test
    void shortTransfersAreCopiedAndLongOnesAreNot() {
        lendRing(2000, 10);
        output.lend(4096);
        assertTrue(output.transferFrom(chunk, OutputBuffer.MIN_REFERENCE - 1));
        assertTrue(output.transferFrom(chunk, 1)); // a copy continuing the copy: one piece
        List<ByteBuffer> views = new java.util.ArrayList<>();
        output.deliverTo(views::add, output.written());
        assertEquals(1, views.size(), "short transfers go into the output's own block, merged");
        output.release();
        assertEquals(BufferPool.MIN_BLOCK, pool.freeBytes(), "the block they used is given back");

        output.lend(4096);
        assertTrue(output.transferFrom(chunk, 1000));
        assertTrue(output.transferFrom(chunk, 700));
        output.release();
        assertEquals(BufferPool.MIN_BLOCK, pool.freeBytes(), "transfers by reference take no block");
    }

    @Test
    void transferFromCopiesAllOrNothing() {
        lend(1024);
        chunk.advance(6);
        assertFalse(output.transferFrom(chunk, 5), "only 4 remain");
        assertEquals(6, chunk.position());
        assertEquals(0, output.length());
        assertTrue(output.transferFrom(chunk, 4));
        assertArrayEquals(bytes("6789"), written());
        assertEquals(10, chunk.position());
        assertTrue(output.transferFrom(chunk, 0), "zero bytes at the end of the chunk");
        assertFalse(output.transferFrom(chunk, 1));
        assertEquals(4, output.length());
    }

    @Test
    void transferFromAWholeChunkCopiesEverySegment() {
        lend(1024);
        assertTrue(output.transferFrom(chunk, 10));
        assertArrayEquals(bytes("0123456789"), written());
    }

    @Test
    void transferFromAnEmptyChunkTransfersZeroBytes() {
        lendChunk();
        output.lend(1024);
        assertTrue(output.transferFrom(chunk, 0));
        assertFalse(output.transferFrom(chunk, 1));
        assertEquals(0, output.length());
    }

    @Test
    void transferFromTakesOnlyTheChunkOfTheSameCall() {
        lend(1024);
        ChunkCursor other = new ChunkCursor(OWNER);
        other.lend(new ByteBuffer[] {ByteBuffer.wrap(bytes("other"))}, 1, false, false, 4096);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> output.transferFrom(other, 1));
        assertTrue(e.getMessage().contains("Chunk of the same call"), e.getMessage());
        assertEquals(0, other.position());
        assertThrows(IllegalArgumentException.class, () -> output.transferFrom(null, 1));
        assertEquals(0, output.length());
    }

    @Test
    void transferFromRejectsANegativeLength() {
        lend(1024);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> output.transferFrom(chunk, -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertEquals(0, chunk.position());
    }

    // ---- byteAt / setByte / truncate ----

    @Test
    void byteAtAndSetByteWorkOnlyOnBytesWritten() {
        lend(1024);
        assertThrows(IndexOutOfBoundsException.class, () -> output.byteAt(0), "nothing written yet");
        assertThrows(IndexOutOfBoundsException.class, () -> output.setByte(0, 1), "nothing written yet");
        output.write(bytes("abc"));
        for (int index : new int[] {-1, 3, 4, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThrows(IndexOutOfBoundsException.class, () -> output.byteAt(index), "byteAt(" + index + ")");
            assertThrows(IndexOutOfBoundsException.class, () -> output.setByte(index, 0), "setByte(" + index + ")");
        }
        output.setByte(0, 'A');
        output.setByte(2, 0x100 + 'C');
        assertEquals('A', output.byteAt(0));
        assertEquals('b', output.byteAt(1));
        assertEquals('C', output.byteAt(2));
        assertArrayEquals(bytes("AbC"), written());
        assertEquals(3, output.length(), "setByte does not change the length");
    }

    @Test
    void aLengthFieldCanBeFilledInAfterThePayload() {
        lend(1024);
        output.writeByte(0).writeByte(0).write(bytes("payload"));
        int payload = output.length() - 2;
        output.setByte(0, payload >> 8);
        output.setByte(1, payload);
        assertArrayEquals(bytes("\0\7payload"), written());
    }

    @Test
    void truncateForgetsTheTailAndLaterWritesContinueFromThere() {
        lend(1024);
        output.write(bytes("abcdef"));
        output.truncate(6);
        assertEquals(6, output.length());
        output.truncate(2);
        assertEquals(2, output.length());
        assertThrows(IndexOutOfBoundsException.class, () -> output.byteAt(2));
        output.write(bytes("XY"));
        assertArrayEquals(bytes("abXY"), written());
        output.truncate(0);
        assertEquals(0, output.length());
    }

    @ParameterizedTest(name = "truncate({0}) of 3 bytes")
    @ValueSource(ints = {-1, 4, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void truncateOutsideTheBytesWrittenIsRejected(int length) {
        lend(1024);
        output.write(bytes("abc"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> output.truncate(length));
        assertTrue(e.getMessage().contains(String.valueOf(length)) && e.getMessage().contains("3"), e.getMessage());
        assertEquals(3, output.length());
    }

    // ---- deliver ----

    @ParameterizedTest(name = "deliver({0}) = {1}")
    @CsvSource(textBlock = """
            1,           DELIVER
            3,           DELIVER
            2147483647,  DELIVER
            0,           DROP
            -1,          ERROR
            -22,         ERROR
            -2147483648, ERROR
            """)
    void deliverAnswersTheVerdictBySignAndRecordsTheLength(int copyLength, Verdict verdict) {
        lend(1024);
        output.write(bytes("abc"));
        assertFalse(output.hasExplicitLength());
        assertEquals(verdict, output.deliver(copyLength));
        assertTrue(output.hasExplicitLength());
        assertEquals(copyLength, output.explicitLength());
        assertEquals(3, output.length(), "deliver does not change what was written");
    }

    @Test
    void theLastDeliverWinsAndTheNextCallStartsWithoutOne() {
        lend(1024);
        output.deliver(-5);
        output.deliver(2);
        assertEquals(2, output.explicitLength());
        output.endCall();
        output.lend(1024);
        assertFalse(output.hasExplicitLength());
        assertEquals(0, output.explicitLength());
    }

    // ---- the runtime side: bytes and release ----

    @Test
    void deliverToHandsTheSinkReadOnlyViewsOfTheFirstBytesWritten() {
        lend(1024);
        output.write(bytes("abcdef"));
        List<ByteBuffer> views = new java.util.ArrayList<>();
        output.deliverTo(views::add, 4);
        assertEquals(1, views.size());
        ByteBuffer view = views.get(0);
        assertTrue(view.isReadOnly());
        assertEquals(4, view.remaining());
        byte[] got = new byte[4];
        view.get(got);
        assertArrayEquals(bytes("abcd"), got);
        output.deliverTo(v -> assertThrows(ReadOnlyBufferException.class, () -> v.put(0, (byte) 'X')), 4);
        assertEquals('a', output.byteAt(0));
        assertArrayEquals(bytes("abcdef"), delivered(output, 6));
    }

    @Test
    void releaseGivesTheBlockBackAndTheNextCallStartsEmpty() {
        lend(1024);
        output.write(bytes("secret"));
        output.endCall();
        assertEquals(0, pool.freeBytes());

        output.release();
        assertEquals(BufferPool.MIN_BLOCK, pool.freeBytes(), "the 4 KiB block is back in the pool");
        assertEquals(0, output.written());
        output.release(); // twice is harmless: nothing is given back twice
        assertEquals(BufferPool.MIN_BLOCK, pool.freeBytes());

        output.lend(1024);
        assertEquals(0, output.length());
        assertThrows(IndexOutOfBoundsException.class, () -> output.byteAt(0));
        output.writeByte('x');
        assertEquals(0, pool.freeBytes(), "the pooled block is reused");
        assertArrayEquals(bytes("x"), written());
    }

    @Test
    void anOutputNeverWrittenTakesNoMemory() {
        lend(1024);
        output.deliver(0);
        output.endCall();
        output.release();
        assertEquals(0, pool.freeBytes());
    }

    @Test
    void aNewLendStartsEmptyEvenWithoutRelease() {
        lend(1024);
        output.write(bytes("abc"));
        output.endCall();
        output.lend(2048);
        assertEquals(0, output.length());
        assertEquals(2048, output.maxLength());
        output.write(bytes("d"));
        assertArrayEquals(bytes("d"), written());
    }

    @Test
    void outputsOfTwoFlowsSharingAPoolNeverShareBytes() {
        ChunkCursor otherChunk = new ChunkCursor(OWNER);
        OutputBuffer other = new OutputBuffer(OWNER, pool, otherChunk);
        lend(1024);
        other.lend(1024);
        output.write(bytes("mine"));
        other.write(bytes("theirs"));
        assertArrayEquals(bytes("mine"), written());
        assertArrayEquals(bytes("theirs"), delivered(other, 6));
        List.of(output, other).forEach(OutputBuffer::release);
        assertEquals(2L * BufferPool.MIN_BLOCK, pool.freeBytes());
    }
}
