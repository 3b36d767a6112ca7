package layer45.runtime.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import layer45.cli.protocol.SocketPaths;

/**
 * Where the runtime's control socket listens ({@code ./layer45 exec} and other clients connect there).
 *
 * @param socket the socket's path (absolute)
 */
public record ControlSettings(Path socket) {

    /** Configuration key of {@link #socket()}; empty for the default, a relative path is taken from home. */
    public static final String SOCKET = "control.socket";

    /** Every key, in the order the configuration file documents them. */
    public static final List<String> KEYS = List.of(SOCKET);

    /** Checks the path. */
    public ControlSettings {
        if (!socket.isAbsolute()) {
            throw new IllegalArgumentException(SOCKET + ": '" + socket + "' must be absolute here");
        }
    }

    /**
     * @param properties configuration
     * @param home where a relative path is taken from, absolute
     * @param root whether the runtime runs as root, which decides the default
     * @return the settings: {@code /run/layer45/layer45.sock} as root and {@code <home>/cnf/target/layer45.sock}
     *         otherwise, unless configured
     */
    public static ControlSettings from(Map<String, ?> properties, Path home, boolean root) {
        Object configured = properties.get(SOCKET);
        String path = configured == null ? "" : configured.toString().trim();
        return new ControlSettings(path.isEmpty() ? SocketPaths.defaultSocket(root, home)
                : home.resolve(path).toAbsolutePath().normalize());
    }
}
