package layer45.api.spi;

import org.osgi.annotation.versioning.ConsumerType;

/** Implemented by a network stack for each flow, so the runtime can abort it. */
@ConsumerType
@FunctionalInterface
public interface FlowControl {

    /**
     * Aborts the flow: reset a TCP connection at both ends, close a UDP flow. Called by the runtime from its own
     * threads, possibly while a chunk call of the same flow is still running; must not block.
     *
     * @param reason what happened, for logs and counters
     */
    void abort(String reason);
}
