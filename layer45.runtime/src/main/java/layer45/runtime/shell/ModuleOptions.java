package layer45.runtime.shell;

import java.util.List;
import java.util.Map;

/**
 * A module's own configuration properties (such as {@code start.tag}): what its bundle declares with Metatype, and
 * the values configured for it.
 */
interface ModuleOptions {

    /** Knows no options. */
    ModuleOptions NONE = (bundleId, module) -> List.of();

    /**
     * One configuration property.
     *
     * @param name the property name
     * @param description what it does, or its label when there is no description, or ""
     * @param defaultValue its default, or "" when it has none
     */
    record Option(String name, String description, String defaultValue) {
    }

    /**
     * @param bundleId the module's bundle
     * @param module the module's (component's) name
     * @return its options, in the order the bundle declares them; empty if it declares none
     */
    List<Option> options(long bundleId, String module);

    /**
     * @param bundleId the module's bundle
     * @param module the module's (component's) name
     * @return the module's own properties as configured (by {@code insmod}, {@code param} or a configuration file),
     *         by name; empty if none are, or if that cannot be known
     */
    default Map<String, Object> configured(long bundleId, String module) {
        return Map.of();
    }
}
