package layer45.mnet.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import layer45.api.FlowInfo;
import layer45.api.spi.ChunkResult;
import layer45.api.spi.ChunkSink;
import layer45.api.spi.Direction;
import layer45.api.spi.FlowControl;
import layer45.api.spi.FlowTap;
import layer45.api.spi.Outcome;
import layer45.api.spi.TappedFlow;

/**
 * A customization runtime for tests: records every flow opened and every chunk in its direction, and answers each
 * chunk as the test's {@link Customization} says (pass it, rewrite it, drop it, hold it, abort the flow).
 */
public final class RecordingTap implements FlowTap {

    /** What a customization does with one chunk: delivers bytes to the sink, and says what happened. */
    @FunctionalInterface
    public interface Customization {

        /**
         * @param direction the chunk's direction
         * @param input the chunk's bytes (a copy)
         * @param sink where to deliver
         * @return the outcome
         */
        Outcome apply(Direction direction, byte[] input, ChunkSink sink);
    }

    /** Passes every chunk unchanged, as a runtime with no customization attached does. */
    public static final Customization ORIGINAL = (direction, input, sink) -> {
        sink.accept(ByteBuffer.wrap(input).asReadOnlyBuffer());
        return Outcome.ORIGINAL;
    };

    /** One chunk, as the runtime saw it. */
    public record Chunk(long flowId, Direction direction, byte[] bytes) {

        @Override
        public String toString() {
            return "flow " + flowId + " " + direction + " " + bytes.length + " bytes";
        }
    }

    private final List<Flow> flows = new CopyOnWriteArrayList<>();
    private final List<Chunk> chunks = new CopyOnWriteArrayList<>();
    private volatile Customization customization = ORIGINAL;
    private volatile RuntimeException openFailure;
    private volatile String abortReason = "";
    private long nextId = 100;

    /** @param customization what to do with every chunk from now on */
    public void customize(Customization customization) {
        this.customization = customization;
    }

    /**
     * @param customization applied to chunks of {@code direction}; the other direction passes unchanged
     * @param direction the direction
     */
    public void customize(Direction direction, Customization customization) {
        this.customization = (d, input, sink) -> (d == direction ? customization : ORIGINAL).apply(d, input, sink);
    }

    /** @param reason the reason reported with an {@link Outcome#ABORTED} outcome */
    public void abortReason(String reason) {
        this.abortReason = reason;
    }

    /** @param failure thrown from {@link #open} from now on; {@code null} to open again */
    public void failOpenWith(RuntimeException failure) {
        this.openFailure = failure;
    }

    /** @return the flows opened, in order */
    public List<Flow> flows() {
        return flows;
    }

    /** @return every chunk processed, in order */
    public List<Chunk> chunks() {
        return chunks;
    }

    /** @return the chunks' directions and contents, in order, as {@code SEND:hello} */
    public List<String> chunkLog() {
        List<String> log = new ArrayList<>();
        for (Chunk chunk : chunks) {
            log.add(chunk.direction() + ":" + new String(chunk.bytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return log;
    }

    @Override
    public synchronized TappedFlow open(FlowInfo info, FlowControl control) {
        RuntimeException failure = openFailure;
        if (failure != null) {
            throw failure;
        }
        Flow flow = new Flow(nextId++, info, control);
        flows.add(flow);
        return flow;
    }

    /** One flow the runtime was given. */
    public final class Flow implements TappedFlow {

        private final long id;
        private final FlowInfo info;
        private final FlowControl control;
        private final AtomicInteger closes = new AtomicInteger();
        private final AtomicInteger callsAfterClose = new AtomicInteger();
        private final Map<Direction, Result> results = new EnumMap<>(Direction.class);

        Flow(long id, FlowInfo info, FlowControl control) {
            this.id = id;
            this.info = info;
            this.control = control;
            for (Direction direction : Direction.values()) {
                results.put(direction, new Result());
            }
        }

        /** @return the facts the stack gave */
        public FlowInfo info() {
            return info;
        }

        /** @return how the runtime would abort the flow */
        public FlowControl control() {
            return control;
        }

        /** @return how often {@link #close()} was called */
        public int closeCount() {
            return closes.get();
        }

        /** @return chunk calls made after the flow was closed (a stack bug if not 0) */
        public int callsAfterClose() {
            return callsAfterClose.get();
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public ChunkResult process(Direction direction, ByteBuffer[] segments, int count, ChunkSink sink) {
            int length = 0;
            for (int i = 0; i < count; i++) {
                length += segments[i].remaining();
            }
            ByteBuffer joined = ByteBuffer.allocate(length);
            for (int i = 0; i < count; i++) {
                joined.put(segments[i].duplicate());
            }
            return process(direction, joined.flip(), sink);
        }

        @Override
        public ChunkResult process(Direction direction, ByteBuffer segment, ChunkSink sink) {
            if (closes.get() > 0) {
                callsAfterClose.incrementAndGet();
            }
            byte[] input = new byte[segment.remaining()];
            segment.get(segment.position(), input);
            chunks.add(new Chunk(id, direction, input));
            int[] output = { 0 };
            Outcome outcome = customization.apply(direction, input, bytes -> {
                output[0] += bytes.remaining();
                sink.accept(bytes);
            });
            Result result = results.get(direction);
            result.set(outcome, input.length, output[0], outcome == Outcome.ABORTED ? abortReason : "");
            return result;
        }

        @Override
        public ChunkResult endOfStream(Direction direction, ChunkSink sink) {
            Result result = results.get(direction);
            result.set(Outcome.ORIGINAL, 0, 0, "");
            return result;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }

        @Override
        public String toString() {
            return "recorded flow " + id + " " + info;
        }
    }

    /** A reusable result, one per flow and direction, as the runtime's. */
    static final class Result implements ChunkResult {

        private Outcome outcome;
        private int input;
        private int output;
        private String abortReason;

        void set(Outcome outcome, int input, int output, String abortReason) {
            this.outcome = outcome;
            this.input = input;
            this.output = output;
            this.abortReason = abortReason;
        }

        @Override
        public Outcome outcome() {
            return outcome;
        }

        @Override
        public int inputBytes() {
            return input;
        }

        @Override
        public int outputBytes() {
            return output;
        }

        @Override
        public int applicationBytes() {
            return input;
        }

        @Override
        public int heldBytes() {
            return outcome == Outcome.HELD ? input : 0;
        }

        @Override
        public String abortReason() {
            return abortReason;
        }
    }
}
