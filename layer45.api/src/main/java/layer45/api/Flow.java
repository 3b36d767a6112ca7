package layer45.api;

import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The flow a chunk belongs to, as one module sees it: the facts about the flow and the module's own state
 * for it.
 *
 * <p>A {@code Flow} object is specific to one module on one flow and, like the chunk, valid only during the call
 * (rule 2). The {@link FlowInfo} it returns is an immutable value the module may keep.
 */
@ProviderType
public interface Flow {

    /** @return the runtime's identifier of the flow, unique while the runtime runs; shown by operator tools */
    long id();

    /** @return protocol, addresses, ports and the owning process of the flow; never {@code null} */
    FlowInfo info();

    /**
     * Returns this module's state for this flow, creating it on first use.
     *
     * <p>Each module has one state object per flow; it lives until the module is detached from the flow (the
     * flow closes, the module is unloaded, or the flow is skipped). If it implements {@link AutoCloseable} it is
     * closed then. Because calls for one flow never overlap, the state needs no locking.
     *
     * <pre>{@code
     * Framing framing = flow.state(Framing::new);   // a non-capturing reference allocates nothing per call
     * }</pre>
     *
     * @param <S> the state's type; a module must use one type per flow
     * @param initial creates the state on first use; must not return {@code null}
     * @return the state
     * @throws ClassCastException if the module asks for a different type than it created
     */
    <S> S state(Supplier<? extends S> initial);
}
