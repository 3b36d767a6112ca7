package layer45.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.Flow;
import layer45.api.FlowInfo;
import layer45.api.Output;
import layer45.api.Verdict;
import layer45.api.spi.Direction;

/**
 * What the runtime loads in place of the module under test: passes every call on unchanged (the module gets the
 * runtime's own Chunk and Output, and a Flow that forwards to the runtime's), and notes the verdict, the module's
 * per-flow state, and views the module kept ({@link KeptViews}).
 */
final class Recorder implements Customization {

    /** The last call of a flow: its direction and the module's verdict, or null if it threw. */
    record Call(Direction direction, Verdict verdict) {
    }

    private final Customization module;
    private final String name;
    private final Map<Long, Call> lastCalls = new ConcurrentHashMap<>();
    private final Map<Long, Object> states = new ConcurrentHashMap<>();

    Recorder(Customization module, String name) {
        this.module = module;
        this.name = name;
    }

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        return call(Direction.SEND, source, output, flow);
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        return call(Direction.RECV, source, output, flow);
    }

    private Verdict call(Direction direction, Chunk source, Output output, Flow flow) {
        StateNoting noting = new StateNoting(flow);
        lastCalls.put(flow.id(), new Call(direction, null));
        Verdict verdict = direction == Direction.SEND ? module.send(source, output, noting)
                : module.recv(source, output, noting);
        lastCalls.put(flow.id(), new Call(direction, verdict));
        KeptViews.check(name, module, states.get(flow.id()), source, output, noting, flow);
        return verdict;
    }

    /** @return the last call the module got for the flow, or null if it got none */
    Call lastCall(long flowId) {
        return lastCalls.get(flowId);
    }

    /** Forgets the last call of a flow, so the next step tells whether the module was called. */
    void forgetCall(long flowId) {
        lastCalls.remove(flowId);
    }

    /** @return the module's state for the flow, or null if it made none */
    Object state(long flowId) {
        return states.get(flowId);
    }

    Customization module() {
        return module;
    }

    /** The runtime's Flow, noting the state the module keeps in it. */
    private final class StateNoting implements Flow {
        private final Flow flow;

        StateNoting(Flow flow) {
            this.flow = flow;
        }

        @Override
        public long id() {
            return flow.id();
        }

        @Override
        public FlowInfo info() {
            return flow.info();
        }

        @Override
        public <S> S state(Supplier<? extends S> initial) {
            S state = flow.state(initial);
            states.put(flow.id(), state);
            return state;
        }
    }
}
