package layer45.api;

/**
 * What a {@link Customization} decides for one chunk.
 *
 * <p>The verdicts are the original Layer 4.5 buffer flags and {@code copy_length} values, made explicit:
 *
 * <table>
 * <caption>Verdicts and their Layer 4.5 origin</caption>
 * <tr><th>verdict</th><th>original</th><th>what reaches the other side</th><th>chain</th></tr>
 * <tr><td>{@link #DELIVER}</td><td>{@code copy_length > 0}</td><td>the module's output</td><td>stops</td></tr>
 * <tr><td>{@link #DROP}</td><td>{@code copy_length == 0}</td><td>nothing</td><td>stops</td></tr>
 * <tr><td>{@link #ERROR}</td><td>{@code copy_length < 0}</td><td>nothing; the flow is aborted</td><td>stops</td></tr>
 * <tr><td>{@link #NO_CUSTOMIZATION}</td><td>{@code no_cust}</td><td>the original chunk</td><td>stops</td></tr>
 * <tr><td>{@link #TRY_NEXT}</td><td>{@code try_next}</td><td>whatever the next module decides;
 *     the original if none is left</td><td>continues</td></tr>
 * <tr><td>{@link #SKIP_FLOW}</td><td>{@code set_cust_to_skip}</td><td>the original chunk, and the original
 *     of every later chunk in both directions</td><td>stops, for good</td></tr>
 * </table>
 *
 * <p>Unlike the original, where flags stayed set between calls, every call starts from a clean slate: a
 * verdict applies to the chunk it was returned for (and, for {@code SKIP_FLOW}, to the flow).
 */
public enum Verdict {

    /**
     * Deliver the module's output in place of the chunk: everything written to the {@link Output}, or the
     * first {@code n} bytes when the module returned {@link Output#deliver(int) output.deliver(n)}.
     * An empty output delivers nothing, exactly like {@link #DROP} (rule 3). Bytes of the chunk the module
     * asked to hold with {@link Chunk#holdUnread()} are kept and presented again before the next chunk.
     */
    DELIVER,

    /**
     * Deliver nothing for this chunk (rule 3, {@code copy_length == 0}). On send the application is still
     * told its bytes were sent; on receive the application reads nothing for this chunk. Held bytes are kept,
     * so {@code DROP} after {@link Chunk#holdUnread()} means "nothing yet, I need more bytes".
     */
    DROP,

    /**
     * The module reports an error for this flow (rule 4, {@code copy_length < 0}). Nothing is delivered, the
     * runtime aborts the flow cleanly (a TCP flow is reset at both ends, a UDP flow is closed), and an error is
     * counted against the module. Errors are the module's verdict about the flow (a record that fails to
     * decrypt, say) and do not count toward the fault budget that deactivates misbehaving modules.
     */
    ERROR,

    /**
     * Do not customize this chunk (rule 5, {@code no_cust}): the original chunk passes unchanged and no other
     * module is asked. This is also how a module declines a whole path (rule 1): its {@code recv} simply
     * returns {@code NO_CUSTOMIZATION}.
     */
    NO_CUSTOMIZATION,

    /**
     * This chunk is not for this module: ask the next module in priority order, with the original chunk from
     * its start. When no module is left, the original chunk passes unchanged.
     */
    TRY_NEXT,

    /**
     * Stop customizing this flow, in both directions, for good (rule 6, {@code set_cust_to_skip}). This chunk
     * and every later one pass unchanged, and the flow's modules are detached.
     */
    SKIP_FLOW
}
