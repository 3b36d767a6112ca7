package layer45.runtime.flow;

import layer45.api.Verdict;
import layer45.api.spi.Direction;
import layer45.runtime.module.FlowBinding;
import layer45.runtime.module.Module;
import layer45.runtime.stats.Counters;
import layer45.runtime.view.BufferPool;
import layer45.runtime.view.ChunkCursor;
import layer45.runtime.view.ModuleFlowView;
import layer45.runtime.view.OutputBuffer;
import layer45.runtime.view.ViewOwner;

/** One module attached to one flow: the views lent to its calls, its state for the flow, and its counters. */
final class Attachment implements FlowBinding, ViewOwner {

    final Module module;
    final RuntimeFlow flow;
    final ChunkCursor cursor;
    final OutputBuffer output;
    final ModuleFlowView view;
    private final Counters send = new Counters();
    private final Counters recv = new Counters();

    /** Number of the call in progress or last made; written under the flow's lock. */
    long callSequence;
    /** The call the watchdog found running past its budget (and already reported), or -1. */
    volatile long overranCall = -1;
    /** What the watchdog reported for that call; written before {@link #overranCall}. */
    String overranProblem = "";
    /** Set when the module was detached while the flow was busy; the flow drops it at its next chunk. */
    volatile boolean detached;
    /** Whether the per-flow state was closed and the counters handed to the module; under the flow's lock. */
    boolean retired;

    Attachment(Module module, RuntimeFlow flow, BufferPool pool) {
        this.module = module;
        this.flow = flow;
        this.cursor = new ChunkCursor(this);
        this.output = new OutputBuffer(this, pool, cursor);
        this.view = new ModuleFlowView(this, flow.id(), flow.info());
    }

    /** Calls the module for one chunk; views must have been lent. */
    Verdict call(Direction direction) {
        return direction == Direction.SEND
                ? module.customization().send(cursor, output, view)
                : module.customization().recv(cursor, output, view);
    }

    @Override
    public long flowId() {
        return flow.id();
    }

    @Override
    public Counters counters(Direction direction) {
        return direction == Direction.SEND ? send : recv;
    }

    @Override
    public void detach(String reason) {
        flow.detachFromModuleSide(this, reason);
    }

    @Override
    public void keptViewUsed(String problem) {
        flow.keptViewUsed(this, problem);
    }

    @Override
    public String moduleName() {
        return module.name();
    }
}
