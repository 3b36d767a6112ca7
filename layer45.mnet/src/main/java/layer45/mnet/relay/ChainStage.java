package layer45.mnet.relay;

import java.nio.ByteBuffer;
import layer45.api.spi.ChunkResult;
import layer45.api.spi.ChunkSink;
import layer45.api.spi.Direction;
import layer45.api.spi.TappedFlow;

/**
 * One direction of a relayed flow's customization chain, on that direction's relay thread: runs a chunk through
 * the chain and keeps what is to be delivered, so the chain call never waits on a socket or a full queue (the
 * runtime times module calls; waiting belongs outside them).
 *
 * <p>When the original passes unchanged, the chain hands back the input's own buffers and nothing is copied: the
 * output is the input's views. Anything else is copied into a staging buffer that grows as needed: direct memory,
 * so the host socket writes it without the JDK copying it once more into a temporary direct buffer, and taken at the
 * first copy, so a flow whose chunks all pass never has one.
 */
final class ChainStage implements ChunkSink {

    /** What became of a chunk. */
    enum Result {
        /** Deliver {@link #output()}. */
        DELIVER,
        /** Nothing to deliver for this chunk (dropped, or held by a module). */
        NOTHING,
        /** The flow must be aborted: {@link #abortReason()} says why. */
        ABORT
    }

    private final TappedFlow flow;
    private final Direction direction;
    private final int initialStaging;
    /** Null until something is copied. */
    private ByteBuffer staging;
    private ByteBuffer[] input;
    private int inputCount;
    /** Input buffers handed back unchanged, in order, while nothing was copied. */
    private int passed;
    private boolean copied;
    private String abortReason = "";
    private final ByteBuffer[] none = new ByteBuffer[0];
    private final ByteBuffer[] out = new ByteBuffer[2];
    private int outCount;

    /**
     * @param flow the runtime's flow, or {@code null} without a runtime (everything passes)
     * @param direction the direction
     * @param initialStaging the staging buffer's first size
     */
    ChainStage(TappedFlow flow, Direction direction, int initialStaging) {
        this.flow = flow;
        this.direction = direction;
        this.initialStaging = initialStaging;
    }

    /**
     * Runs one chunk through the chain.
     *
     * @param segments the chunk's bytes, each from position to limit (not moved)
     * @param count how many segments
     * @return what to do; for {@link Result#DELIVER} the bytes are in {@link #output()}
     */
    Result process(ByteBuffer[] segments, int count) {
        if (flow == null) {
            System.arraycopy(segments, 0, out, 0, count);
            outCount = count;
            return Result.DELIVER;
        }
        start(segments, count);
        ChunkResult result = flow.process(direction, segments, count, this);
        return finish(result);
    }

    /**
     * Says that the stream ends in this direction: a module holding bytes gives them back.
     *
     * @return what to do with the last bytes
     */
    Result endOfStream() {
        if (flow == null) {
            outCount = 0;
            return Result.NOTHING;
        }
        start(none, 0);
        return finish(flow.endOfStream(direction, this));
    }

    /** @return the bytes to deliver, as {@link #outputCount()} views */
    ByteBuffer[] output() {
        return out;
    }

    /** @return how many views of {@link #output()} hold bytes */
    int outputCount() {
        return outCount;
    }

    /** @return why the flow must be aborted, after {@link Result#ABORT} */
    String abortReason() {
        return abortReason;
    }

    private void start(ByteBuffer[] segments, int count) {
        input = segments;
        inputCount = count;
        passed = 0;
        copied = false;
        if (staging != null) {
            staging.clear();
        }
    }

    private Result finish(ChunkResult result) {
        input = null;
        switch (result.outcome()) {
            case ABORTED -> {
                abortReason = result.abortReason();
                return Result.ABORT;
            }
            case DROPPED, HELD -> {
                outCount = 0;
                return Result.NOTHING;
            }
            default -> {
                if (copied) {
                    out[0] = staging.flip();
                    outCount = staging.hasRemaining() ? 1 : 0;
                } else {
                    outCount = passed;
                }
                return outCount == 0 ? Result.NOTHING : Result.DELIVER;
            }
        }
    }

    @Override
    public void accept(ByteBuffer bytes) {
        if (!copied && passed < inputCount && passed < out.length && bytes == input[passed]) {
            out[passed++] = bytes; // the original, unchanged: delivered from the input itself
            return;
        }
        if (!copied) {
            copied = true;
            for (int i = 0; i < passed; i++) {
                stage(out[i]);
            }
        }
        stage(bytes);
    }

    private void stage(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (staging == null) {
            staging = ByteBuffer.allocateDirect(Math.max(initialStaging, n));
        } else if (staging.remaining() < n) {
            int size = Math.max(staging.capacity() * 2, staging.position() + n);
            ByteBuffer bigger = ByteBuffer.allocateDirect(size);
            bigger.put(staging.flip());
            staging = bigger;
        }
        staging.put(staging.position(), bytes, bytes.position(), n);
        staging.position(staging.position() + n);
    }
}
