/**
 * The layer45 runtime: binds customization modules to flows and runs their chains.
 *
 * <p>Layout, outermost first:
 * <ul>
 * <li>{@code layer45.runtime} — {@link layer45.runtime.Layer45Runtime}, the façade: management
 *     ({@code CustomizationRuntime}) and the stack's entry point ({@code FlowTap}), without OSGi.</li>
 * <li>{@code layer45.runtime.osgi} — the Declarative Services component that feeds the façade customization
 *     services and Configuration Admin, and publishes it.</li>
 * <li>{@code layer45.runtime.flow} — flows and the execution of their chains (the hot path).</li>
 * <li>{@code layer45.runtime.module} — loaded modules, their settings and life cycle, the registry.</li>
 * <li>{@code layer45.runtime.target} — parsing and matching of module targets.</li>
 * <li>{@code layer45.runtime.view} — the runtime-owned views modules read and write through, and output memory.</li>
 * <li>{@code layer45.runtime.config}, {@code layer45.runtime.stats} — settings and counters.</li>
 * </ul>
 * Dependencies point down this list; nothing here is exported.
 */
package layer45.runtime;
