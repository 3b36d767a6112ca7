package layer45.mnet.phy.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The files {@code ip netns exec NAME} puts over the program's {@code /etc}: {@code /etc/netns/NAME/resolv.conf}, so
 * the namespace's resolver is the stack, and {@code /etc/netns/NAME/hosts}, the host's hosts file plus names for the
 * addresses the stack maps to the host. A file an operator wrote (for a namespace that is joined) is left alone;
 * one an earlier run of layer45 left is replaced; {@link #remove()} deletes only what was written.
 */
public final class NetnsEtc {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    private static final Path ETC_NETNS = Path.of("/etc/netns");

    private final Path directory;
    private final List<Path> written = new ArrayList<>();
    private final boolean createdDirectory;

    private NetnsEtc(Path directory, boolean createdDirectory) {
        this.directory = directory;
        this.createdDirectory = createdDirectory;
    }

    /**
     * Writes the namespace's files.
     *
     * @param namespace the namespace's name
     * @param nameservers the resolver addresses programs there use (the stack's own addresses)
     * @param hostResolvConf the host's resolv.conf, whose search and options lines are kept
     * @param hosts extra host names by address, such as the host's loopback as the namespace sees it
     * @return what was written, to remove later
     * @throws UncheckedIOException if a file cannot be written; nothing is left behind
     */
    public static NetnsEtc write(String namespace, List<InetAddress> nameservers, Path hostResolvConf,
            Map<InetAddress, String> hosts) {
        NetworkNamespace.checkName(namespace);
        Path directory = ETC_NETNS.resolve(namespace);
        boolean created = !Files.isDirectory(directory);
        NetnsEtc etc = new NetnsEtc(directory, created);
        try {
            Files.createDirectories(directory);
            StringBuilder resolv = new StringBuilder("# written by layer45 for network namespace " + namespace
                    + ": the stack relays DNS to the host's resolver\n");
            for (InetAddress server : nameservers) {
                resolv.append("nameserver ").append(layer45.mnet.wire.IpAddress.of(server)).append('\n');
            }
            for (String line : lines(hostResolvConf)) {
                if (line.startsWith("search ") || line.startsWith("options ") || line.startsWith("domain ")) {
                    resolv.append(line).append('\n');
                }
            }
            etc.writeIfAbsent("resolv.conf", resolv.toString());
            StringBuilder hostsFile = new StringBuilder();
            for (String line : lines(Path.of("/etc/hosts"))) {
                hostsFile.append(line).append('\n');
            }
            hostsFile.append("# added by layer45: the host as network namespace ").append(namespace)
                    .append(" reaches it\n");
            hosts.forEach((address, name) -> hostsFile.append(layer45.mnet.wire.IpAddress.of(address)).append('\t')
                    .append(name).append('\n'));
            etc.writeIfAbsent("hosts", hostsFile.toString());
            return etc;
        } catch (IOException e) {
            etc.remove();
            throw new UncheckedIOException("cannot write " + directory + " for network namespace " + namespace
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param resolvConf a resolv.conf
     * @return its nameservers, on port 53, in order; empty if it has none or cannot be read
     */
    public static List<InetSocketAddress> nameservers(Path resolvConf) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String line : lines(resolvConf)) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                try {
                    servers.add(new InetSocketAddress(InetAddress.ofLiteral(words[1].replaceAll("%.*$", "")), 53));
                } catch (IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.DEBUG, "mnet: ignoring nameserver " + words[1] + " in " + resolvConf);
                }
            }
        }
        return servers;
    }

    /**
     * Deletes what an earlier run left in {@code /etc/netns/NAME}: the files it wrote (marked as layer45's), and the
     * directory if nothing else is in it.
     *
     * @param namespace the namespace's name
     */
    public static void removeLeftovers(String namespace) {
        NetworkNamespace.checkName(namespace);
        Path directory = ETC_NETNS.resolve(namespace);
        for (String name : List.of("resolv.conf", "hosts")) {
            Path file = directory.resolve(name);
            try {
                if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).contains("by layer45")) {
                    Files.delete(file);
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "mnet: could not delete " + file + ": " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(directory); // only if empty: an operator's files stay
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "mnet: " + directory + " stays: " + e.getMessage());
        }
    }

    /** Deletes the files written, and the directory if it was created for them. */
    public void remove() {
        for (Path file : written) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "mnet: could not delete " + file + ": " + e.getMessage());
            }
        }
        written.clear();
        if (createdDirectory) {
            try {
                Files.deleteIfExists(directory);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "mnet: could not delete " + directory + ": " + e.getMessage());
            }
        }
    }

    private void writeIfAbsent(String name, String content) throws IOException {
        Path file = directory.resolve(name);
        if (Files.exists(file) && !Files.readString(file, StandardCharsets.UTF_8).contains("by layer45")) {
            LOG.log(System.Logger.Level.INFO, "mnet: keeping the operator's " + file);
            return;
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
        written.add(file);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }
}
