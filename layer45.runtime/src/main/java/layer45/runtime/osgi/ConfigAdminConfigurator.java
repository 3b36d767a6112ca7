package layer45.runtime.osgi;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Supplier;

import layer45.runtime.deploy.ModuleConfigurator;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** A module's own configuration in Configuration Admin, under its component's configuration PID. */
final class ConfigAdminConfigurator implements ModuleConfigurator {

    private final Supplier<ConfigurationAdmin> configurationAdmin;

    ConfigAdminConfigurator(Supplier<ConfigurationAdmin> configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    @Override
    public void configure(String pid, Map<String, Object> properties) throws IOException {
        ConfigurationAdmin admin = configurationAdmin.get();
        if (admin == null) {
            throw new IOException("Configuration Admin is not running, so module configuration cannot be stored");
        }
        // "?" leaves it unbound, so whichever version of the module's bundle is loaded gets it.
        Configuration configuration = admin.getConfiguration(pid, "?");
        Dictionary<String, Object> merged = configuration.getProperties() == null ? new Hashtable<>()
                : configuration.getProperties();
        properties.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        // Only a real change reconfigures the component: the runtime puts back an operator's values at every load.
        configuration.updateIfDifferent(merged);
    }
}
