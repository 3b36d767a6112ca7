package layer45.runtime.view;

import java.nio.ByteBuffer;
import java.util.Objects;

import layer45.api.Chunk;
import layer45.api.Output;
import layer45.api.Verdict;
import layer45.runtime.rules.ModuleRule;
import layer45.runtime.rules.RuleBrokenException;

/**
 * The {@link Output} a module writes: bytes in a pooled {@link Block} taken at the first write and given back
 * by {@link #release()} once the runtime delivered them.
 */
public final class OutputBuffer extends CallBound implements Output {

    private final BufferPool pool;
    private final ChunkCursor source;
    private Block block;
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
     * @param n bytes to view, at most {@link #written()}
     * @return a read-only view of the first {@code n} bytes written, valid until {@link #release()}
     */
    public ByteBuffer bytes(int n) {
        return block.view(n);
    }

    /** Gives the memory back to the pool; the output is empty afterwards. */
    public void release() {
        if (block != null) {
            pool.give(block);
            block = null;
        }
        length = 0;
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
        System.arraycopy(src, offset, ensure(n), length, n);
        length += n;
        return this;
    }

    @Override
    public Output write(ByteBuffer src) {
        check();
        int n = src.remaining();
        src.get(ensure(n), length, n);
        length += n;
        return this;
    }

    @Override
    public Output writeByte(int b) {
        check();
        ensure(1)[length++] = (byte) b;
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
        source.copyOut(ensure(n), length, n);
        length += n;
        return true;
    }

    @Override
    public byte byteAt(int index) {
        check();
        Objects.checkIndex(index, length);
        return block.data[index];
    }

    @Override
    public void setByte(int index, int b) {
        check();
        Objects.checkIndex(index, length);
        block.data[index] = (byte) b;
    }

    @Override
    public void truncate(int newLength) {
        check();
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate " + length + " bytes written to " + newLength);
        }
        length = newLength;
    }

    @Override
    public Verdict deliver(int n) {
        check();
        copyLength = n;
        explicitLength = true;
        return n > 0 ? Verdict.DELIVER : n == 0 ? Verdict.DROP : Verdict.ERROR;
    }

    private static final byte[] NOTHING = new byte[0];

    /** @return the array to write {@code more} bytes into at {@link #length}, grown from the pool if needed */
    private byte[] ensure(int more) {
        if (more == 0) {
            return block == null ? NOTHING : block.data; // nothing to write: no memory needed
        }
        long needed = (long) length + more;
        if (needed > limit) {
            throw new RuleBrokenException(owner().moduleName(), ModuleRule.COPY_LENGTH, "wrote " + needed
                    + " bytes, more than the output limit of " + limit + " bytes for one chunk (Output.maxLength();"
                    + " the runtime setting output.limit)");
        }
        if (block == null) {
            block = pool.take((int) Math.max(needed, BufferPool.MIN_BLOCK));
        } else if (needed > block.data.length) {
            Block larger = pool.take((int) needed);
            System.arraycopy(block.data, 0, larger.data, 0, length);
            pool.give(block);
            block = larger;
        }
        return block.data;
    }
}
