package layer45.runtime.osgi;

import java.util.HashMap;
import java.util.Map;

import layer45.runtime.Layer45Runtime;
import layer45.runtime.module.Module;
import layer45.runtime.module.ModuleOrigin;
import layer45.runtime.module.ModuleRefusedException;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Hands every service registered as a {@code layer45.api.Customization} to the runtime, and tells it when one
 * changes or goes away.
 *
 * <p>It tracks all such services, including those whose bundle is wired to another copy of the API, so that they
 * are refused with a reason rather than silently ignored. A refused service stays tracked: when its properties
 * change (its configuration was fixed), or when a module leaves (its name may be free now), it is tried again.
 */
final class CustomizationTracker implements ServiceTrackerCustomizer<Object, CustomizationTracker.Tracked> {

    /** Service filter of everything registered as a customization. */
    static final String FILTER = "(" + Constants.OBJECTCLASS + "=layer45.api.Customization)";

    /** What is known about one tracked service; {@code module} is null while it is refused. */
    static final class Tracked {
        Object service;
        Module module;
    }

    private final BundleContext context;
    private final Layer45Runtime runtime;
    private ServiceTracker<Object, Tracked> tracker;

    CustomizationTracker(BundleContext context, Layer45Runtime runtime) {
        this.context = context;
        this.runtime = runtime;
    }

    @Override
    public Tracked addingService(ServiceReference<Object> reference) {
        Tracked tracked = new Tracked();
        tryLoad(reference, tracked);
        return tracked;
    }

    @Override
    public void modifiedService(ServiceReference<Object> reference, Tracked tracked) {
        if (tracked.module == null) {
            tryLoad(reference, tracked);
        } else {
            runtime.servicePropertiesChanged(tracked.module, properties(reference));
        }
    }

    @Override
    public void removedService(ServiceReference<Object> reference, Tracked tracked) {
        if (tracked.module != null) {
            runtime.serviceGone(tracked.module);
            retryRefused(); // a registration refused for its name may now fit
        }
        if (tracked.service != null) {
            context.ungetService(reference);
        }
    }

    /** @param tracker the tracker this customizer serves, to look through the services it refused */
    void tracker(ServiceTracker<Object, Tracked> tracker) {
        this.tracker = tracker;
    }

    private void retryRefused() {
        if (tracker == null) {
            return;
        }
        tracker.getTracked().forEach((reference, other) -> {
            if (other.module == null && other.service != null) {
                tryLoad(reference, other);
            }
        });
    }

    private void tryLoad(ServiceReference<Object> reference, Tracked tracked) {
        String name = nameOf(reference);
        ModuleOrigin origin = originOf(reference.getBundle());
        if (tracked.service == null) {
            tracked.service = context.getService(reference);
            if (tracked.service == null) {
                runtime.refuse(name, origin, "the framework returned no service object for it (a component that"
                        + " failed to activate, or a service factory that returned null or something that is not a"
                        + " Customization); see the framework log");
                return;
            }
        }
        try {
            tracked.module = runtime.load(name, tracked.service, properties(reference), origin);
        } catch (ModuleRefusedException e) {
            tracked.module = null; // logged and listed by the runtime; retried when the properties change
        }
    }

    private static String nameOf(ServiceReference<?> reference) {
        Object name = reference.getProperty("component.name");
        if (name == null) {
            name = reference.getProperty(Constants.SERVICE_PID);
        }
        return name == null ? null : name.toString();
    }

    private static ModuleOrigin originOf(Bundle bundle) {
        if (bundle == null) {
            return ModuleOrigin.NONE;
        }
        return new ModuleOrigin(bundle.getBundleId(), String.valueOf(bundle.getSymbolicName()),
                bundle.getVersion().toString());
    }

    private static Map<String, Object> properties(ServiceReference<?> reference) {
        Map<String, Object> properties = new HashMap<>();
        for (String key : reference.getPropertyKeys()) {
            properties.put(key, reference.getProperty(key));
        }
        return properties;
    }
}
