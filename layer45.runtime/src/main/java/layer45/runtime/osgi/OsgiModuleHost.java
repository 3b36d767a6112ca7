package layer45.runtime.osgi;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.function.Supplier;

import layer45.runtime.ModuleHost;
import layer45.runtime.bundle.OwnParameters;
import layer45.runtime.deploy.ModuleConfigurator;
import layer45.runtime.module.Module;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Modules as Declarative Services components: unloading disables the component; its configuration is its PID's. */
final class OsgiModuleHost implements ModuleHost {

    private static final System.Logger LOG = System.getLogger("layer45.runtime");

    private final BundleContext context;
    private final Supplier<ServiceComponentRuntime> componentRuntime;
    private final ModuleConfigurator configurator;

    OsgiModuleHost(BundleContext context, Supplier<ServiceComponentRuntime> componentRuntime,
            ModuleConfigurator configurator) {
        this.context = context;
        this.componentRuntime = componentRuntime;
        this.configurator = configurator;
    }

    /** An operator unloaded a module: disable its component so it does not come back until enabled again. */
    @Override
    public void unloaded(Module module) {
        ServiceComponentRuntime scr = componentRuntime.get();
        ComponentDescriptionDTO description = description(module);
        if (scr == null || description == null) {
            LOG.log(Level.WARNING, "module ''{0}'' is unloaded, but it is not a Declarative Services component, so its"
                    + " service stays registered (unused); stop bundle {1} to release it", module.name(),
                    module.origin());
            return;
        }
        scr.disableComponent(description);
    }

    @Override
    public void configure(Module module, Map<String, Object> properties) throws IOException {
        Bundle bundle = context.getBundle(module.origin().bundleId());
        if (bundle != null) {
            OwnParameters.check(bundle, module.name(), properties.keySet());
        }
        ComponentDescriptionDTO description = description(module);
        String pid = description != null && description.configurationPid != null
                && description.configurationPid.length > 0 ? description.configurationPid[0] : module.name();
        configurator.configure(pid, properties);
    }

    private ComponentDescriptionDTO description(Module module) {
        ServiceComponentRuntime scr = componentRuntime.get();
        Bundle bundle = context.getBundle(module.origin().bundleId());
        return scr == null || bundle == null ? null : scr.getComponentDescriptionDTO(bundle, module.name());
    }
}
