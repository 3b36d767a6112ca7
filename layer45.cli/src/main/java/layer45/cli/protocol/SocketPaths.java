package layer45.cli.protocol;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the control socket is when the configuration does not say. */
public final class SocketPaths {

    /** The socket of a runtime started as root ({@code sudo ./layer45 start}). */
    public static final Path SYSTEM = Path.of("/run/layer45/layer45.sock");

    /** The socket of a runtime started by another user, relative to {@code layer45.home} (the checkout). */
    public static final Path PER_HOME = Path.of("cnf", "target", "layer45.sock");

    private SocketPaths() {
    }

    /**
     * @param root whether the runtime runs as root
     * @param home the runtime's home ({@code layer45.home}), absolute
     * @return the socket's default path
     */
    public static Path defaultSocket(boolean root, Path home) {
        return root ? SYSTEM : home.resolve(PER_HOME);
    }

    /** @return whether this process runs with effective user id 0 (from {@code /proc/self/status}) */
    public static boolean runningAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).strip().split("\\s+"); // real, effective, saved, filesystem
                    return ids.length > 1 && ids[1].equals("0");
                }
            }
        } catch (IOException e) {
            // not Linux, or no /proc: fall back to the name
        }
        return "root".equals(System.getProperty("user.name"));
    }
}
