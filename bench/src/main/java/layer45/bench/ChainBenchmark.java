package layer45.bench;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Flow;
import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.NetworkProtocol;
import layer45.api.Output;
import layer45.api.ProcessOwner;
import layer45.api.Transport;
import layer45.api.Verdict;
import layer45.api.runtime.FlowDTO;
import layer45.api.spi.ChunkResult;
import layer45.api.spi.ChunkSink;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.api.spi.TappedFlow;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.module.ModuleOrigin;
import layer45.runtime.module.ModuleRefusedException;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-chunk cost of the customization chain: one operation is one chunk through
 * {@link TappedFlow#process(Direction, ByteBuffer, ChunkSink)} on the send path of one open TCP flow, with the
 * runtime's real views, counters, lock and pooled output.
 *
 * <p>Scenarios ({@code scenario} parameter):
 * <ul>
 * <li>{@code none}: no module attached (the flow is UNMATCHED), the original goes to the sink;</li>
 * <li>{@code pass}: one module that answers {@link Verdict#NO_CUSTOMIZATION};</li>
 * <li>{@code rewrite1k}: one module that copies the chunk into a per-flow scratch array
 *     ({@link Flow#state}), XORs every byte, writes it to the {@link Output} and answers {@link Verdict#DELIVER};</li>
 * <li>{@code five}: five modules, the first four answer {@link Verdict#TRY_NEXT}, the fifth
 *     {@link Verdict#NO_CUSTOMIZATION}.</li>
 * <li>{@code tag-insert}: bulk-tag's sender, a 32-byte tag after every 1000 bytes ({@link TagInsert}), on 16 KiB
 *     chunks;</li>
 * <li>{@code tag-strip}: its receiver, which checks and strips them ({@link TagStrip}), on the tagged 16 KiB.</li>
 * </ul>
 * {@link #chain} runs all four on 1 KiB chunks; {@link #chainSizes} runs {@code none} and {@code pass} on 64 B and
 * 16 KiB chunks; {@link #chainTags} the tag pair; {@link #baseline} hands the same buffer straight to the same sink, without the runtime, so the
 * runtime's own overhead is the difference. Run with {@code -prof gc} for the allocation per chunk (bench/chain.sh
 * does).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = { "--enable-native-access=ALL-UNNAMED" })
public class ChainBenchmark {

    /** A state with a rig for its scenario and chunk size, set up for each trial. */
    public abstract static class WithRig {
        Rig rig;

        /** @return the rig of the state's parameters */
        abstract Rig newRig() throws ModuleRefusedException;

        /** Sets the rig up before the trial. */
        @Setup(Level.Trial)
        public void setUp() throws ModuleRefusedException {
            rig = newRig();
        }

        /** Closes the rig after the trial. */
        @TearDown(Level.Trial)
        public void tearDown() {
            rig.close();
        }
    }

    /** The four scenarios on 1 KiB chunks: the table the goal is about. */
    @State(Scope.Thread)
    public static class Chain extends WithRig {
        @Param({ "none", "pass", "rewrite1k", "five" })
        public String scenario;

        @Param({ "1024" })
        public int chunkSize;

        @Override
        Rig newRig() throws ModuleRefusedException {
            return new Rig(scenario, chunkSize);
        }
    }

    /** The cheap scenarios on small and large chunks: does the chain's cost depend on the chunk size? */
    @State(Scope.Thread)
    public static class Sizes extends WithRig {
        @Param({ "none", "pass" })
        public String scenario;

        @Param({ "64", "16384" })
        public int chunkSize;

        @Override
        Rig newRig() throws ModuleRefusedException {
            return new Rig(scenario, chunkSize);
        }
    }

    /** The bulk tag pair's two halves on 16 KiB chunks: what a module that edits a stream costs in the chain. */
    @State(Scope.Thread)
    public static class Tags extends WithRig {
        @Param({ "tag-insert", "tag-strip" })
        public String scenario;

        @Param({ "16384" })
        public int chunkSize;

        @Override
        Rig newRig() throws ModuleRefusedException {
            return new Rig(scenario, chunkSize);
        }
    }

    /** The buffer and sink alone, for {@link #baseline}. */
    @State(Scope.Thread)
    public static class Baseline {
        @Param({ "64", "1024", "16384" })
        public int chunkSize;

        ByteBuffer segment;
        final CountingSink sink = new CountingSink();

        @Setup(Level.Trial)
        public void setUp() {
            segment = Rig.chunk(chunkSize);
        }
    }

    /** One chunk of {@code state.chunkSize} bytes through the chain of {@code state.scenario}. */
    @Benchmark
    public int chain(Chain state) {
        return state.rig.processOne();
    }

    /** Like {@link #chain}, for {@code none} and {@code pass} at other chunk sizes. */
    @Benchmark
    public int chainSizes(Sizes state) {
        return state.rig.processOne();
    }

    /** Like {@link #chain}, for the tag pair. */
    @Benchmark
    public int chainTags(Tags state) {
        return state.rig.processOne();
    }

    /** The same buffer handed to the same sink, without the runtime. */
    @Benchmark
    public long baseline(Baseline state) {
        ByteBuffer segment = state.segment;
        segment.clear();
        state.sink.accept(segment);
        return state.sink.bytes;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The rig: a standalone runtime, its modules, one open TCP flow, a chunk and a sink
    // ---------------------------------------------------------------------------------------------------------

    /** Everything one trial needs; checks once, before measuring, that the scenario does what it says. */
    static final class Rig implements AutoCloseable {

        final Layer45Runtime runtime;
        final TappedFlow flow;
        final ByteBuffer segment;
        final CountingSink sink = new CountingSink();
        private final Outcome expected;
        /** What the sink must receive for one chunk. */
        private final byte[] want;
        /** Set if the runtime asks to abort the flow on its own (watchdog); checked after the measurement. */
        volatile String abortedBy;

        Rig(String scenario, int chunkSize) throws ModuleRefusedException {
            runtime = Layer45Runtime.standalone();
            boolean ok = false;
            try {
                int modules = switch (scenario) {
                    case "none" -> 0;
                    case "pass" -> {
                        load("pass", new Pass(), 10);
                        yield 1;
                    }
                    case "rewrite1k" -> {
                        load("rewrite", new XorRewrite(), 10);
                        yield 1;
                    }
                    case "five" -> {
                        // Five distinct classes, as five real modules would be: the runtime's call site into
                        // the modules sees several receiver types, not one or two.
                        load("try-next-1", new TryNext1(), 10);
                        load("try-next-2", new TryNext2(), 20);
                        load("try-next-3", new TryNext3(), 30);
                        load("try-next-4", new TryNext4(), 40);
                        load("pass", new Pass(), 50);
                        yield 5;
                    }
                    case "tag-insert" -> {
                        load("tag-insert", new TagInsert(), 10);
                        yield 1;
                    }
                    case "tag-strip" -> {
                        load("tag-strip", new TagStrip(), 10);
                        yield 1;
                    }
                    default -> throw new IllegalArgumentException("unknown scenario '" + scenario
                            + "': use none, pass, rewrite1k, five, tag-insert or tag-strip");
                };
                expected = List.of("none", "pass", "five").contains(scenario) ? Outcome.ORIGINAL : Outcome.CUSTOMIZED;
                flow = runtime.open(tcpFlow(), reason -> abortedBy = reason);
                ByteBuffer data = chunk(chunkSize);
                byte[] plain = new byte[chunkSize];
                data.get(0, plain);
                segment = scenario.equals("tag-strip") ? ByteBuffer.allocateDirect(TagInsert.tagged(plain).length)
                        .put(0, TagInsert.tagged(plain)) : data;
                want = switch (scenario) {
                    case "rewrite1k" -> XorRewrite.xor(plain);
                    case "tag-insert" -> TagInsert.tagged(plain);
                    default -> plain;
                };
                check(scenario, modules);
                ok = true;
            } finally {
                if (!ok) {
                    runtime.close();
                }
            }
        }

        /** One measured operation. */
        int processOne() {
            segment.clear(); // the runtime never moves input positions; this only guards the measurement
            return flow.process(Direction.SEND, segment, sink).outputBytes();
        }

        private void load(String name, Customization module, int priority) throws ModuleRefusedException {
            Map<String, Object> properties = new HashMap<>();
            properties.put(CustomizationService.PROTOCOL, "tcp");
            properties.put(CustomizationService.PRIORITY, priority);
            runtime.load(name, module, properties, ModuleOrigin.NONE);
        }

        /** Runs one chunk outside the measurement and checks what happened to it. */
        private void check(String scenario, int modules) {
            List<FlowDTO> flows = runtime.flows();
            if (flows.size() != 1 || flows.get(0).modules.length != modules) {
                throw new IllegalStateException(scenario + ": expected 1 flow with " + modules + " modules, got "
                        + flows.stream().map(f -> Arrays.toString(f.modules)).toList());
            }
            RecordingSink recorder = new RecordingSink();
            ChunkResult result = flow.process(Direction.SEND, segment.clear(), recorder);
            if (result.outcome() != expected || result.outputBytes() != want.length
                    || result.applicationBytes() != segment.capacity()) {
                throw new IllegalStateException(scenario + ": expected " + expected + " with " + want.length
                        + " bytes out, got " + result.outcome() + " with " + result.outputBytes() + " ("
                        + result.abortReason() + ")");
            }
            if (!Arrays.equals(recorder.bytes, want)) {
                throw new IllegalStateException(scenario + ": the sink did not receive the expected bytes");
            }
        }

        /** Checks that the flow was never aborted while measuring, then closes everything. */
        @Override
        public void close() {
            try {
                ChunkResult last = flow.process(Direction.SEND, segment.clear(), sink);
                if (abortedBy != null) {
                    throw new IllegalStateException("the runtime asked to abort the benchmark flow: " + abortedBy);
                }
                if (last.outcome() != expected) {
                    throw new IllegalStateException("after the measurement the chain answered " + last.outcome()
                            + " instead of " + expected + " (" + last.abortReason() + ")");
                }
                flow.close();
            } finally {
                runtime.close();
            }
        }

        static ByteBuffer chunk(int size) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) {
                buffer.put(i, (byte) (i * 31 + 7));
            }
            return buffer;
        }

        private static FlowInfo tcpFlow() {
            InetSocketAddress local = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 40000);
            InetSocketAddress remote = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.2"), 443);
            return new FlowInfo(Transport.TCP, NetworkProtocol.of(local.getAddress()), local, remote,
                    Initiator.LOCAL, new ProcessOwner(4242, 4242, "bench", "bench", 1000));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sinks and modules
    // ---------------------------------------------------------------------------------------------------------

    /** Consumes bytes cheaply: counts them. */
    static final class CountingSink implements ChunkSink {
        long bytes;

        @Override
        public void accept(ByteBuffer buffer) {
            bytes += buffer.remaining();
        }
    }

    /** Keeps a copy of what it receives, for the checks before measuring. */
    static final class RecordingSink implements ChunkSink {
        byte[] bytes = new byte[0];

        @Override
        public void accept(ByteBuffer buffer) {
            int at = bytes.length;
            bytes = Arrays.copyOf(bytes, at + buffer.remaining());
            buffer.get(buffer.position(), bytes, at, buffer.remaining());
        }
    }

    /** Declines every chunk: the original passes, no other module is asked. */
    public static final class Pass implements Customization {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            return Verdict.NO_CUSTOMIZATION;
        }

        @Override
        public Verdict recv(Chunk source, Output output, Flow flow) {
            return Verdict.NO_CUSTOMIZATION;
        }
    }

    /** Not for this module: the chain goes on. Subclassed so that the five modules are five classes. */
    public abstract static class TryNext implements Customization {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            return Verdict.TRY_NEXT;
        }

        @Override
        public Verdict recv(Chunk source, Output output, Flow flow) {
            return Verdict.TRY_NEXT;
        }
    }

    /** First of the four modules that pass the chunk on. */
    public static final class TryNext1 extends TryNext {
    }

    /** Second. */
    public static final class TryNext2 extends TryNext {
    }

    /** Third. */
    public static final class TryNext3 extends TryNext {
    }

    /** Fourth. */
    public static final class TryNext4 extends TryNext {
    }

    /**
     * Replaces every chunk by the same bytes XORed with a key: reads the chunk into a scratch array kept in the
     * module's per-flow state, transforms it in place, writes it out. Allocates only when the scratch grows.
     */
    public static final class XorRewrite implements Customization {
        static final byte KEY = 0x5A;

        /** Per-flow scratch. */
        static final class Scratch {
            byte[] bytes = new byte[1024];

            byte[] atLeast(int n) {
                if (bytes.length < n) {
                    bytes = new byte[Math.max(n, bytes.length * 2)];
                }
                return bytes;
            }
        }

        /** @return {@code plain} XORed with the key, as the module rewrites it */
        static byte[] xor(byte[] plain) {
            byte[] out = plain.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] ^= KEY;
            }
            return out;
        }

        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            Scratch scratch = flow.state(Scratch::new); // non-capturing: no allocation per call
            int n = source.remaining();
            byte[] bytes = scratch.atLeast(n);
            if (!source.copyFull(bytes, 0, n)) {
                return Verdict.ERROR;
            }
            for (int i = 0; i < n; i++) {
                bytes[i] ^= KEY;
            }
            output.write(bytes, 0, n);
            return Verdict.DELIVER;
        }

        @Override
        public Verdict recv(Chunk source, Output output, Flow flow) {
            return Verdict.NO_CUSTOMIZATION;
        }
    }

    /**
     * bulk-tag's sender on chunks that start a period: after every 1000 bytes of the chunk, the 32-byte tag. Passes
     * the data with {@link Output#transferFrom}, writes the tag.
     */
    public static final class TagInsert implements Customization {
        static final int INTERVAL = 1000;
        static final byte[] TAG = "XTAGTAGTAGTAGTAGTAGTAGTAGTAGTAGX".getBytes(StandardCharsets.US_ASCII);

        /** @return {@code plain} with the tags inserted, as the module does */
        static byte[] tagged(byte[] plain) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int at = 0; at < plain.length; at += INTERVAL) {
                int n = Math.min(INTERVAL, plain.length - at);
                out.write(plain, at, n);
                if (n == INTERVAL) {
                    out.writeBytes(TAG);
                }
            }
            return out.toByteArray();
        }

        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            while (source.remaining() > 0) {
                int n = Math.min(INTERVAL, source.remaining());
                output.transferFrom(source, n);
                if (n == INTERVAL) {
                    output.write(TAG);
                }
            }
            return Verdict.DELIVER;
        }

        @Override
        public Verdict recv(Chunk source, Output output, Flow flow) {
            return Verdict.NO_CUSTOMIZATION;
        }
    }

    /** bulk-tag's receiver on chunks that start a period: passes 1000 bytes, checks and skips the tag after them. */
    public static final class TagStrip implements Customization {
        @Override
        public Verdict send(Chunk source, Output output, Flow flow) {
            while (source.remaining() > 0) {
                output.transferFrom(source, Math.min(TagInsert.INTERVAL, source.remaining()));
                if (source.remaining() > 0) {
                    if (!source.startsWith(TagInsert.TAG)) {
                        return output.deliver(-71); // EPROTO: not the tag
                    }
                    source.advance(TagInsert.TAG.length);
                }
            }
            return Verdict.DELIVER;
        }

        @Override
        public Verdict recv(Chunk source, Output output, Flow flow) {
            return Verdict.NO_CUSTOMIZATION;
        }
    }
}
