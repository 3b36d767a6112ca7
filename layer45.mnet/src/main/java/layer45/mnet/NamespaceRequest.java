package layer45.mnet;

import java.util.List;
import java.util.Objects;

/**
 * A network namespace to wire to the stack, as {@code ./layer45 exec} and {@code l45:attach} ask for it: the
 * namespace gets a TUN link of its own whose other end is the stack, with addresses, default routes and a resolver,
 * so that every program in it reaches the network only through layer45 (as {@code pasta CMD} does).
 *
 * @param name the namespace's name, as {@code ip netns} lists it ({@code /run/netns/NAME})
 * @param create whether to create the namespace when it is missing; a namespace the stack created is deleted when
 *        it is detached, one it joined is left as it was found (minus the link)
 * @param forwards port forwards from the host into the namespace, each {@code tcp:HOSTPORT:NSPORT} or
 *        {@code udp:HOSTPORT:NSPORT}, optionally with the host address to listen on first
 *        ({@code tcp:127.0.0.1:8080:80}; IPv6 in brackets); without one, the forward listens on the host's loopback
 * @since 1.2
 */
public record NamespaceRequest(String name, boolean create, List<String> forwards) {

    /** Checks the name and copies the list. */
    public NamespaceRequest {
        Objects.requireNonNull(name, "name");
        forwards = List.copyOf(forwards);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")) {
            throw new IllegalArgumentException("namespace name '" + name + "' is not usable: use 1 to 32 letters,"
                    + " digits, '_', '.' or '-', starting with a letter or digit");
        }
    }
}
