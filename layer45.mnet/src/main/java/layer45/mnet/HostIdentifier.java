package layer45.mnet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host identifier: a name for one host that is reached at several addresses, across network protocols (the
 * {@code mnet} kernel module's host id). A flow to it uses the first address whose protocol is available, and moves
 * on to the next when one is unreachable.
 *
 * <p>Programs in a namespace reach it by name: the stack's DNS answers {@code NAME} and {@code NAME.<domain>} with
 * its virtual addresses, and the relay translates flows to those into flows to the addresses.
 *
 * @param name the name: DNS labels of lower-case letters, digits and '-', joined by '.'
 * @param addresses the addresses, in the order they are tried; at least one
 * @param source where it is defined: a file and line ({@code conf/mhosts:3}), {@code config} (Configuration Admin)
 *        or {@code shell} ({@link HostIdentifiers#put})
 * @param virtual4 the IPv4 address programs in a namespace reach it at, or {@code null} without an IPv4 virtual prefix
 * @param virtual6 the IPv6 address programs in a namespace reach it at, or {@code null} without an IPv6 virtual prefix
 * @since 1.3
 */
public record HostIdentifier(String name, List<HostAddress> addresses, String source, InetAddress virtual4,
        InetAddress virtual6) {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** Room for a domain suffix within DNS's 253 characters. */
    private static final int MAX_NAME = 200;

    /** Checks the name and the families of the virtual addresses, and copies the list. */
    public HostIdentifier {
        name = checkName(name);
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(source, "source");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("host identifier " + name + " has no address: give it at least one");
        }
        if (virtual4 != null && !(virtual4 instanceof Inet4Address)) {
            throw new IllegalArgumentException("virtual4 of " + name + " must be IPv4, not " + virtual4);
        }
        if (virtual6 != null && !(virtual6 instanceof Inet6Address)) {
            throw new IllegalArgumentException("virtual6 of " + name + " must be IPv6, not " + virtual6);
        }
    }

    /**
     * @param name a host identifier's name, in any case
     * @return it in lower case
     * @throws IllegalArgumentException if it is not DNS labels of letters, digits and '-' joined by '.', at most 200
     *         characters
     */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        String lower = name.toLowerCase(Locale.ROOT);
        boolean fits = !lower.isEmpty() && lower.length() <= MAX_NAME && !lower.endsWith(".");
        for (String label : fits ? lower.split("\\.", -1) : new String[0]) {
            fits &= LABEL.matcher(label).matches();
        }
        if (!fits) {
            throw new IllegalArgumentException("'" + name + "' is not a host identifier's name: use DNS labels of"
                    + " letters, digits and '-' (not at either end) joined by '.', such as srv or db-1.lab, at most "
                    + MAX_NAME + " characters");
        }
        return lower;
    }
}
