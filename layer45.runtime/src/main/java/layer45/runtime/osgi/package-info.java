/**
 * The runtime in OSGi: {@link layer45.runtime.osgi.RuntimeComponent} builds a
 * {@link layer45.runtime.Layer45Runtime} and a {@link layer45.runtime.deploy.Deployer} from the configuration file
 * and {@code layer45.runtime} in Configuration Admin, publishes them as
 * {@link layer45.api.runtime.CustomizationRuntime}, {@link layer45.api.spi.FlowTap} and
 * {@link layer45.api.runtime.DeploymentService}, feeds the runtime every {@link layer45.api.Customization} service
 * ({@link layer45.runtime.osgi.CustomizationTracker}), and keeps operator parameters
 * ({@link layer45.runtime.osgi.ConfigAdminParameterStore}) and modules' own configuration
 * ({@link layer45.runtime.osgi.ConfigAdminConfigurator}) in Configuration Admin. Private to the runtime bundle.
 */
@org.osgi.annotation.bundle.Capability(namespace = "osgi.implementation", name = "layer45.runtime",
        version = "1.0.0", uses = { layer45.api.Customization.class, layer45.api.CustomizationService.class })
@org.osgi.annotation.bundle.Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"layer45.api.runtime.CustomizationRuntime,layer45.api.spi.FlowTap\"",
        uses = { layer45.api.runtime.CustomizationRuntime.class, layer45.api.spi.FlowTap.class })
@org.osgi.annotation.bundle.Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"layer45.api.runtime.DeploymentService\"",
        uses = layer45.api.runtime.DeploymentService.class)
package layer45.runtime.osgi;
