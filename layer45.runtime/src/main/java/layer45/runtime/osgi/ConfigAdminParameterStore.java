package layer45.runtime.osgi;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.Supplier;

import layer45.api.CustomizationService;
import layer45.runtime.ParameterStore;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Operator parameters of modules in Configuration Admin, one configuration per module:
 * {@code layer45.module.}<i>name</i>, holding {@code layer45.*} properties. Without Configuration Admin they are
 * kept in memory, so a runtime without it still works (and forgets them when it stops).
 */
final class ConfigAdminParameterStore implements ParameterStore {

    /** PID prefix of a module's parameters. */
    static final String PID_PREFIX = "layer45.module.";

    private final Supplier<ConfigurationAdmin> configurationAdmin;
    private final ParameterStore fallback = ParameterStore.inMemory();

    ConfigAdminParameterStore(Supplier<ConfigurationAdmin> configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
    }

    @Override
    public Map<String, Object> load(String module) {
        ConfigurationAdmin admin = configurationAdmin.get();
        if (admin == null) {
            return fallback.load(module);
        }
        try {
            Configuration configuration = find(admin, module);
            return configuration == null ? Map.of() : parameters(configuration.getProperties());
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException("cannot read the parameters of module '" + module + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void store(String module, Map<String, Object> parameters) throws IOException {
        ConfigurationAdmin admin = configurationAdmin.get();
        if (admin == null) {
            fallback.store(module, parameters);
            return;
        }
        try {
            Configuration existing = find(admin, module);
            if (parameters.isEmpty()) {
                if (existing != null) {
                    existing.delete();
                }
                return;
            }
            // "?" lets the configuration stay unbound: it belongs to no bundle, only to the runtime's naming.
            Configuration configuration = existing != null ? existing : admin.getConfiguration(PID_PREFIX + module, "?");
            configuration.update(new Hashtable<>(parameters));
        } catch (InvalidSyntaxException e) {
            throw new IOException("module name '" + module + "' cannot be used in a configuration filter", e);
        }
    }

    /** @return the module name a PID belongs to, or {@code null} if it is not a module's parameters */
    static String moduleOf(String pid) {
        return pid != null && pid.startsWith(PID_PREFIX) ? pid.substring(PID_PREFIX.length()) : null;
    }

    private static Configuration find(ConfigurationAdmin admin, String module) throws IOException, InvalidSyntaxException {
        Configuration[] found = admin.listConfigurations("(service.pid=" + escape(PID_PREFIX + module) + ")");
        return found == null || found.length == 0 ? null : found[0];
    }

    private static Map<String, Object> parameters(Dictionary<String, Object> properties) {
        Map<String, Object> parameters = new HashMap<>();
        if (properties != null) {
            for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                if (key.startsWith(CustomizationService.PREFIX_)) {
                    parameters.put(key, properties.get(key));
                }
            }
        }
        return parameters;
    }

    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
