package layer45.api.spi;

import layer45.api.FlowInfo;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime's entry point for network stacks: a service through which a stack hands each flow it terminates
 * to the customization chains.
 */
@ProviderType
public interface FlowTap {

    /**
     * Registers a new flow and attaches the customizations whose targets match it. Call it once per flow, before
     * its first chunk, when the owning process is known (matching by process name needs it).
     *
     * @param info the flow's facts
     * @param control how the runtime asks the stack to abort the flow on its own initiative (a module stuck past
     *        its time budget, say); called from a runtime thread
     * @return the flow's handle; close it when the flow ends
     */
    TappedFlow open(FlowInfo info, FlowControl control);
}
