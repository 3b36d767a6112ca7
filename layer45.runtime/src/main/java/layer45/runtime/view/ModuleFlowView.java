package layer45.runtime.view;

import java.util.Objects;
import java.util.function.Supplier;

import layer45.api.Flow;
import layer45.api.FlowInfo;

/** The {@link Flow} one module sees for one flow, and the home of its per-flow state. */
public final class ModuleFlowView extends CallBound implements Flow {

    private final long id;
    private final FlowInfo info;
    private Object state;

    /**
     * @param owner the module on the flow these views belong to
     * @param id the flow's identifier
     * @param info the flow's facts
     */
    public ModuleFlowView(ViewOwner owner, long id, FlowInfo info) {
        super(owner, "Flow");
        this.id = id;
        this.info = info;
    }

    /** Lends the view to a call on the current thread. */
    public void lend() {
        bind(Thread.currentThread());
    }

    /** Ends the call. */
    public void endCall() {
        unbind();
    }

    @Override
    public long id() {
        check();
        return id;
    }

    @Override
    public FlowInfo info() {
        check();
        return info;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S> S state(Supplier<? extends S> initial) {
        check();
        if (state == null) {
            state = Objects.requireNonNull(initial.get(), "the state supplier returned null");
        }
        return (S) state;
    }

    /**
     * Drops the module's state for this flow, closing it if it is {@link AutoCloseable}.
     *
     * @return what closing it threw, or {@code null}
     */
    public Throwable closeState() {
        Object s = state;
        state = null;
        if (s instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Throwable t) {
                return t;
            }
        }
        return null;
    }
}
