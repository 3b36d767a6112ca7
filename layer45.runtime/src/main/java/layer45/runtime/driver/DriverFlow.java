package layer45.runtime.driver;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import layer45.api.FlowInfo;
import layer45.api.spi.ChunkResult;
import layer45.api.spi.ChunkSink;
import layer45.api.spi.Direction;
import layer45.api.spi.FlowTap;
import layer45.api.spi.Outcome;
import layer45.api.spi.TappedFlow;

/**
 * One in-memory flow: bytes the application sends go through the send chain to {@link #wire()}; bytes the peer
 * sends go through the receive chain to {@link #app()}. Every call checks the runtime's accounting: the application
 * always sees its whole write accepted, and exactly the bytes delivered to it.
 */
public final class DriverFlow implements AutoCloseable {

    private final TappedFlow flow;
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final ByteArrayOutputStream app = new ByteArrayOutputStream();
    private final List<String> asyncAborts = new CopyOnWriteArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private Outcome lastOutcome;
    private String lastAbortReason = "";
    private int lastHeld;
    private long applicationSent;

    DriverFlow(FlowTap tap, FlowInfo info) {
        this.flow = tap.open(info, asyncAborts::add);
    }

    /** @return the runtime's flow */
    public TappedFlow tapped() {
        return flow;
    }

    /**
     * The application writes bytes, as one chunk in one segment.
     *
     * @param data what it writes
     * @return the bytes that reached the network for this chunk
     */
    public byte[] send(byte[] data) {
        return run(Direction.SEND, data, data.length);
    }

    /**
     * The application writes bytes that the stack holds in several segments.
     *
     * @param data what it writes
     * @param segmentSizes how the chunk is split (summing to at most data.length; the rest is one last segment)
     * @return the bytes that reached the network
     */
    public byte[] send(byte[] data, int... segmentSizes) {
        return run(Direction.SEND, data, segmentSizes);
    }

    /**
     * The peer's bytes arrive, as one chunk in one segment.
     *
     * @param data what arrives
     * @return the bytes delivered to the application for this chunk
     */
    public byte[] recv(byte[] data) {
        return run(Direction.RECV, data, data.length);
    }

    /**
     * The peer's bytes arrive in several segments.
     *
     * @param data what arrives
     * @param segmentSizes how the chunk is split
     * @return the bytes delivered to the application
     */
    public byte[] recv(byte[] data, int... segmentSizes) {
        return run(Direction.RECV, data, segmentSizes);
    }

    /**
     * The stream ends in one direction.
     *
     * @param direction the direction
     * @return the last bytes delivered
     */
    public byte[] endOfStream(Direction direction) {
        Collector sink = new Collector();
        ChunkResult result = flow.endOfStream(direction, sink);
        return record(direction, result, sink, 0);
    }

    private byte[] run(Direction direction, byte[] data, int... segmentSizes) {
        // Each segment is a slice of a larger buffer with bytes around it, so a module reading outside its segment
        // (or a runtime that moved positions) shows up as wrong bytes.
        ByteBuffer[] segments = split(data, segmentSizes);
        int[] positions = Arrays.stream(segments).mapToInt(ByteBuffer::position).toArray();
        Collector sink = new Collector();
        ChunkResult result = flow.process(direction, segments, segments.length, sink);
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].position() != positions[i]) {
                throw new AssertionError("the runtime moved the position of input segment " + i);
            }
        }
        return record(direction, result, sink, data.length);
    }

    private byte[] record(Direction direction, ChunkResult result, Collector sink, int input) {
        byte[] out = sink.bytes.toByteArray();
        lastOutcome = result.outcome();
        lastAbortReason = result.abortReason();
        lastHeld = result.heldBytes();
        outcomes.add(lastOutcome);
        if (result.outputBytes() != out.length) {
            throw new AssertionError("result says " + result.outputBytes() + " bytes out, the sink got " + out.length);
        }
        if (lastOutcome != Outcome.ABORTED && result.inputBytes() != input) {
            throw new AssertionError("result says " + result.inputBytes() + " bytes in, the chunk had " + input);
        }
        int expectedApplicationBytes = direction == Direction.SEND ? result.inputBytes() : out.length;
        if (result.applicationBytes() != expectedApplicationBytes) {
            throw new AssertionError("application byte count " + result.applicationBytes() + ", expected "
                    + expectedApplicationBytes);
        }
        if (direction == Direction.SEND) {
            applicationSent += result.applicationBytes();
            wire.writeBytes(out);
        } else {
            app.writeBytes(out);
        }
        return out;
    }

    /** @return every byte that reached the network so far */
    public byte[] wire() {
        return wire.toByteArray();
    }

    /** @return every byte delivered to the application so far */
    public byte[] app() {
        return app.toByteArray();
    }

    /** @return bytes the application was told it sent */
    public long applicationSent() {
        return applicationSent;
    }

    /** @return the outcome of the last call */
    public Outcome lastOutcome() {
        return lastOutcome;
    }

    /** @return every outcome so far, in order */
    public List<Outcome> outcomes() {
        return outcomes;
    }

    /** @return the abort reason of the last call, or "" */
    public String lastAbortReason() {
        return lastAbortReason;
    }

    /** @return bytes held in the direction of the last call */
    public int lastHeld() {
        return lastHeld;
    }

    /** @return reasons the runtime gave when it asked the stack to abort this flow from its own threads */
    public List<String> asyncAborts() {
        return asyncAborts;
    }

    @Override
    public void close() {
        flow.close();
    }

    static ByteBuffer[] split(byte[] data, int... sizes) {
        List<ByteBuffer> segments = new ArrayList<>();
        int offset = 0;
        for (int size : sizes) {
            if (offset + size > data.length) {
                break;
            }
            segments.add(padded(data, offset, size));
            offset += size;
        }
        if (offset < data.length || segments.isEmpty()) {
            segments.add(padded(data, offset, data.length - offset));
        }
        return segments.toArray(ByteBuffer[]::new);
    }

    private static ByteBuffer padded(byte[] data, int offset, int length) {
        byte[] backing = new byte[length + 16];
        Arrays.fill(backing, (byte) '#');
        System.arraycopy(data, offset, backing, 8, length);
        return ByteBuffer.wrap(backing, 8, length);
    }

    /** Copies what the sink is given, as a stack would. */
    private static final class Collector implements ChunkSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void accept(ByteBuffer buffer) {
            byte[] copy = new byte[buffer.remaining()];
            buffer.duplicate().get(copy);
            bytes.writeBytes(copy);
        }
    }
}
