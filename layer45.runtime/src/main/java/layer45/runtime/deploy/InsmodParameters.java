package layer45.runtime.deploy;

import static layer45.api.runtime.ErrorCode.INVALID_PARAMETER;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import layer45.api.CustomizationService;
import layer45.api.runtime.Layer45Exception;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.bundle.OwnParameters;
import layer45.runtime.module.ModuleSettings;

import org.osgi.framework.Bundle;

/**
 * The {@code key=value} parameters of an {@code insmod}, sorted per module: the runtime's target and control
 * parameters ({@code priority} or {@code layer45.priority}), and the module's own configuration ({@code start.tag}).
 * A key prefixed with a module name and a colon ({@code echo-tag-client:priority}) is for that module only; others
 * are for every module of the jar.
 */
final class InsmodParameters {

    /** No parameters. */
    static final InsmodParameters NONE = new InsmodParameters(Map.of(), Map.of());

    private final Map<String, Map<String, Object>> runtimeKeys;
    private final Map<String, Map<String, Object>> ownKeys;

    private InsmodParameters(Map<String, Map<String, Object>> runtimeKeys, Map<String, Map<String, Object>> ownKeys) {
        this.runtimeKeys = runtimeKeys;
        this.ownKeys = ownKeys;
    }

    /**
     * @param key a parameter name as an operator types it
     * @return its runtime name ({@code layer45.priority} for {@code priority}), or the key itself if it is not one of
     *         the runtime's parameters
     */
    static String runtimeName(String key) {
        String full = key.startsWith(CustomizationService.PREFIX_) ? key : CustomizationService.PREFIX_ + key;
        return ModuleSettings.PARAMETERS.contains(full) ? full : key;
    }

    /**
     * Sorts parameters by module.
     *
     * @param parameters as given
     * @param modules the customization modules the jar declares
     * @return the parameters by module
     * @throws Layer45Exception {@link layer45.api.runtime.ErrorCode#INVALID_PARAMETER} for a key naming no module of
     *         the jar, or parameters for a jar that declares none
     */
    static InsmodParameters parse(Map<String, String> parameters, List<String> modules) {
        if (parameters.isEmpty()) {
            return NONE;
        }
        if (modules.isEmpty()) {
            throw new Layer45Exception(INVALID_PARAMETER, "this jar declares no customization component, so the"
                    + " parameters " + parameters.keySet() + " have nowhere to go; load it without parameters");
        }
        Map<String, Map<String, Object>> runtime = new LinkedHashMap<>();
        Map<String, Map<String, Object>> own = new LinkedHashMap<>();
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            String key = parameter.getKey().trim();
            List<String> targets = modules;
            int colon = key.indexOf(':');
            if (colon > 0) {
                String module = key.substring(0, colon);
                if (!modules.contains(module)) {
                    throw new Layer45Exception(INVALID_PARAMETER, "'" + key + "': this jar has no module named '"
                            + module + "'; it provides " + String.join(", ", modules));
                }
                targets = List.of(module);
                key = key.substring(colon + 1);
            }
            if (key.isEmpty()) {
                throw new Layer45Exception(INVALID_PARAMETER, "a parameter has no name; parameters are key=value,"
                        + " such as priority=10");
            }
            String name = runtimeName(key);
            boolean runtimeKey = name.startsWith(CustomizationService.PREFIX_);
            if (!runtimeKey && key.startsWith(CustomizationService.PREFIX_)) {
                throw new Layer45Exception(INVALID_PARAMETER, "'" + key + "' is not a parameter of the runtime; known: "
                        + String.join(", ", ModuleSettings.PARAMETERS));
            }
            for (String module : targets) {
                (runtimeKey ? runtime : own).computeIfAbsent(module, m -> new LinkedHashMap<>())
                        .put(name, parameter.getValue());
            }
        }
        for (Map.Entry<String, Map<String, Object>> module : runtime.entrySet()) {
            try {
                ModuleSettings.parse(Map.of(), module.getValue());
            } catch (IllegalArgumentException e) {
                throw new Layer45Exception(INVALID_PARAMETER, "module '" + module.getKey() + "': " + e.getMessage()
                        + "; nothing was installed");
            }
        }
        return new InsmodParameters(runtime, own);
    }

    /**
     * Checks the modules' own parameters against what the installed (not yet started) bundle declares.
     *
     * @param bundle the jar's bundle
     * @throws Layer45Exception {@link layer45.api.runtime.ErrorCode#INVALID_PARAMETER} naming a key a module does not
     *         declare
     */
    void checkOwn(Bundle bundle) {
        for (Map.Entry<String, Map<String, Object>> module : ownKeys.entrySet()) {
            try {
                OwnParameters.check(bundle, module.getKey(), module.getValue().keySet());
            } catch (IllegalArgumentException e) {
                throw new Layer45Exception(INVALID_PARAMETER, e.getMessage() + "; nothing was installed");
            }
        }
    }

    /**
     * Stores the parameters before the modules start.
     *
     * @param runtime where runtime parameters go
     * @param configurator where modules' own configuration goes
     * @param facts the jar, for its modules' configuration PIDs
     * @return what the runtime had stored before, by module, to {@link #restore} if the jar is refused
     * @throws IOException if a module's own configuration cannot be stored
     */
    Map<String, Map<String, Object>> apply(Layer45Runtime runtime, ModuleConfigurator configurator, JarFacts facts)
            throws IOException {
        Map<String, Map<String, Object>> before = new HashMap<>();
        for (Map.Entry<String, Map<String, Object>> module : runtimeKeys.entrySet()) {
            before.put(module.getKey(), runtime.presetParameters(module.getKey(), module.getValue()));
        }
        for (Map.Entry<String, Map<String, Object>> module : ownKeys.entrySet()) {
            String pid = facts.customizations().stream().filter(c -> c.name().equals(module.getKey()))
                    .map(JarFacts.DeclaredComponent::configurationPid).findFirst().orElse(module.getKey());
            configurator.configure(pid, module.getValue());
        }
        return before;
    }

    /**
     * Puts back what the runtime had stored before {@link #apply}.
     *
     * @param runtime the runtime
     * @param before what {@link #apply} returned
     */
    static void restore(Layer45Runtime runtime, Map<String, Map<String, Object>> before) {
        before.forEach(runtime::presetParameters);
    }
}
