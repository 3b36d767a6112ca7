package layer45.runtime.osgi;

import java.lang.System.Logger.Level;
import java.util.Hashtable;
import java.util.Map;

import layer45.api.runtime.CustomizationRuntime;
import layer45.api.spi.FlowTap;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.module.Module;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The layer45 runtime as a Declarative Services component.
 *
 * <p>The runtime object is published by hand rather than by DS, so that it exists, with its flows and modules,
 * exactly as long as this component: a new configuration changes its settings in place instead of replacing it.
 */
@Component(immediate = true, configurationPid = RuntimeComponent.PID, service = {})
@Designate(ocd = RuntimeComponent.Config.class)
public final class RuntimeComponent {

    /** Configuration PID of the runtime's settings. */
    public static final String PID = "layer45.runtime";

    private static final System.Logger LOG = System.getLogger("layer45.runtime");

    /** The runtime's settings, as described to configuration tools; read as {@link RuntimeSettings}. */
    @ObjectClassDefinition(id = PID, name = "layer45 runtime", description = "Limits and budgets of the runtime")
    public @interface Config {
        /** @return most modules per flow */
        @AttributeDefinition(name = "Chain limit", description = "Most modules attached to one flow", min = "1", max = "64")
        int max_chain() default 5;

        /** @return call budget */
        @AttributeDefinition(name = "Call budget (ms)", description = "Longest one module call may take; longer is a fault that aborts the flow", min = "1")
        long call_budget_ms() default 1000;

        /** @return fault budget */
        @AttributeDefinition(name = "Fault budget", description = "Faults a module may have within the fault window; one more deactivates it", min = "0")
        int fault_budget() default 10;

        /** @return fault window */
        @AttributeDefinition(name = "Fault window (s)", description = "Window of the fault budget", min = "1")
        long fault_window_s() default 60;

        /** @return output limit */
        @AttributeDefinition(name = "Output limit (bytes)", description = "Most bytes a module may write for one chunk", min = "1024")
        int output_limit() default 1 << 20;

        /** @return hold limit */
        @AttributeDefinition(name = "Hold limit (bytes)", description = "Most bytes a module may hold back in one direction of a flow", min = "1024")
        int hold_limit() default 256 << 10;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime componentRuntime;

    private final BundleContext context;
    private final Layer45Runtime runtime;
    private final ServiceTracker<Object, CustomizationTracker.Tracked> customizations;
    private final ServiceRegistration<?> published;
    private final ServiceRegistration<ConfigurationListener> parameterListener;

    /**
     * Starts the runtime.
     *
     * @param context this bundle's context
     * @param properties the runtime's configuration
     */
    @Activate
    public RuntimeComponent(BundleContext context, Map<String, Object> properties) {
        this.context = context;
        ConfigAdminParameterStore parameters = new ConfigAdminParameterStore(() -> configurationAdmin);
        this.runtime = new Layer45Runtime(settingsOr(RuntimeSettings.DEFAULTS, properties), parameters, this::disable);
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(Constants.SERVICE_DESCRIPTION, "layer45 customization runtime");
        this.published = context.registerService(
                new String[] { CustomizationRuntime.class.getName(), FlowTap.class.getName() }, runtime,
                serviceProperties);
        this.parameterListener = context.registerService(ConfigurationListener.class, this::parametersChanged, null);
        CustomizationTracker tracking = new CustomizationTracker(context, runtime);
        this.customizations = new ServiceTracker<>(context, filter(), tracking);
        tracking.tracker(customizations);
        customizations.open(true);
        LOG.log(Level.INFO, "layer45 runtime started: {0}", runtime.settings());
    }

    /** @param properties the new configuration; open flows use it from their next chunk */
    @Modified
    void modified(Map<String, Object> properties) {
        runtime.updateSettings(settingsOr(RuntimeSettings.from(runtime.settings()), properties));
        LOG.log(Level.INFO, "layer45 runtime settings: {0}", runtime.settings());
    }

    /** Stops tracking modules and withdraws the runtime; modules are detached from every flow. */
    @Deactivate
    void deactivate() {
        customizations.close();
        parameterListener.unregister();
        published.unregister();
        runtime.close();
        LOG.log(Level.INFO, "layer45 runtime stopped");
    }

    private void parametersChanged(ConfigurationEvent event) {
        String module = ConfigAdminParameterStore.moduleOf(event.getPid());
        if (module != null) {
            runtime.parametersChanged(module); // re-reads the store: events arrive late and out of order
        }
    }

    /** An operator unloaded a module: disable its component so it does not come back until enabled again. */
    private void disable(Module module) {
        ServiceComponentRuntime scr = componentRuntime;
        Bundle bundle = context.getBundle(module.origin().bundleId());
        ComponentDescriptionDTO description = scr == null || bundle == null ? null
                : scr.getComponentDescriptionDTO(bundle, module.name());
        if (description == null) {
            LOG.log(Level.WARNING, "module ''{0}'' is unloaded, but it is not a Declarative Services component, so its"
                    + " service stays registered (unused); stop bundle {1} to release it", module.name(),
                    module.origin());
            return;
        }
        scr.disableComponent(description);
    }

    private static RuntimeSettings settingsOr(RuntimeSettings current, Map<String, Object> properties) {
        try {
            return RuntimeSettings.from(properties);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "layer45 runtime configuration ({0}) ignored, keeping the settings in force: {1}",
                    PID, e.getMessage());
            return current;
        }
    }

    private org.osgi.framework.Filter filter() {
        try {
            return context.createFilter(CustomizationTracker.FILTER);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
