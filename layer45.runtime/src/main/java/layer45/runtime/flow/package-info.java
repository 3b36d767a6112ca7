/**
 * Flows and their chains: the {@link layer45.api.spi.TappedFlow} a network stack drives, and the execution of
 * the customization chain for every chunk.
 *
 * <p>A {@link layer45.runtime.flow.RuntimeFlow} holds the {@link layer45.runtime.flow.Attachment}s of the
 * modules matched to it, in chain order, and one {@link layer45.runtime.flow.DirectionState} per direction
 * (held bytes, counters, the reusable result). Every chunk runs under the flow's lock: the flow catches up with
 * registry changes (new modules that apply now, priority changes, detached modules), hands the chunk to the
 * holding module or to the chain, interprets the verdict, and gives the bytes to deliver to the stack's sink.
 * The {@link layer45.runtime.flow.FlowTable} keeps the open flows, runtime-wide counters, and the
 * {@link layer45.runtime.flow.CallWatchdog} that catches calls running past the time budget. Private to the
 * runtime bundle.
 */
package layer45.runtime.flow;
