package layer45.runtime.deploy;

import java.nio.file.Path;

/**
 * How a jar came to be loaded; part of its bundle's location, {@code layer45:<origin>:<path>#<sha256>}, so the
 * runtime recognizes its own bundles after a restart and tells versions of one jar apart.
 */
enum Origin {
    /** Found in the autoload folder: loaded at every start while the jar is there. */
    AUTOLOAD,
    /** Installed by an operator with insmod: gone after a restart, as with kernel modules. */
    INSMOD;

    private static final String SCHEME = "layer45:";

    /** @return the name shown to operators */
    String label() {
        return name().toLowerCase();
    }

    /** @return the bundle location for a jar with this content */
    String location(Path source, String sha256) {
        return SCHEME + label() + ":" + source + "#" + sha256;
    }

    /**
     * @param location a bundle location
     * @return the origin it names, or {@code null} if it is not one of the runtime's locations
     */
    static Origin of(String location) {
        for (Origin origin : values()) {
            if (location.startsWith(SCHEME + origin.label() + ":")) {
                return origin;
            }
        }
        return null;
    }

    /**
     * @param location one of the runtime's locations
     * @return the jar's path in it
     */
    static Path source(String location) {
        String rest = location.substring(location.indexOf(':', SCHEME.length()) + 1);
        int hash = rest.lastIndexOf('#');
        return Path.of(hash < 0 ? rest : rest.substring(0, hash));
    }

    /**
     * @param location one of the runtime's locations
     * @return the content hash in it, or ""
     */
    static String sha256(String location) {
        int hash = location.lastIndexOf('#');
        return hash < 0 ? "" : location.substring(hash + 1);
    }
}
