package layer45.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import layer45.api.FlowInfo;
import layer45.api.Verdict;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.runtime.driver.DriverFlow;

/**
 * One flow through the module under test, in memory: the test plays the application on one side ({@link #send})
 * and its peer on the other ({@link #recv}). Every chunk runs through the runtime's real chain, with its views,
 * its rule checks and its byte accounting.
 *
 * <pre>{@code
 * try (TestFlow flow = tester.flow(FlowSpec.tcp().to("127.0.0.1", 65432))) {
 *     flow.send("hello").expectOutput("<start>hello<end>").expectVerdict(Verdict.DELIVER);
 *     flow.recvAll(flow.wire(), ChunkPlan.random(7, 5));           // the echo, cut anywhere
 *     assertEquals("hello", flow.appText());
 *     assertEquals(5, flow.applicationSent());                    // the application saw its own 5 bytes go out
 * }
 * }</pre>
 *
 * <p><b>Rule breaks fail the test.</b> When the module breaks a rule (throws, returns {@code null}, keeps a Chunk,
 * Output or Flow past its call, delivers a copy length out of range, holds with the wrong verdict or too much, runs
 * past the call budget), the runtime aborts the flow, and the call that saw it throws an {@link AssertionError}
 * whose message is the runtime's own (the one operators find in its log): the rule's number and text, what the
 * module did, where (direction, flow, the chunk's place in the stream) and how to fix it, followed by the call as
 * this test made it. A module's own {@link Verdict#ERROR} is not a rule break: the flow is aborted, and
 * {@link #aborted()} and {@link #abortReason()} say so.
 */
public final class TestFlow implements AutoCloseable {

    private final DriverFlow flow;
    private final Recorder recorder;
    private final FlowInfo info;
    private final List<Step> steps = new ArrayList<>();
    private final long[] offsets = new long[2];
    private final int[] calls = new int[2];
    private final int[] held = new int[2];
    private long applicationReceived;
    private int asyncSeen;
    private boolean ruleBreakReported;

    TestFlow(DriverFlow flow, Recorder recorder, FlowInfo info) {
        this.flow = flow;
        this.recorder = recorder;
        this.info = info;
    }

    /** @return the runtime's identifier of the flow */
    public long id() {
        return flow.tapped().id();
    }

    /**
     * The application writes text, as one chunk.
     *
     * @param text what it writes, in UTF-8
     * @return what happened; {@link Step#output()} is what reached the network
     * @throws AssertionError if the module broke a rule
     */
    public Step send(String text) {
        return send(text.getBytes(UTF_8));
    }

    /**
     * The application writes bytes, as one chunk; the chunk lies in one segment unless {@code segments} are given.
     *
     * @param data what it writes
     * @param segments how the chunk is split in memory: the lengths of its first segments (the rest is one more)
     * @return what happened; {@link Step#output()} is what reached the network
     * @throws AssertionError if the module broke a rule
     */
    public Step send(byte[] data, int... segments) {
        return run(Direction.SEND, data, segments);
    }

    /**
     * The peer's text arrives, as one chunk.
     *
     * @param text what arrives, in UTF-8
     * @return what happened; {@link Step#output()} is what the application reads
     * @throws AssertionError if the module broke a rule
     */
    public Step recv(String text) {
        return recv(text.getBytes(UTF_8));
    }

    /**
     * The peer's bytes arrive, as one chunk.
     *
     * @param data what arrives
     * @param segments how the chunk is split in memory: the lengths of its first segments (the rest is one more)
     * @return what happened; {@link Step#output()} is what the application reads
     * @throws AssertionError if the module broke a rule
     */
    public Step recv(byte[] data, int... segments) {
        return run(Direction.RECV, data, segments);
    }

    /**
     * The application writes a stream, cut into chunks and segments by a plan (TCP only: a UDP chunk is a datagram).
     *
     * @param data the stream
     * @param plan how it is cut
     * @return one step per chunk
     * @throws AssertionError if the module broke a rule; the message names the plan
     */
    public List<Step> sendAll(byte[] data, ChunkPlan plan) {
        return runAll(Direction.SEND, data, plan);
    }

    /**
     * The peer's stream arrives, cut into chunks and segments by a plan (TCP only).
     *
     * @param data the stream
     * @param plan how it is cut
     * @return one step per chunk
     * @throws AssertionError if the module broke a rule; the message names the plan
     */
    public List<Step> recvAll(byte[] data, ChunkPlan plan) {
        return runAll(Direction.RECV, data, plan);
    }

    /**
     * The application closes its sending side: bytes the module still holds are offered one last time, with
     * {@code Chunk.endOfStream()} true.
     *
     * @return what happened
     */
    public Step endSend() {
        return end(Direction.SEND);
    }

    /**
     * The peer closes its sending side: bytes the module still holds on recv are offered one last time.
     *
     * @return what happened
     */
    public Step endRecv() {
        return end(Direction.RECV);
    }

    private List<Step> runAll(Direction direction, byte[] data, ChunkPlan plan) {
        if (info().transport().isDatagram()) {
            throw new IllegalArgumentException("a UDP flow carries whole datagrams, which are never cut: "
                    + direction.name().toLowerCase() + " each datagram with one call");
        }
        List<Step> result = new ArrayList<>();
        for (ChunkPlan.Piece piece : plan.cut(data.length)) {
            byte[] chunk = Arrays.copyOfRange(data, piece.offset(), piece.offset() + piece.length());
            try {
                result.add(run(direction, chunk, Arrays.copyOf(piece.segments(), piece.segments().length - 1)));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n    with " + plan + ", at its chunk of " + piece, e);
            }
        }
        return result;
    }

    private Step run(Direction direction, byte[] data, int[] segments) {
        int d = direction.ordinal();
        String where = direction.name().toLowerCase() + " call " + (++calls[d]) + " of flow " + id() + ": "
                + data.length + " new bytes at stream byte " + offsets[d]
                + (segments.length > 0 ? " in segments " + Arrays.toString(segments) + " and the rest" : "");
        offsets[d] += data.length;
        long sentBefore = flow.applicationSent();
        recorder.forgetCall(id());
        byte[] out = direction == Direction.SEND ? flow.send(data, segments) : flow.recv(data, segments);
        long applicationBytes = direction == Direction.SEND ? flow.applicationSent() - sentBefore : out.length;
        return record(direction, where, out, applicationBytes);
    }

    private Step end(Direction direction) {
        String where = "end of " + direction.name().toLowerCase() + " stream of flow " + id() + " at stream byte "
                + offsets[direction.ordinal()];
        recorder.forgetCall(id());
        byte[] out = flow.endOfStream(direction);
        return record(direction, where, out, direction == Direction.SEND ? 0 : out.length);
    }

    private Step record(Direction direction, String where, byte[] out, long applicationBytes) {
        Recorder.Call call = recorder.lastCall(id());
        Verdict verdict = call == null || call.direction() != direction ? null : call.verdict();
        held[direction.ordinal()] = flow.lastHeld();
        if (direction == Direction.RECV) {
            applicationReceived += applicationBytes;
        }
        Step step = new Step(direction, where, out, verdict, flow.lastOutcome(), flow.lastHeld(), applicationBytes,
                flow.lastAbortReason());
        steps.add(step);
        if (step.outcome() == Outcome.ABORTED && isRuleBreak(step.abortReason())) {
            reportRuleBreak(step.abortReason(), where);
        }
        reportAsyncRuleBreaks();
        return step;
    }

    private static boolean isRuleBreak(String reason) {
        return reason.contains(" broke rule ");
    }

    private void reportRuleBreak(String reason, String where) {
        if (ruleBreakReported) {
            return; // the flow was aborted by the first one; every later call says the same
        }
        ruleBreakReported = true;
        throw new AssertionError(reason + "\n    at " + where);
    }

    /** Rule breaks the runtime saw on other threads (a kept view used later, a call past its budget). */
    private void reportAsyncRuleBreaks() {
        List<String> aborts = flow.asyncAborts();
        while (asyncSeen < aborts.size()) {
            String reason = aborts.get(asyncSeen++);
            if (isRuleBreak(reason)) {
                reportRuleBreak(reason, "flow " + id() + ", outside any call of this test (another thread)");
            }
        }
    }

    /** @return every byte that reached the network so far */
    public byte[] wire() {
        return flow.wire();
    }

    /** @return what reached the network so far, as UTF-8 text */
    public String wireText() {
        return new String(flow.wire(), UTF_8);
    }

    /** @return every byte delivered to the application so far */
    public byte[] app() {
        return flow.app();
    }

    /** @return what the application read so far, as UTF-8 text */
    public String appText() {
        return new String(flow.app(), UTF_8);
    }

    /**
     * @return bytes the application was told it sent: its whole writes, whatever the module sent instead (the
     *         application sees its own byte count "as if modifications did not take place")
     */
    public long applicationSent() {
        return flow.applicationSent();
    }

    /** @return bytes the application read: exactly what was delivered to it */
    public long applicationReceived() {
        return applicationReceived;
    }

    /**
     * @param direction a direction
     * @return bytes held in that direction after its last chunk
     */
    public int held(Direction direction) {
        return held[direction.ordinal()];
    }

    /**
     * The module's state for this flow, as it last returned it from {@code Flow.state(...)}.
     *
     * @param <S> the state's type
     * @param type the state's class
     * @return the state
     * @throws AssertionError if the module has none for this flow, or one of another type
     */
    public <S> S state(Class<S> type) {
        Object state = recorder.state(id());
        if (state == null) {
            throw new AssertionError("the module has no state for flow " + id() + ": it never called"
                    + " flow.state(...) in a call of this flow");
        }
        if (!type.isInstance(state)) {
            throw new AssertionError("the module's state for flow " + id() + " is a " + state.getClass().getName()
                    + ", not a " + type.getName());
        }
        return type.cast(state);
    }

    /** @return every step so far, in order */
    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** @return the tested module's verdicts so far, in order; {@code null} where it was not called */
    public List<Verdict> verdicts() {
        return steps.stream().map(Step::verdict).toList();
    }

    /** @return whether the flow was aborted, by a module's {@link Verdict#ERROR} or a rule break */
    public boolean aborted() {
        return !steps.isEmpty() && steps.getLast().outcome() == Outcome.ABORTED;
    }

    /** @return why the flow was aborted, or "" */
    public String abortReason() {
        return steps.isEmpty() ? "" : steps.getLast().abortReason();
    }

    /** @return the flow's facts */
    public FlowInfo info() {
        return info;
    }

    /**
     * Closes the flow: the module's state for it is closed, as when the connection ends.
     *
     * @throws AssertionError if the module broke a rule on another thread since the last call
     */
    @Override
    public void close() {
        flow.close();
        reportAsyncRuleBreaks();
    }

    @Override
    public String toString() {
        return "flow " + id() + " (" + info + ")";
    }
}
