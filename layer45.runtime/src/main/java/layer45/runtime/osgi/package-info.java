/**
 * The runtime in OSGi: {@link layer45.runtime.osgi.RuntimeComponent} builds a
 * {@link layer45.runtime.Layer45Runtime} from its configuration ({@code layer45.runtime}), publishes it as
 * {@link layer45.api.runtime.CustomizationRuntime} and {@link layer45.api.spi.FlowTap}, feeds it every
 * {@link layer45.api.Customization} service ({@link layer45.runtime.osgi.CustomizationTracker}), and keeps operator
 * parameters in Configuration Admin ({@link layer45.runtime.osgi.ConfigAdminParameterStore}). Private to the
 * runtime bundle.
 */
@org.osgi.annotation.bundle.Capability(namespace = "osgi.implementation", name = "layer45.runtime",
        version = "1.0.0", uses = { layer45.api.Customization.class, layer45.api.CustomizationService.class })
@org.osgi.annotation.bundle.Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"layer45.api.runtime.CustomizationRuntime,layer45.api.spi.FlowTap\"",
        uses = { layer45.api.runtime.CustomizationRuntime.class, layer45.api.spi.FlowTap.class })
package layer45.runtime.osgi;
