/**
 * The operator's Gogo commands ({@code l45:lsmod}, {@code l45:insmod}, {@code l45:rmmod}, ...):
 * {@link layer45.runtime.shell.ModuleCommands}, a Declarative Services component over
 * {@link layer45.api.runtime.CustomizationRuntime} and {@link layer45.api.runtime.DeploymentService}. The text
 * they print is rendered from the runtime's DTOs by {@code Views}, so it is tested without a framework. Private to
 * the runtime bundle.
 */
package layer45.runtime.shell;
