/**
 * The runtime-owned views a customization works through: {@link layer45.runtime.view.ChunkCursor} (the
 * read-only chunk), {@link layer45.runtime.view.OutputBuffer} (its replacement) and
 * {@link layer45.runtime.view.ModuleFlowView} (the flow and the module's state for it).
 *
 * <p>One set of views exists per module per flow and is reused for every call, so the hot path allocates
 * nothing. A view is bound to the calling thread for the duration of one call ({@link
 * layer45.runtime.view.CallBound}); used at any other time it throws and reports the module (rule 2). Memory for
 * output comes from a {@link layer45.runtime.view.BufferPool} and is held only while a call is in progress, so
 * output memory grows with concurrent calls, not with open flows. Private to the runtime bundle.
 */
package layer45.runtime.view;
