package layer45.mnet;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The host-identifier table, as a service: names that map to ordered lists of addresses across network protocols,
 * and what the stack chose for the flows to them.
 *
 * <p>The table is made of three layers, read in this order of precedence: what operators {@linkplain #put put} and
 * {@linkplain #remove removed} here (from {@code l45:mhost}; kept across restarts in the table's edits file,
 * {@code mhost.edits} in the runtime's {@code state.dir}, or until the runtime stops when there is none), the entries
 * of the configuration (PID {@code layer45.mhost}, keys {@code host.NAME}), and the lines of the file
 * ({@code conf/mhosts}). A changed file or configuration applies to new flows at once; flows already open keep the
 * address they use.
 *
 * <p>Every method may be called from any thread.
 *
 * @since 1.3
 */
@ProviderType
public interface HostIdentifiers {

    /** @return every host identifier in force, sorted by name */
    List<HostIdentifier> list();

    /**
     * @param name a host identifier's name, in any case
     * @return the identifier in force by that name
     */
    Optional<HostIdentifier> get(String name);

    /**
     * Finds the identifier a peer is known by: the first identifier, in name order, that lists the address (its
     * port is not compared). Sockets of programs in the runtime report their peers this way.
     *
     * @param address an address on a network protocol, as a datagram or a connection came from
     * @return the identifier that lists it
     * @since 1.4
     */
    default Optional<HostIdentifier> byAddress(HostAddress address) {
        return list().stream().filter(id -> id.addresses().stream().anyMatch(a -> a.protocol().equals(
                address.protocol()) && a.address().equals(address.address()))).findFirst();
    }

    /**
     * Adds an identifier, or replaces the one by that name, above the file and the configuration.
     *
     * @param name the name
     * @param addresses its addresses, in the order to try them; at least one
     * @return the identifier as it is now in force, with its virtual addresses
     * @throws IllegalArgumentException if the name is not usable or there is no address
     */
    HostIdentifier put(String name, List<HostAddress> addresses);

    /**
     * Removes an identifier, whichever layer defines it: one from the file or the configuration stays removed
     * until it is put again (across restarts too, when the table keeps its edits in a file).
     *
     * @param name the name
     * @return whether one was in force
     */
    boolean remove(String name);

    /** @return how many times the identifiers in force changed since the table started: a change count to poll */
    long changes();

    /**
     * @return the network protocols flows can use now: {@value HostAddress#IPV4} and {@value HostAddress#IPV6}
     *         through the host's sockets, and those plugged in that can carry relayed flows
     */
    Set<String> availableProtocols();

    /** @return the flows to host identifiers open now, each with the address it uses and why, oldest first */
    List<HostChoice> flows();

    /**
     * @param name a host identifier's name
     * @return the latest choice made for a flow to it, open or not
     */
    Optional<HostChoice> lastChoice(String name);

    /**
     * @return what is wrong with the file and the configuration as last read (each with its file and line or its
     *         key, and what to do); the rest of them is in force
     */
    List<String> problems();

    /**
     * @return the domain programs in a namespace may add to a name ({@code srv.mhost}); bare names are answered
     *         too
     */
    String domain();

    /** @return the prefixes virtual addresses are taken from, such as {@code 10.46.0.0/16}; empty for none */
    List<String> virtualPrefixes();
}
