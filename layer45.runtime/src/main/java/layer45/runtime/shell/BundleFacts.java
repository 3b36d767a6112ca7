package layer45.runtime.shell;

import java.util.List;
import java.util.Map;

/** What the commands need to know about a module's bundle, apart from the runtime's DTOs: faked in tests. */
interface BundleFacts {

    /** Knows no bundle. */
    BundleFacts NONE = new BundleFacts() {
        @Override
        public Map<String, String> headers(long bundleId) {
            return Map.of();
        }

        @Override
        public long size(long bundleId) {
            return -1;
        }

        @Override
        public String location(long bundleId) {
            return "";
        }

        @Override
        public List<String> dependencies(long bundleId) {
            return List.of();
        }
    };

    /**
     * @param bundleId a bundle id
     * @return its manifest headers, localized; empty if there is no such bundle
     */
    Map<String, String> headers(long bundleId);

    /**
     * @param bundleId a bundle id
     * @return the size in bytes of the jar it was installed from, or -1 if unknown
     */
    long size(long bundleId);

    /**
     * @param bundleId a bundle id
     * @return its location, or "" if unknown
     */
    String location(long bundleId);

    /**
     * @param bundleId a bundle id
     * @return symbolic names of the bundles it is wired to (the framework excluded), each once, in wiring order
     */
    List<String> dependencies(long bundleId);
}
