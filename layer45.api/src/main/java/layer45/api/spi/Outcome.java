package layer45.api.spi;

/** What the runtime did with a chunk. */
public enum Outcome {
    /** The original bytes were delivered: no module attached, all answered TRY_NEXT, or NO_CUSTOMIZATION. */
    ORIGINAL,
    /** A module's output was delivered in place of the original (it may be shorter, longer, or empty). */
    CUSTOMIZED,
    /** A module dropped the chunk: nothing was delivered. */
    DROPPED,
    /**
     * A module kept the chunk's bytes to process them with the next ones (it is reassembling a frame): nothing was
     * delivered yet, and nothing was lost. {@link ChunkResult#heldBytes()} says how much is held.
     */
    HELD,
    /** The flow skips customization (a module answered SKIP_FLOW, now or earlier): the original was delivered. */
    BYPASSED,
    /** The flow must be aborted: a module reported an error or faulted. Nothing was delivered. */
    ABORTED
}
