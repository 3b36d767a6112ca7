/**
 * Managing a running layer45: the loaded customization modules, their state and parameters, and the open flows.
 *
 * <p>{@link layer45.api.runtime.CustomizationRuntime} is the one façade every management tool uses (the Gogo
 * shell, the autoload folder, remote agents); it answers with public-field DTOs (plain classes, so the API needs
 * nothing beyond the JDK) and reports bad requests with a coded {@link layer45.api.runtime.Layer45Exception}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package layer45.api.runtime;
