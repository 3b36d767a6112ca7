/**
 * Loaded customization modules: their identity, settings, life cycle and fault budget, and the registry that
 * holds them.
 *
 * <p>A {@link layer45.runtime.module.Module} is one customization service the runtime accepted. Its settings
 * (target, priority, active, apply-now) come from its service properties, overridden by operator parameters;
 * they are parsed into an immutable {@link layer45.runtime.module.ModuleSettings} and replaced as a whole when
 * either source changes. The {@link layer45.runtime.module.ModuleRegistry} refuses registrations it cannot run,
 * with the reason, and publishes the live modules in chain order for flows to match against. Private to the
 * runtime bundle.
 */
package layer45.runtime.module;
