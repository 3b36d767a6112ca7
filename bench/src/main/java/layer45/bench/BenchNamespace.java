package layer45.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import layer45.mnet.phy.linux.NetworkNamespace;
import layer45.mnet.phy.linux.TunAccess;

/**
 * Names of the benchmarks' network namespaces, {@code <prefix><pid>-<n>...}: the pid lets a later run tell which
 * ones a killed run left, and delete them.
 */
final class BenchNamespace {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private BenchNamespace() {
    }

    /** @return a fresh name, {@code <prefix><pid>-<n>} */
    static String next(String prefix) {
        return prefix + ProcessHandle.current().pid() + "-" + NEXT.getAndIncrement();
    }

    /**
     * Exits (status 2) with a line after {@code log} unless this process runs as root and can open TUN devices.
     *
     * @param what what the benchmark creates, for the message
     */
    static void requirePrivileges(String log, String what) throws IOException {
        if (!isRoot()) {
            System.err.println(log + "needs root (" + what + "); run it with sudo");
            System.exit(2);
        }
        String tun = TunAccess.unavailableReason();
        if (tun != null) {
            System.err.println(log + tun);
            System.exit(2);
        }
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.substring(4).strip().split("\\s+")[1].equals("0");
            }
        }
        return false;
    }

    /**
     * Deletes the namespaces that match {@code names}, whose group 1 is a pid, and whose process is gone (a run
     * killed with SIGKILL).
     *
     * @param log the prefix of the line said about each
     */
    static void sweepLeftovers(Pattern names, String log) {
        for (String name : NetworkNamespace.list()) {
            Matcher m = names.matcher(name);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                System.err.println(log + "deleting namespace " + name + " left by an earlier run");
                NetworkNamespace.delete(name);
            }
        }
    }
}
