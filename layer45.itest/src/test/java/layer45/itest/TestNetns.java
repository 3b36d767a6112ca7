package layer45.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces for runtimes started by tests: each gets its own, named {@code l45t-<pid>-<tag>} like those
 * of the stack's own tests (whose sweep deletes the ones of dead processes), and the test deletes it afterwards if
 * the runtime could not.
 */
final class TestNetns {

    private TestNetns() {
    }

    /**
     * @param purpose what the runtime is for; becomes part of the name
     * @return a namespace name for it, unique to this process
     */
    static String name(String purpose) {
        String tag = purpose.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "");
        tag = tag.substring(0, Math.min(8, tag.length()));
        return "l45t-" + ProcessHandle.current().pid() + "-" + tag;
    }

    /** @return whether this process may create namespaces and TUN devices (it runs as root) */
    static boolean privileged() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).strip().split("\\s+")[1].equals("0")
                            && Files.exists(Path.of("/dev/net/tun"));
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /**
     * Deletes a namespace and the files the runtime wrote for it in {@code /etc/netns}, if they are still there (the
     * runtime deletes both when it stops cleanly).
     *
     * @param name the namespace
     */
    static void deleteIfLeft(String name) throws IOException, InterruptedException {
        if (Files.exists(Path.of("/run/netns", name))) {
            Process delete = new ProcessBuilder("ip", "netns", "del", name).inheritIO().start();
            delete.waitFor(10, TimeUnit.SECONDS);
        }
        Path etc = etcDirectory(name);
        if (Files.isDirectory(etc)) {
            for (String file : new String[] { "resolv.conf", "hosts" }) {
                Files.deleteIfExists(etc.resolve(file));
            }
            try {
                Files.deleteIfExists(etc);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // something else put a file there: leave it
            }
        }
    }

    /** @return where {@code ip netns exec} finds the namespace's own /etc files */
    static Path etcDirectory(String name) {
        return Path.of("/etc/netns", name);
    }

    /** @return whether the namespace exists */
    static boolean exists(String name) {
        return Files.exists(Path.of("/run/netns", name));
    }
}
