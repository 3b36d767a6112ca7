package layer45.mnet.phy.linux;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configures network links with the {@code ip} command of iproute2: moves a link into a network namespace, names
 * it, sets its MTU, queue length, addresses and routes, and brings it up.
 *
 * <p>Every method takes the namespace the link is in ({@code ip -n}); {@code null} means the current one. Each
 * command runs with a ten-second limit; a failure throws {@link CommandFailedException} quoting the command, its
 * exit code and its error output.
 */
public final class LinkConfigurator {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final CommandRunner runner;
    private final String ip;

    /**
     * Uses the {@code ip} found in {@code /usr/sbin}, {@code /sbin}, {@code /usr/bin}, {@code /bin} or
     * {@code PATH}, run as child processes.
     *
     * @throws CommandFailedException if iproute2 is not installed
     */
    public LinkConfigurator() {
        this(CommandRunner.processes(), ProcessCommandRunner.ip());
    }

    /**
     * @param runner runs the commands (tests pass one that records them)
     * @param ip the path of the {@code ip} command
     */
    public LinkConfigurator(CommandRunner runner, String ip) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.ip = Objects.requireNonNull(ip, "ip");
    }

    /**
     * Moves a link of the current namespace into another ({@code ip link set dev LINK netns NETNS}).
     *
     * @param link the link's name in the current namespace
     * @param netns the target namespace's name (see {@link NetworkNamespace})
     */
    public void moveToNamespace(String link, String netns) {
        checkLink(link);
        NetworkNamespace.checkName(netns);
        run(null, "link", "set", "dev", link, "netns", netns);
    }

    /**
     * Renames a link, which must be down ({@code ip link set dev FROM name TO}).
     *
     * @param netns the link's namespace, or {@code null} for the current one
     * @param from the link's name
     * @param to its new name
     */
    public void rename(String netns, String from, String to) {
        checkLink(from);
        checkLink(to);
        run(netns, "link", "set", "dev", from, "name", to);
    }

    /**
     * Sets a link's MTU ({@code ip link set dev LINK mtu MTU}).
     *
     * @param netns the link's namespace, or {@code null} for the current one
     * @param link the link's name
     * @param mtu the MTU in bytes (a TUN link takes 68..65520)
     */
    public void setMtu(String netns, String link, int mtu) {
        checkLink(link);
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU " + mtu + " for link " + link + " is outside 68..65535");
        }
        run(netns, "link", "set", "dev", link, "mtu", Integer.toString(mtu));
    }

    /**
     * Sets the length of a link's transmit queue ({@code ip link set dev LINK txqueuelen QLEN}); for a TUN link
     * it bounds the packets the kernel holds for the reader before it drops.
     *
     * @param netns the link's namespace, or {@code null} for the current one
     * @param link the link's name
     * @param queueLength the queue length in packets, at least 1
     */
    public void setTxQueueLength(String netns, String link, int queueLength) {
        checkLink(link);
        if (queueLength < 1) {
            throw new IllegalArgumentException("transmit queue length " + queueLength + " for link " + link
                    + " must be at least 1");
        }
        run(netns, "link", "set", "dev", link, "txqueuelen", Integer.toString(queueLength));
    }

    /**
     * Adds an IPv4 or IPv6 address ({@code ip addr add CIDR dev LINK}); an IPv6 address skips duplicate address
     * detection ({@code nodad}, RFC 4862 section 5.4) so it is usable at once.
     *
     * @param netns the link's namespace, or {@code null} for the current one
     * @param link the link's name
     * @param cidr the address and prefix length: {@code 10.77.0.1/24}, {@code fd77::1/64}
     */
    public void addAddress(String netns, String link, String cidr) {
        checkLink(link);
        boolean ipv6 = checkCidr(cidr, true);
        if (ipv6) {
            run(netns, "-6", "addr", "add", cidr, "dev", link, "nodad");
        } else {
            run(netns, "-4", "addr", "add", cidr, "dev", link);
        }
    }

    /**
     * Brings a link up ({@code ip link set dev LINK up}); in another namespace, brings its loopback up first, as
     * a new namespace starts with {@code lo} down.
     *
     * @param netns the link's namespace, or {@code null} for the current one
     * @param link the link's name
     */
    public void up(String netns, String link) {
        checkLink(link);
        if (netns != null) {
            run(netns, "link", "set", "dev", "lo", "up");
        }
        run(netns, "link", "set", "dev", link, "up");
    }

    /**
     * Routes a destination through a link ({@code ip -4|-6 route add DEST dev LINK}).
     *
     * @param netns the link's namespace, or {@code null} for the current one
     * @param destination a prefix ({@code 10.78.0.0/16}, {@code fd78::/64}), an address, {@code default} for the
     *        IPv4 default route, or {@code ::/0} for the IPv6 one
     * @param link the link's name
     */
    public void addRoute(String netns, String destination, String link) {
        checkLink(link);
        boolean ipv6 = !"default".equals(destination) && checkCidr(destination, false);
        run(netns, ipv6 ? "-6" : "-4", "route", "add", destination, "dev", link);
    }

    private void run(String netns, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(ip);
        if (netns != null) {
            NetworkNamespace.checkName(netns);
            command.add("-n");
            command.add(netns);
        }
        command.addAll(List.of(arguments));
        runner.run(command, TIMEOUT).requireSuccess();
    }

    private static void checkLink(String link) {
        TunOptions.checkInterfaceName(link, false);
    }

    /** @return whether the address is IPv6; throws if it is not an IPv4 or IPv6 literal with a valid prefix */
    private static boolean checkCidr(String cidr, boolean prefixRequired) {
        if (cidr == null) {
            throw new IllegalArgumentException("address is null: give one such as 10.77.0.1/24 or fd77::1/64");
        }
        int slash = cidr.indexOf('/');
        String address = slash < 0 ? cidr : cidr.substring(0, slash);
        boolean ipv6 = IPV6.matcher(address).matches();
        if (!ipv6 && !IPV4.matcher(address).matches()) {
            throw new IllegalArgumentException("\"" + cidr + "\" is not an IPv4 or IPv6 address with a prefix "
                    + "length, such as 10.77.0.1/24 or fd77::1/64");
        }
        if (slash < 0) {
            if (prefixRequired) {
                throw new IllegalArgumentException("address \"" + cidr + "\" has no prefix length: write it as "
                        + cidr + (ipv6 ? "/64" : "/24") + " or with the prefix the link needs");
            }
            return ipv6;
        }
        int maximum = ipv6 ? 128 : 32;
        String prefix = cidr.substring(slash + 1);
        if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > maximum) {
            throw new IllegalArgumentException("prefix length \"" + prefix + "\" of \"" + cidr + "\" is not a number "
                    + "from 0 to " + maximum);
        }
        return ipv6;
    }
}
