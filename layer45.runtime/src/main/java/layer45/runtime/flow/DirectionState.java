package layer45.runtime.flow;

import java.nio.ByteBuffer;

import layer45.api.spi.ChunkResult;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.runtime.stats.Counters;
import layer45.runtime.view.HoldBuffer;

/** One direction of a flow: held bytes and who holds them, counters, and the result reused by every call. */
final class DirectionState implements ChunkResult {

    final Direction direction;
    final Counters counters = new Counters();
    final HoldBuffer hold = new HoldBuffer();
    /** The module holding bytes of this direction, or null (held bytes then pass through the whole chain). */
    Attachment holder;
    /** The chunk length the holder wants before it is called again. */
    int holderWants;
    /** Scratch for a one-segment call. */
    final ByteBuffer[] single = new ByteBuffer[1];
    private ByteBuffer[] work = new ByteBuffer[4];

    private Outcome outcome = Outcome.ORIGINAL;
    private int inputBytes;
    private int outputBytes;
    private String abortReason = "";

    DirectionState(Direction direction) {
        this.direction = direction;
    }

    /** @return segments of the chunk as modules see it: the held bytes followed by the new segments */
    ByteBuffer[] withHeld(ByteBuffer[] segments, int count) {
        if (work.length < count + 1) {
            work = new ByteBuffer[Math.max(count + 1, work.length * 2)];
        }
        work[0] = hold.segment();
        System.arraycopy(segments, 0, work, 1, count);
        return work;
    }

    /** Drops references to the caller's buffers once a call is over. */
    void forgetSegments(int count) {
        for (int i = 0; i <= count && i < work.length; i++) {
            work[i] = null;
        }
        single[0] = null;
    }

    void releaseHold() {
        hold.clear();
        holder = null;
        holderWants = 0;
    }

    ChunkResult result(Outcome outcome, int input, int output) {
        this.outcome = outcome;
        this.inputBytes = input;
        this.outputBytes = output;
        this.abortReason = "";
        return this;
    }

    ChunkResult aborted(String reason) {
        this.outcome = Outcome.ABORTED;
        this.inputBytes = 0;
        this.outputBytes = 0;
        this.abortReason = reason;
        return this;
    }

    @Override
    public Outcome outcome() {
        return outcome;
    }

    @Override
    public int inputBytes() {
        return inputBytes;
    }

    @Override
    public int outputBytes() {
        return outputBytes;
    }

    @Override
    public int applicationBytes() {
        // As if modifications did not take place: the sender sees its whole write go out; the reader sees what it got.
        return direction == Direction.SEND ? inputBytes : outputBytes;
    }

    @Override
    public int heldBytes() {
        return hold.length();
    }

    @Override
    public String abortReason() {
        return abortReason;
    }
}
