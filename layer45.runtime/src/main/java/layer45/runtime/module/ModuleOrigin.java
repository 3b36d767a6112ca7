package layer45.runtime.module;

/**
 * Where a module comes from.
 *
 * @param bundleId the providing bundle's id, or -1 outside OSGi
 * @param symbolicName the providing bundle's symbolic name, or "" outside OSGi
 * @param version the providing bundle's version, or ""
 */
public record ModuleOrigin(long bundleId, String symbolicName, String version) {

    /** A module created outside OSGi (tests, the test library). */
    public static final ModuleOrigin NONE = new ModuleOrigin(-1, "", "");

    @Override
    public String toString() {
        if (bundleId >= 0) {
            return symbolicName + " " + version + " [" + bundleId + "]";
        }
        return symbolicName.isEmpty() ? "(no bundle)" : symbolicName + " " + version + " (not installed)";
    }
}
