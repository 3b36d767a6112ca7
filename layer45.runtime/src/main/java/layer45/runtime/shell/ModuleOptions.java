package layer45.runtime.shell;

import java.util.List;
import java.util.Map;

import layer45.runtime.bundle.ModuleDescriptors.Option;

/**
 * A module's own configuration properties (such as {@code start.tag}): what its bundle declares with Metatype, and
 * the values configured for it.
 */
interface ModuleOptions {

    /** Knows no options. */
    ModuleOptions NONE = (bundleId, module) -> List.of();


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
