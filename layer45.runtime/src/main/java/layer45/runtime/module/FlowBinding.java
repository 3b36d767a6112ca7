package layer45.runtime.module;

import layer45.api.spi.Direction;
import layer45.runtime.stats.Counters;

/** A module's attachment to one flow, seen from the module's side. */
public interface FlowBinding {

    /** @return the flow's identifier */
    long flowId();

    /**
     * @param direction a direction
     * @return this attachment's live counters for it
     */
    Counters counters(Direction direction);

    /**
     * Detaches the module from the flow: waits a bounded time for a call in progress, then removes the module from
     * the flow's chain and closes its per-flow state. The flow goes on without it.
     *
     * @param reason why, for the log
     */
    void detach(String reason);
}
