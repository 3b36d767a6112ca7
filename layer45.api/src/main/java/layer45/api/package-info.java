/**
 * The layer45 customization API: what a customization module is written against.
 *
 * <p>A module is an OSGi service implementing {@link layer45.api.Customization}, usually a Declarative Services
 * component annotated with {@link layer45.api.CustomizationService} for its targets. The runtime attaches it to
 * matching flows of unmodified applications and calls it for every chunk sent and received. Start with
 * {@link layer45.api.Customization}.
 *
 * <h2>The Layer 4.5 module rules, and where each one lives here</h2>
 * The original Layer 4.5 kernel module set twelve rules for module authors ("Module Requirements"). A broken
 * rule there crashes the kernel. Here every rule is a type or a method, and the runtime enforces it.
 *
 * <table>
 * <caption>Seed rules &rarr; API &rarr; runtime behaviour</caption>
 * <tr><th>#</th><th>rule (original wording, shortened)</th><th>type / method</th><th>behaviour</th></tr>
 * <tr><td>1</td><td>Register a valid send and recv function; to leave one path alone, use
 *     {@code no_cust}.</td>
 *     <td>{@link layer45.api.Customization#send Customization.send} and
 *     {@link layer45.api.Customization#recv recv}, both abstract; {@link layer45.api.Verdict#NO_CUSTOMIZATION}</td>
 *     <td>A registration whose class lacks either path (built against another API), whose service object is not
 *     a {@code Customization}, or whose properties do not parse, is refused with the reason in the log and
 *     the runtime's refusal list. Declining a path is a verdict, not a missing method.</td></tr>
 * <tr><td>2</td><td>Do not free the send or recv buffer; Layer 4.5 handles it.</td>
 *     <td>{@link layer45.api.Chunk}, {@link layer45.api.Output}, {@link layer45.api.Flow}</td>
 *     <td>Buffers belong to the runtime and are reachable only through these views, valid during the call on
 *     the calling thread. A view kept and used later throws {@code IllegalStateException} and counts a fault
 *     against the module; it can never reach another flow's bytes.</td></tr>
 * <tr><td>3</td><td>{@code copy_length == 0}: nothing is delivered to the application or layer 4.</td>
 *     <td>{@link layer45.api.Verdict#DROP}, {@link layer45.api.Output#deliver(int) Output.deliver(0)}, or
 *     {@code DELIVER} of an empty output</td>
 *     <td>The chunk is dropped and counted. On send the application is still told its bytes went out.</td></tr>
 * <tr><td>4</td><td>{@code copy_length < 0} signals an error.</td>
 *     <td>{@link layer45.api.Verdict#ERROR}, {@link layer45.api.Output#deliver(int) Output.deliver(n &lt; 0)}</td>
 *     <td>The flow is aborted cleanly (TCP reset at both ends, UDP flow closed) and an error is counted against
 *     the module; errors do not use up its fault budget.</td></tr>
 * <tr><td>5</td><td>{@code no_cust} skips customization for this round.</td>
 *     <td>{@link layer45.api.Verdict#NO_CUSTOMIZATION}; {@link layer45.api.Verdict#TRY_NEXT} to let the next
 *     module decide</td>
 *     <td>The original chunk passes and the chain stops; with {@code TRY_NEXT} the next module in priority order
 *     gets the original chunk.</td></tr>
 * <tr><td>6</td><td>{@code set_cust_to_skip} bypasses all future customization of the socket, send and
 *     recv.</td>
 *     <td>{@link layer45.api.Verdict#SKIP_FLOW}</td>
 *     <td>The chunk and all later chunks of the flow, both directions, pass unchanged; the modules are
 *     detached and their per-flow state closed.</td></tr>
 * <tr><td>7</td><td>Do not {@code memcpy} from {@code src_iter}, which may not be linear; use
 *     {@code copy_from_iter_full}, {@code iov_iter_advance}, {@code iov_iter_revert}.</td>
 *     <td>{@link layer45.api.Chunk#copyFull(byte[]) Chunk.copyFull},
 *     {@link layer45.api.Chunk#advance(int) advance}, {@link layer45.api.Chunk#revert(int) revert},
 *     {@link layer45.api.Output#transferFrom Output.transferFrom}</td>
 *     <td>The chunk is a multi-segment cursor with no backing array to copy from; copies are all or nothing.</td></tr>
 * <tr><td>8</td><td>Do not modify {@code src_iter} except through those functions.</td>
 *     <td>{@link layer45.api.Chunk} is read-only</td>
 *     <td>Only the position moves; every module is handed the original from its start.</td></tr>
 * <tr><td>9</td><td>To load a module at boot, put the {@code .ko} in
 *     {@code /usr/lib/modules/$(uname -r)/layer4_5/customizations}.</td>
 *     <td>the runtime's autoload folder</td>
 *     <td>A bundle jar dropped into the autoload folder ({@code autoload/} by default) is loaded, now and at
 *     every start.</td></tr>
 * <tr><td>10</td><td>An inactive module attaches to sockets but does not customize; toggled remotely.</td>
 *     <td>{@link layer45.api.CustomizationService#active()},
 *     {@link layer45.api.runtime.CustomizationRuntime#setActive CustomizationRuntime.setActive}</td>
 *     <td>The runtime enforces it: an inactive module stays attached and counted but is not called (as if it
 *     answered {@code TRY_NEXT}). The change reaches open flows at their next chunk.</td></tr>
 * <tr><td>11</td><td>A deprecated module still customizes sockets it was attached to, and attaches to no new
 *     ones.</td>
 *     <td>{@link layer45.api.runtime.ModuleState#DEPRECATED},
 *     {@link layer45.api.runtime.CustomizationRuntime#deprecate CustomizationRuntime.deprecate}</td>
 *     <td>Exactly that; a deprecated module is never dropped from a flow by re-matching.</td></tr>
 * <tr><td>12</td><td>pid and tgid may have different task names; tgid likely holds the application name, such
 *     as {@code dig}.</td>
 *     <td>{@link layer45.api.ProcessOwner#processName()} (tgid) and
 *     {@link layer45.api.ProcessOwner#threadName()} (pid); {@link layer45.api.CustomizationService#process()}
 *     and {@link layer45.api.CustomizationService#thread()}</td>
 *     <td>Both names are matched separately; match {@code dig} by process name.</td></tr>
 * </table>
 *
 * <h2>Beyond the rules</h2>
 * The original's defects are not part of the contract: verdict flags are reset for every call; a flow keeps the
 * modules with the best priorities when more match than fit (not the newest); ties are ordered by name; a
 * module can hold bytes across calls ({@link layer45.api.Chunk#holdUnread()}) instead of keeping them in
 * globals; and per-flow state has a home ({@link layer45.api.Flow#state}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package layer45.api;
