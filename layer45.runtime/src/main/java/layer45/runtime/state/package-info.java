/**
 * The runtime's state on disk: what operators set on modules, kept in {@code modules.state} under
 * {@code state.dir} ({@code /var/lib/layer45} for the installed daemon) and applied when a module loads again after
 * a restart. Private to the runtime bundle.
 */
package layer45.runtime.state;
