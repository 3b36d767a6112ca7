package layer45.runtime.view;

import java.nio.ByteBuffer;
import java.util.Objects;

import layer45.api.Chunk;
import layer45.api.Output;
import layer45.api.Verdict;
import layer45.api.spi.ChunkSink;
import layer45.runtime.rules.ModuleRule;
import layer45.runtime.rules.RuleBrokenException;

/**
 * The {@link Output} a module writes: bytes in a pooled {@link Block} taken at the first write and given back
 * by {@link #release()} once the runtime delivered them.
 *
 * <p>In a stream flow, {@link #transferFrom} of {@value #MIN_REFERENCE} bytes or more copies nothing: the output
 * keeps a reference to the chunk's range, and {@link #deliverTo} hands the sink a read-only view of it. (A stream's
 * stack lends the same few buffers chunk after chunk, so the views are made once; a datagram's stack may lend a new
 * buffer for each datagram, which would cost a view each, so datagrams are copied.) The chunk's segments stay
 * valid and unchanged until the runtime delivered the output, so the bytes are the same ones a copy would hold.
 * The output is then a list of {@link PieceList pieces}, ranges of the block and of the chunk in order.
 */
public final class OutputBuffer extends CallBound implements Output {

    private final BufferPool pool;
    private final ChunkCursor source;
    private final PieceList pieces = new PieceList();
    private final SegmentViews segmentViews = new SegmentViews();
    private Block block;
    /** Bytes of {@link #block} in use by pieces: the module's own bytes are appended here. */
    private int blockUsed;
    private int length;
    private int limit;
    private int copyLength;
    private boolean explicitLength;

    /**
     * @param owner the module on the flow these views belong to
     * @param pool where output memory comes from
     * @param source the chunk of the same calls, the only one {@link #transferFrom} accepts
     */
    public OutputBuffer(ViewOwner owner, BufferPool pool, ChunkCursor source) {
        super(owner, "Output");
        this.pool = pool;
        this.source = source;
    }

    /**
     * Lends the (empty) output to a call on the current thread.
     *
     * @param outputLimit the most bytes the module may write
     */
    public void lend(int outputLimit) {
        length = 0;
        blockUsed = 0;
        pieces.clear();
        limit = outputLimit;
        copyLength = 0;
        explicitLength = false;
        bind(Thread.currentThread());
    }

    /** Ends the call: the module can no longer use the output. */
    public void endCall() {
        unbind();
    }

    /** @return the bytes written in the last call */
    public int written() {
        return length;
    }

    /** @return whether the module set the copy length with {@link #deliver(int)} */
    public boolean hasExplicitLength() {
        return explicitLength;
    }

    /** @return the copy length the module set with {@link #deliver(int)} */
    public int explicitLength() {
        return copyLength;
    }

    /**
     * Hands the first {@code n} bytes written to a sink, in order, as read-only views of the block and of the chunk's
     * segments; before {@link #release()}, while the chunk's segments are still lent.
     *
     * @param sink where the bytes go
     * @param n bytes to deliver, at most {@link #written()}
     */
    public void deliverTo(ChunkSink sink, int n) {
        for (int i = 0, count = pieces.count(); i < count && n > 0; i++) {
            int from = pieces.from(i);
            int m = Math.min(n, pieces.length(i));
            int in = pieces.segment(i);
            sink.accept(in == PieceList.BLOCK ? block.view(from, from + m) : segmentViews.view(in, from, from + m));
            n -= m;
        }
    }

    /**
     * Copies the bytes passed by reference from segment {@code index} of the chunk into the output's own memory,
     * for when the runtime is about to change that segment (the held bytes it keeps again) before delivering.
     *
     * @param index a segment index of the chunk of the last call
     */
    public void copyReferencesTo(int index) {
        if (pieces.refersTo(index)) {
            copyReferences();
        }
    }

    /** Gives the memory back to the pool; the output is empty afterwards. */
    public void release() {
        if (block != null) {
            pool.give(block);
            block = null;
        }
        length = 0;
        blockUsed = 0;
        pieces.clear();
    }

    @Override
    public int length() {
        check();
        return length;
    }

    @Override
    public int maxLength() {
        check();
        return limit;
    }

    @Override
    public Output write(byte[] src) {
        return write(src, 0, src.length);
    }

    @Override
    public Output write(byte[] src, int offset, int n) {
        check();
        Objects.checkFromIndexSize(offset, n, src.length);
        System.arraycopy(src, offset, ensure(n), blockUsed, n);
        appended(n);
        return this;
    }

    @Override
    public Output write(ByteBuffer src) {
        check();
        int n = src.remaining();
        src.get(ensure(n), blockUsed, n);
        appended(n);
        return this;
    }

    @Override
    public Output writeByte(int b) {
        check();
        ensure(1)[blockUsed] = (byte) b;
        appended(1);
        return this;
    }

    @Override
    public boolean transferFrom(Chunk chunk, int n) {
        check();
        if (chunk != source) {
            throw new IllegalArgumentException("transferFrom takes the Chunk of the same call");
        }
        if (n < 0) {
            throw new IllegalArgumentException("cannot transfer " + n + " bytes");
        }
        source.check();
        if (n > source.remainingUnchecked()) {
            return false;
        }
        if (n < MIN_REFERENCE || source.datagram()) {
            source.copyOut(ensure(n), blockUsed, n);
            appended(n);
        } else {
            checkRoom(n);
            source.referenceOut(this, n);
        }
        return true;
    }

    /**
     * Appends a range of one of the chunk's segments by reference; for {@link ChunkCursor#referenceOut}.
     *
     * @param index the segment's index in the chunk
     * @param segment the segment
     * @param from the range's first index in {@code segment}
     * @param n bytes, at least 1
     */
    void appendReference(int index, ByteBuffer segment, int from, int n) {
        segmentViews.remember(index, segment);
        pieces.append(index, from, n);
        length += n;
    }

    @Override
    public byte byteAt(int index) {
        check();
        Objects.checkIndex(index, length);
        for (int i = 0;; i++) {
            int n = pieces.length(i);
            if (index < n) {
                int at = pieces.from(i) + index;
                int in = pieces.segment(i);
                return in == PieceList.BLOCK ? block.data[at] : segmentViews.view(in, at, at + 1).get(at);
            }
            index -= n;
        }
    }

    @Override
    public void setByte(int index, int b) {
        check();
        Objects.checkIndex(index, length);
        copyReferences(); // the chunk is read-only (rule 8): the byte is changed in a copy
        block.data[index] = (byte) b;
    }

    @Override
    public void truncate(int newLength) {
        check();
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate " + length + " bytes written to " + newLength);
        }
        length = newLength;
        pieces.truncate(newLength);
        blockUsed = pieces.blockEnd();
    }

    @Override
    public Verdict deliver(int n) {
        check();
        copyLength = n;
        explicitLength = true;
        return n > 0 ? Verdict.DELIVER : n == 0 ? Verdict.DROP : Verdict.ERROR;
    }

    private static final byte[] NOTHING = new byte[0];
    /** Transfers shorter than this are copied: a reference costs a piece and a call of the sink of its own. */
    static final int MIN_REFERENCE = 256;

    /** Records {@code n} bytes just written to the block at {@link #blockUsed}. */
    private void appended(int n) {
        if (n > 0) {
            pieces.append(PieceList.BLOCK, blockUsed, n);
            blockUsed += n;
            length += n;
        }
    }

    /** Fails when {@code more} bytes would take the output past its limit. */
    private void checkRoom(int more) {
        long needed = (long) length + more;
        if (needed > limit) {
            throw new RuleBrokenException(owner().moduleName(), ModuleRule.COPY_LENGTH, "wrote " + needed
                    + " bytes, more than the output limit of " + limit + " bytes for one chunk (Output.maxLength();"
                    + " the runtime setting output.limit)");
        }
    }

    /** @return the array to write {@code more} bytes into at {@link #blockUsed}, grown from the pool if needed */
    private byte[] ensure(int more) {
        if (more == 0) {
            return block == null ? NOTHING : block.data; // nothing to write: no memory needed
        }
        checkRoom(more);
        int needed = blockUsed + more; // blockUsed is at most length, so within the limit
        if (block == null) {
            block = pool.take(Math.max(needed, BufferPool.MIN_BLOCK));
        } else if (needed > block.data.length) {
            Block larger = pool.take(needed);
            System.arraycopy(block.data, 0, larger.data, 0, blockUsed);
            pool.give(block);
            block = larger;
        }
        return block.data;
    }

    /** Copies every byte passed by reference into the block: the output is then one piece of the block, in order. */
    private void copyReferences() {
        if (!pieces.refersToChunk()) {
            return;
        }
        Block copy = pool.take(Math.max(length, BufferPool.MIN_BLOCK));
        int at = 0;
        for (int i = 0, count = pieces.count(); i < count; i++) {
            int from = pieces.from(i);
            int n = pieces.length(i);
            int in = pieces.segment(i);
            if (in == PieceList.BLOCK) {
                System.arraycopy(block.data, from, copy.data, at, n);
            } else {
                segmentViews.view(in, from, from + n).get(from, copy.data, at, n);
            }
            at += n;
        }
        if (block != null) {
            pool.give(block);
        }
        block = copy;
        blockUsed = length;
        pieces.clear();
        pieces.append(PieceList.BLOCK, 0, length);
    }
}
