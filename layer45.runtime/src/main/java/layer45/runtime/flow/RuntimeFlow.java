package layer45.runtime.flow;

import static layer45.runtime.stats.Counters.BYTES_IN;
import static layer45.runtime.stats.Counters.BYTES_OUT;
import static layer45.runtime.stats.Counters.CHUNKS;
import static layer45.runtime.stats.Counters.CUSTOMIZED;
import static layer45.runtime.stats.Counters.DROPPED;
import static layer45.runtime.stats.Counters.ERRORS;
import static layer45.runtime.stats.Counters.FAULTS;
import static layer45.runtime.stats.Counters.HELD;
import static layer45.runtime.stats.Counters.HELD_DISCARDED;
import static layer45.runtime.stats.Counters.PASSED;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import layer45.api.FlowInfo;
import layer45.api.Verdict;
import layer45.api.runtime.FlowDTO;
import layer45.api.runtime.FlowState;
import layer45.api.spi.ChunkResult;
import layer45.api.spi.ChunkSink;
import layer45.api.spi.Direction;
import layer45.api.spi.FlowControl;
import layer45.api.spi.Outcome;
import layer45.api.spi.TappedFlow;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.module.Module;
import layer45.runtime.module.ModuleRegistry;
import layer45.runtime.rules.ModuleRule;
import layer45.runtime.rules.RuleBrokenException;
import layer45.runtime.stats.Counters;
import layer45.runtime.view.ChunkCursor;

/**
 * A flow the stack handed to the runtime, and the execution of its chain.
 *
 * <p>Everything about a chunk happens under the flow's lock, so modules see one call at a time per flow. Other
 * threads touch the flow in three ways only, none of which blocks a chunk: the watchdog reads the call in
 * progress, a module being unloaded detaches itself (waiting a bounded time for the lock), and a module caught
 * using a kept view asks for the flow to be aborted.
 */
public final class RuntimeFlow implements TappedFlow {

    private static final System.Logger LOG = System.getLogger("layer45.runtime");
    private static final Attachment[] NONE = new Attachment[0];
    private static final VarHandle IN_CALL;
    private static final VarHandle IN_CALL_SEQUENCE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            IN_CALL = lookup.findVarHandle(RuntimeFlow.class, "inCall", Attachment.class);
            IN_CALL_SEQUENCE = lookup.findVarHandle(RuntimeFlow.class, "inCallSequence", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private static final ByteBuffer[] NO_SEGMENTS = new ByteBuffer[0];

    private final FlowTable table;
    private final long id;
    private final FlowInfo info;
    private final FlowControl control;
    private final long openedAt = System.currentTimeMillis();
    private final long openSequence;
    private final boolean datagram;
    private final ReentrantLock lock = new ReentrantLock();
    private final DirectionState send = new DirectionState(Direction.SEND);
    private final DirectionState recv = new DirectionState(Direction.RECV);

    // Volatile for operator snapshots, which read without the lock; written only when they change.
    private volatile Attachment[] chain = NONE;
    private volatile FlowState status = FlowState.UNMATCHED;
    private String abortReason = "";
    private long seenMatchEpoch = -1;
    private long seenOrderEpoch = -1;
    private boolean rematchWanted;
    private volatile boolean compactionWanted;
    private volatile boolean closed;
    private volatile String pendingAbort;
    /** Whether the runtime-wide count has this flow's abort: once, by whichever thread aborts it first. */
    private final AtomicBoolean abortCounted = new AtomicBoolean();

    // The call in progress, published for the watchdog with release writes (no fence on the hot path): the
    // direction and the sequence first, then the attachment; the watchdog reads them back with acquire reads in the
    // other order.
    private Attachment inCall;
    private long inCallSequence;
    private DirectionState inCallDirection;
    // The watchdog's own notes (only its thread touches them): which call it saw in progress, and since when.
    private Attachment watchedCall;
    private long watchedSequence;
    private long watchedSince;

    RuntimeFlow(FlowTable table, long id, FlowInfo info, FlowControl control, long openSequence) {
        this.table = table;
        this.id = id;
        this.info = info;
        this.control = control;
        this.openSequence = openSequence;
        this.datagram = info.transport().isDatagram();
    }

    /** Attaches the modules that match, before the flow is published. */
    void attachInitial() {
        lock.lock();
        try {
            refreshChain(table.settings());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long id() {
        return id;
    }

    FlowInfo info() {
        return info;
    }

    @Override
    public ChunkResult process(Direction direction, ByteBuffer[] segments, int count, ChunkSink sink) {
        Objects.checkFromIndexSize(0, count, segments.length);
        Objects.requireNonNull(sink, "sink");
        DirectionState ds = state(direction);
        lock.lock();
        try {
            return run(ds, segments, count, false, sink);
        } finally {
            ds.forgetSegments(count);
            lock.unlock();
        }
    }

    @Override
    public ChunkResult process(Direction direction, ByteBuffer segment, ChunkSink sink) {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(sink, "sink");
        DirectionState ds = state(direction);
        lock.lock();
        try {
            ds.single[0] = segment;
            return run(ds, ds.single, 1, false, sink);
        } finally {
            ds.forgetSegments(1);
            lock.unlock();
        }
    }

    @Override
    public ChunkResult endOfStream(Direction direction, ChunkSink sink) {
        Objects.requireNonNull(sink, "sink");
        DirectionState ds = state(direction);
        lock.lock();
        try {
            return run(ds, NO_SEGMENTS, 0, true, sink);
        } finally {
            ds.forgetSegments(0);
            lock.unlock();
        }
    }

    private DirectionState state(Direction direction) {
        return direction == Direction.SEND ? send : recv;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The chain
    // ---------------------------------------------------------------------------------------------------------

    private ChunkResult run(DirectionState ds, ByteBuffer[] segments, int count, boolean endOfStream, ChunkSink sink) {
        if (closed) {
            throw new IllegalStateException("flow " + id + " is closed; the stack must open a new flow");
        }
        int input = 0;
        for (int i = 0; i < count; i++) {
            input += segments[i].remaining();
        }
        Counters counters = ds.counters;
        if (input > 0) {
            counters.increment(CHUNKS);
            counters.add(BYTES_IN, input);
        }
        String asked = pendingAbort;
        if (asked != null && status != FlowState.ABORTED) {
            abort(asked);
        }
        if (status == FlowState.ABORTED) {
            return ds.aborted(abortReason);
        }
        if (status == FlowState.BYPASSED) {
            int out = deliver(segments, count, sink);
            counters.increment(PASSED);
            counters.add(BYTES_OUT, out);
            return ds.result(Outcome.BYPASSED, input, out);
        }
        RuntimeSettings settings = table.settings();
        refreshChain(settings);

        ByteBuffer[] work = segments;
        int workCount = count;
        if (ds.hold.length() > 0) {
            work = ds.withHeld(segments, count);
            workCount = count + 1;
        } else if (endOfStream) {
            return ds.result(Outcome.ORIGINAL, 0, 0); // nothing held: the end of a stream needs no module
        }

        Attachment holder = ds.holder;
        if (holder != null && !endOfStream && ds.hold.length() + input < ds.holderWants) {
            // The holder asked for more than there is: keep accumulating without calling it.
            if (!ds.hold.append(segments, count, settings.holdLimit())) {
                return fault(ds, holder, ModuleRule.HOLD_LIMIT.broken("held more than the hold limit of "
                        + settings.holdLimit() + " bytes waiting for " + ds.holderWants + " in " + ds.direction
                        + " of flow " + id), false);
            }
            Counters mine = holder.counters(ds.direction);
            mine.add(BYTES_IN, input);
            mine.increment(HELD);
            counters.increment(HELD);
            return ds.result(Outcome.HELD, input, 0);
        }

        Attachment skip = null;
        if (holder != null) {
            if (!holder.detached && holder.module.callable()) {
                Verdict verdict = invoke(holder, ds, work, workCount, input, endOfStream, settings);
                if (verdict == null) {
                    return ds;
                }
                if (verdict != Verdict.TRY_NEXT) {
                    return decide(holder, verdict, ds, work, workCount, input, endOfStream, sink, settings);
                }
            }
            skip = holder;
            ds.holder = null; // the held bytes are now just the start of this chunk
        }
        for (Attachment a : chain) {
            if (a == skip || a.detached || !a.module.callable()) {
                continue; // an inactive module stays attached but answers TRY_NEXT without being called (rule 10)
            }
            Verdict verdict = invoke(a, ds, work, workCount, input, endOfStream, settings);
            if (verdict == null) {
                return ds;
            }
            if (verdict != Verdict.TRY_NEXT) {
                return decide(a, verdict, ds, work, workCount, input, endOfStream, sink, settings);
            }
        }
        return passOriginal(ds, work, workCount, input, sink, Outcome.ORIGINAL);
    }

    /**
     * Calls one module with its views lent for the call.
     *
     * @return the verdict, or {@code null} if the module faulted (the flow is then aborted and {@code ds} holds
     *         the result)
     */
    private Verdict invoke(Attachment a, DirectionState ds, ByteBuffer[] work, int workCount, int input,
            boolean endOfStream, RuntimeSettings settings) {
        a.cursor.lend(work, workCount, endOfStream, datagram, settings.holdLimit());
        a.output.lend(settings.outputLimit());
        a.view.lend();
        long sequence = ++a.callSequence;
        inCallDirection = ds;
        IN_CALL_SEQUENCE.setRelease(this, sequence);
        IN_CALL.setRelease(this, a);
        Verdict verdict = null;
        Throwable thrown = null;
        try {
            verdict = a.call(ds.direction);
        } catch (Throwable t) {
            thrown = t; // contained: whatever a module throws, the stack goes on
        } finally {
            IN_CALL.setRelease(this, (Attachment) null);
            a.cursor.endCall();
            a.output.endCall();
            a.view.endCall();
        }
        Counters counters = a.counters(ds.direction);
        counters.increment(CHUNKS);
        counters.add(BYTES_IN, input); // held bytes were counted when they arrived

        boolean watchdogReported = a.overranCall == sequence;
        String problem = null;
        if (watchdogReported) {
            problem = a.overranProblem; // as the watchdog logged it
        } else if (thrown != null) {
            problem = thrownProblem(thrown, where(ds, work, workCount));
        } else if (verdict == null) {
            problem = ModuleRule.BOTH_PATHS.broken("returned null instead of a Verdict " + where(ds, work, workCount));
        } else if (a.cursor.holdFrom() >= 0 && verdict != Verdict.DELIVER && verdict != Verdict.DROP) {
            problem = ModuleRule.HOLD_NEEDS_DELIVER_OR_DROP.broken("called holdUnread() but answered " + verdict + " "
                    + where(ds, work, workCount));
        } else if (verdict == Verdict.DELIVER && a.output.hasExplicitLength()
                && a.output.explicitLength() > a.output.written()) {
            problem = ModuleRule.COPY_LENGTH.broken("delivered a copy length of " + a.output.explicitLength()
                    + " bytes but wrote only " + a.output.written() + " (out of range) " + where(ds, work, workCount));
        }
        if (problem != null) {
            a.output.release();
            a.cursor.clear();
            fault(ds, a, problem, watchdogReported);
            return null;
        }
        return verdict;
    }

    /** Carries out the verdict of the module that decided for the chunk. */
    private ChunkResult decide(Attachment a, Verdict verdict, DirectionState ds, ByteBuffer[] work, int workCount,
            int input, boolean endOfStream, ChunkSink sink, RuntimeSettings settings) {
        Counters mine = a.counters(ds.direction);
        switch (verdict) {
            case DELIVER, DROP -> {
                int length = verdict == Verdict.DROP ? 0
                        : a.output.hasExplicitLength() ? a.output.explicitLength() : a.output.written();
                int holdFrom = a.cursor.holdFrom();
                // Keep held bytes before delivering anything: if holding fails, nothing is delivered.
                if (holdFrom < 0) {
                    ds.releaseHold();
                } else if (endOfStream) {
                    int discarded = totalOf(work, workCount) - holdFrom;
                    mine.add(HELD_DISCARDED, discarded);
                    ds.counters.add(HELD_DISCARDED, discarded);
                    ds.releaseHold();
                } else if (keepHeld(a, ds, work, workCount, holdFrom, settings)) {
                    ds.holder = a;
                    ds.holderWants = a.cursor.holdWanted();
                } else {
                    a.output.release();
                    a.cursor.clear();
                    return fault(ds, a, ModuleRule.HOLD_LIMIT.broken("held more than the hold limit of "
                            + settings.holdLimit() + " bytes " + where(ds, work, workCount)), false);
                }
                a.cursor.clear();
                try {
                    if (length > 0) {
                        a.output.deliverTo(sink, length);
                    }
                } finally {
                    a.output.release();
                }
                Outcome outcome;
                int counter;
                if (length > 0) {
                    outcome = Outcome.CUSTOMIZED;
                    counter = CUSTOMIZED;
                } else if (holdFrom == 0) {
                    outcome = Outcome.HELD; // nothing consumed: the module is waiting for more
                    counter = HELD;
                } else {
                    outcome = Outcome.DROPPED;
                    counter = DROPPED;
                }
                mine.increment(counter);
                ds.counters.increment(counter);
                mine.add(BYTES_OUT, length);
                ds.counters.add(BYTES_OUT, length);
                return ds.result(outcome, input, length);
            }
            case NO_CUSTOMIZATION -> {
                release(a);
                mine.increment(PASSED);
                return passOriginal(ds, work, workCount, input, sink, Outcome.ORIGINAL);
            }
            case SKIP_FLOW -> {
                release(a);
                mine.increment(PASSED);
                ChunkResult result = passOriginal(ds, work, workCount, input, sink, Outcome.BYPASSED);
                bypass();
                return result;
            }
            case ERROR -> {
                String code = a.output.hasExplicitLength() ? " (copy length " + a.output.explicitLength() + ")" : "";
                release(a);
                mine.increment(ERRORS);
                ds.counters.increment(ERRORS);
                String problem = "reported an error" + code + " for flow " + id;
                a.module.recordError(problem);
                LOG.log(Level.INFO, "module ''{0}'' {1}; aborting the flow ({2})", a.module.name(), problem, info);
                abort("module '" + a.module.name() + "' " + problem);
                return ds.aborted(abortReason);
            }
            default -> throw new AssertionError("TRY_NEXT is handled by the chain loop");
        }
    }

    /**
     * Keeps the bytes a module holds. When the chunk began with bytes held before, keeping moves them within the hold
     * buffer: output passed by reference from them is copied first.
     */
    private static boolean keepHeld(Attachment a, DirectionState ds, ByteBuffer[] work, int workCount, int holdFrom,
            RuntimeSettings settings) {
        if (ds.hold.length() > 0) {
            a.output.copyReferencesTo(0); // the held bytes are the chunk's first segment
        }
        return ds.hold.keep(work, workCount, holdFrom, settings.holdLimit());
    }

    private void release(Attachment a) {
        a.output.release();
        a.cursor.clear();
    }

    private ChunkResult passOriginal(DirectionState ds, ByteBuffer[] work, int workCount, int input, ChunkSink sink,
            Outcome outcome) {
        int out = deliver(work, workCount, sink);
        ds.releaseHold();
        ds.counters.increment(PASSED);
        ds.counters.add(BYTES_OUT, out);
        return ds.result(outcome, input, out);
    }

    private static int deliver(ByteBuffer[] segments, int count, ChunkSink sink) {
        int out = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer segment = segments[i];
            int n = segment.remaining();
            if (n > 0) {
                sink.accept(segment);
                out += n;
            }
        }
        return out;
    }

    private ChunkResult fault(DirectionState ds, Attachment a, String problem, boolean alreadyReported) {
        if (!alreadyReported) { // the watchdog counted a call past the budget when it caught it
            a.counters(ds.direction).increment(FAULTS);
            ds.counters.increment(FAULTS);
            table.moduleFault(a.module, problem, this);
        }
        abort("module '" + a.module.name() + "' " + problem);
        return ds.aborted(abortReason);
    }

    private void abort(String reason) {
        status = FlowState.ABORTED;
        abortReason = reason;
        send.releaseHold();
        recv.releaseHold();
        countAbort();
    }

    private void countAbort() {
        if (abortCounted.compareAndSet(false, true)) {
            table.flowAborted();
        }
    }

    /** SKIP_FLOW: no module is ever called again for this flow, in either direction (rule 6). */
    private void bypass() {
        status = FlowState.BYPASSED;
        for (Attachment a : chain) {
            retire(a);
        }
        chain = NONE;
        send.releaseHold();
        recv.releaseHold();
    }

    /** Catches up with the registry: detached modules leave, new modules that apply now join, priorities re-sort. */
    private void refreshChain(RuntimeSettings settings) {
        if (compactionWanted) {
            compactionWanted = false;
            for (Attachment a : chain) {
                if (a.detached) {
                    removeAttachment(a);
                }
            }
        }
        if (status == FlowState.BYPASSED || status == FlowState.ABORTED) {
            return;
        }
        ModuleRegistry registry = table.registry();
        long matchEpoch = registry.matchEpoch();
        boolean changed = false;
        if (matchEpoch != seenMatchEpoch || rematchWanted) {
            seenMatchEpoch = matchEpoch;
            rematchWanted = false;
            changed = attachMatching(registry.liveModules(), settings.maxChain());
        }
        long orderEpoch = registry.orderEpoch();
        if (changed || orderEpoch != seenOrderEpoch) {
            seenOrderEpoch = orderEpoch;
            sortChain();
        }
        FlowState now = chain.length > 0 ? FlowState.CUSTOMIZED : FlowState.UNMATCHED;
        if (status != now) {
            status = now;
        }
    }

    /**
     * Attaches live modules that match and may join, best first, while there is room. A module may join a flow
     * that was already open when it went live only if it applies now; this one rule covers opening, apply-now and
     * a slot freed by an unload.
     */
    private boolean attachMatching(Module[] live, int maxChain) {
        boolean changed = false;
        for (Module m : live) {
            if (chain.length >= maxChain) {
                break;
            }
            if (isAttached(m) || (m.liveSequence() > openSequence && !m.settings().applyNow())
                    || !m.settings().target().matches(info)) {
                continue;
            }
            Attachment a = new Attachment(m, this, table.pool());
            if (m.attach(a)) {
                chain = Arrays.copyOf(chain, chain.length + 1);
                chain[chain.length - 1] = a;
                changed = true;
            }
        }
        return changed;
    }

    private boolean isAttached(Module m) {
        for (Attachment a : chain) {
            if (a.module == m) {
                return true;
            }
        }
        return false;
    }

    private void sortChain() {
        // Insertion sort of a copy: chains are short, and snapshots may be reading the current array.
        Attachment[] chain = this.chain.clone();
        for (int i = 1; i < chain.length; i++) {
            Attachment a = chain[i];
            int j = i - 1;
            while (j >= 0 && ModuleRegistry.CHAIN_ORDER.compare(chain[j].module, a.module) > 0) {
                chain[j + 1] = chain[j];
                j--;
            }
            chain[j + 1] = a;
        }
        this.chain = chain;
    }

    private void removeAttachment(Attachment a) {
        int at = Arrays.asList(chain).indexOf(a);
        if (at >= 0) {
            Attachment[] next = new Attachment[chain.length - 1];
            System.arraycopy(chain, 0, next, 0, at);
            System.arraycopy(chain, at + 1, next, at, chain.length - at - 1);
            chain = next;
        }
        for (DirectionState ds : new DirectionState[] { send, recv }) {
            if (ds.holder == a) {
                ds.holder = null; // its held bytes pass on, unchanged, as the start of the next chunk
                ds.holderWants = 0;
            }
        }
        retire(a);
        rematchWanted = true;
    }

    private void retire(Attachment a) {
        if (a.retired) {
            return;
        }
        a.retired = true;
        Throwable failed = a.view.closeState();
        if (failed != null) {
            LOG.log(Level.WARNING, "module ''" + a.module.name() + "'': closing its state for flow " + id
                    + " failed", failed);
        }
        a.module.retire(a);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Other threads
    // ---------------------------------------------------------------------------------------------------------

    /** An unloading module leaves this flow; waits a bounded time for a call in progress. */
    void detachFromModuleSide(Attachment a, String reason) {
        long waitMillis = table.settings().callBudgetMillis() + 100;
        boolean locked = false;
        try {
            locked = lock.tryLock(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (locked) {
            try {
                removeAttachment(a);
            } finally {
                lock.unlock();
            }
            return;
        }
        // A call has been running for longer than its budget: leave the flow to drop the module when it can.
        a.detached = true;
        compactionWanted = true;
        a.module.retire(a);
        LOG.log(Level.WARNING, "module ''{0}'' detached from flow {1} without waiting for its call in progress,"
                + " which has run for more than {2} ms ({3})", a.module.name(), String.valueOf(id),
                String.valueOf(waitMillis), reason);
    }

    /** A module used a view outside its call (rule 2): count it now, abort the flow at once. */
    void keptViewUsed(Attachment a, String problem) {
        table.moduleFault(a.module, problem, this);
        abortSoon("module '" + a.module.name() + "' " + problem);
    }

    /**
     * Reports a call running past the budget, once per call. Called by the watchdog at every scan: a call is
     * reported once the watchdog has seen it in progress for the whole budget, so never early, and at most one scan
     * late. The hot path reads no clock for this.
     */
    void checkCallBudget(long now, long budgetNanos) {
        Attachment a = (Attachment) IN_CALL.getAcquire(this);
        long sequence = (long) IN_CALL_SEQUENCE.getAcquire(this);
        if (a == null || a != IN_CALL.getAcquire(this)) {
            watchedCall = null; // idle, or between calls: look again next time
            return;
        }
        if (a != watchedCall || sequence != watchedSequence) {
            watchedCall = a;
            watchedSequence = sequence;
            watchedSince = now;
            return;
        }
        if (now - watchedSince < budgetNanos || a.overranCall == sequence) {
            return;
        }
        String problem = ModuleRule.CALL_BUDGET.broken("ran longer than the call budget of " + budgetNanos / 1_000_000
                + " ms (still running after at least " + (now - watchedSince) / 1_000_000 + " ms) in "
                + inCallDirection.direction.name().toLowerCase() + " of flow " + id);
        a.overranProblem = problem;
        a.overranCall = sequence; // publishes the problem to the flow's thread
        // Counted now, not when the call returns: a call that never does must still show in lsmod and modinfo. The
        // flow's thread, the only other writer of these counters, is inside that call.
        DirectionState ds = inCallDirection;
        a.counters(ds.direction).increment(FAULTS);
        ds.counters.increment(FAULTS);
        table.moduleFault(a.module, problem, this);
        abortSoon("module '" + a.module.name() + "' " + problem);
    }

    private void abortSoon(String reason) {
        if (pendingAbort != null || status == FlowState.ABORTED || closed) {
            return;
        }
        pendingAbort = reason;
        countAbort(); // now, when the stack resets the flow, not when a stuck call returns, if ever
        try {
            control.abort(reason);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "the stack failed to abort flow " + id + " (" + reason + ")", t);
        }
    }

    @Override
    public void close() {
        boolean locked = false;
        try {
            locked = lock.tryLock(table.settings().callBudgetMillis() + 100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (locked) {
                for (Attachment a : chain) {
                    retire(a);
                }
                chain = NONE;
                send.releaseHold();
                recv.releaseHold();
                if (status != FlowState.ABORTED) {
                    status = FlowState.CLOSED;
                }
            } else {
                // A module call is stuck in this flow: let the modules go; the stuck thread keeps its views.
                for (Attachment a : chain) {
                    a.module.retire(a);
                }
            }
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
        table.closed(this, send.counters, recv.counters);
    }

    /** @return a snapshot for operators; reads without the lock, so it never waits for a module */
    FlowDTO toDTO() {
        FlowDTO dto = new FlowDTO();
        dto.id = id;
        dto.protocol = info.transport().name().toLowerCase();
        dto.network = info.network().name();
        dto.local = FlowTable.format(info.local());
        dto.remote = FlowTable.format(info.remote());
        dto.initiator = info.initiator().name().toLowerCase();
        dto.pid = info.owner().pid();
        dto.tgid = info.owner().tgid();
        dto.threadName = info.owner().threadName();
        dto.processName = info.owner().processName();
        dto.uid = info.owner().uid();
        dto.state = closed ? FlowState.CLOSED : status;
        Attachment[] attached = chain;
        dto.modules = Arrays.stream(attached).map(a -> a.module.name()).toArray(String[]::new);
        dto.moduleBundles = Arrays.stream(attached).mapToLong(a -> a.module.origin().bundleId()).toArray();
        dto.send = send.counters.toDTO();
        dto.recv = recv.counters.toDTO();
        dto.openedAt = openedAt;
        return dto;
    }

    void sumCounters(layer45.api.runtime.CountersDTO sendTotal, layer45.api.runtime.CountersDTO recvTotal) {
        send.counters.sumInto(sendTotal);
        recv.counters.sumInto(recvTotal);
    }

    private static int totalOf(ByteBuffer[] segments, int count) {
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += segments[i].remaining();
        }
        return total;
    }

    /**
     * @return where a call was: its direction, the flow, and the chunk's place in the stream (its first byte's
     *         offset, counting from 0, and its length, held bytes included)
     */
    private String where(DirectionState ds, ByteBuffer[] work, int workCount) {
        int length = totalOf(work, workCount);
        long start = ds.counters.get(BYTES_IN) - length;
        return "in " + ds.direction.name().toLowerCase() + " of flow " + id + ", on the chunk of " + length
                + " bytes at stream byte " + start;
    }

    /** @return the rule a thrown exception breaks: the one a view named, 7 for a cursor moved out of bounds, else 4 */
    private static String thrownProblem(Throwable thrown, String where) {
        if (thrown instanceof RuleBrokenException broken) {
            return broken.rule().broken(broken.what() + " " + where);
        }
        StackTraceElement[] trace = thrown.getStackTrace();
        if (thrown instanceof IllegalArgumentException && trace.length > 0
                && trace[0].getClassName().equals(ChunkCursor.class.getName())) {
            return ModuleRule.READ_THROUGH_THE_CURSOR.broken(thrown.getMessage() + " " + where + " ("
                    + describe(thrown) + ")");
        }
        return ModuleRule.ERRORS_ARE_VERDICTS.broken("threw " + describe(thrown) + " " + where);
    }

    private static String describe(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        String where = trace.length > 0 ? " at " + trace[0] : "";
        return t.getClass().getName() + (t.getMessage() != null ? ": " + t.getMessage() : "") + where;
    }

    @Override
    public String toString() {
        return "flow " + id + " (" + info + ")";
    }
}
