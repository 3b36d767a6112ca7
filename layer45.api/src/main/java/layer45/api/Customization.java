package layer45.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A customization module: changes the bytes an unmodified application exchanges with the network.
 *
 * <p>A customization is an OSGi service (usually a Declarative Services component annotated with
 * {@link CustomizationService}) that the layer45 runtime attaches to the flows its target matches. It has two
 * paths, and must implement both (rule 1):
 *
 * <pre>
 *            application (unmodified program)
 *                 | write()            ^ read()
 *                 v                    |
 *   +--------------------------------------------------+
 *   | send chain                recv chain             |   one chain per flow, at most 5 modules
 *   |  [prio 10] send()  ..      [prio 10] recv()  ..  |   (configurable), lowest priority first;
 *   |  [prio 20] send()  ..      [prio 20] recv()  ..  |   the first module that does not answer
 *   |  ...                        ...                  |   TRY_NEXT decides for the chunk
 *   +--------------------------------------------------+
 *                 |                    ^
 *                 v                    |
 *            layer 4 (TCP / UDP) and the network
 * </pre>
 *
 * <h2>One call, one chunk</h2>
 * Each call hands the module one chunk of the flow in one direction: a read-only {@link Chunk} view of the
 * original bytes, an empty {@link Output} to write the replacement into, and the {@link Flow}. The module
 * returns a {@link Verdict}. For a TCP flow a chunk is an arbitrary piece of the byte stream, not a message
 * the application wrote in one call; modules that work on messages frame them themselves and hold partial
 * frames back with {@link Chunk#holdUnread()}. For a UDP flow a chunk is exactly one datagram.
 *
 * <h2>Chain order and verdicts</h2>
 * The runtime calls the modules attached to a flow in priority order (lower numbers first; ties by module
 * name). The first module that answers anything but {@link Verdict#TRY_NEXT} decides what happens to the
 * chunk; modules after it are not called. Every module sees the <em>original</em> chunk, from its start.
 * An inactive module is not called at all: the runtime treats it as having answered {@code TRY_NEXT}.
 *
 * <h2>What the runtime guarantees, and what it asks</h2>
 * <ul>
 * <li>Calls for one flow never overlap, in either direction, so per-flow state needs no locking. Calls for
 *     different flows run concurrently, so a module's own fields must be thread safe or immutable. Keep
 *     per-flow state in {@link Flow#state(java.util.function.Supplier)}, never in fields keyed by anything
 *     the module guesses (the original kernel modules kept it in globals, which breaks with two
 *     connections).</li>
 * <li>The {@code Chunk}, {@code Output} and {@code Flow} objects belong to the runtime and are valid only
 *     during the call, on the calling thread (rule 2). A module that keeps one and uses it later gets an
 *     {@link IllegalStateException}, and a fault is counted against it.</li>
 * <li>A module that throws, returns {@code null}, writes past {@link Output#maxLength()}, or runs longer
 *     than the runtime's per-call time budget is contained: the flow is aborted cleanly, the module's
 *     fault counter grows, and past the runtime's fault budget the module is deactivated, with the reason
 *     shown to operators. Nothing else is disturbed.</li>
 * </ul>
 *
 * <h2>Example</h2>
 * <pre>{@code
 * @Component(name = "echo-tag-client")
 * @CustomizationService(remote_port = "65432")
 * public final class EchoTag implements Customization {
 *     static final byte[] START = "<start>".getBytes(US_ASCII), END = "<end>".getBytes(US_ASCII);
 *
 *     public Verdict send(Chunk source, Output output, Flow flow) {
 *         output.write(START);
 *         output.transferFrom(source, source.remaining());
 *         output.write(END);
 *         return Verdict.DELIVER;
 *     }
 *
 *     public Verdict recv(Chunk source, Output output, Flow flow) {
 *         return Verdict.NO_CUSTOMIZATION;    // this path is not customized (rule 1)
 *     }
 * }
 * }</pre>
 *
 * @see CustomizationService for the target and control properties
 * @see layer45.api the rule table
 */
@ConsumerType
public interface Customization {

    /**
     * Customizes one chunk the application is sending (application &rarr; network).
     *
     * <p>Whatever this method returns, the application is told its whole write was sent: it sees its own
     * byte count "as if modifications did not take place".
     *
     * @param source the original bytes, read-only and possibly in several segments
     * @param output where the replacement bytes go; empty at the start of the call
     * @param flow the flow, and this module's state for it
     * @return what to do with the chunk; never {@code null}
     */
    Verdict send(Chunk source, Output output, Flow flow);

    /**
     * Customizes one chunk received from the network for the application (network &rarr; application).
     *
     * <p>The application receives exactly the bytes delivered: with {@link Verdict#DELIVER} it reads the
     * output, with {@link Verdict#DROP} it reads nothing for this chunk.
     *
     * @param source the original bytes, read-only and possibly in several segments
     * @param output where the replacement bytes go; empty at the start of the call
     * @param flow the flow, and this module's state for it
     * @return what to do with the chunk; never {@code null}
     */
    Verdict recv(Chunk source, Output output, Flow flow);
}
