package layer45.mnet;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The peer links, as a service: stacks whose device is a tunnel to another layer45 (a link frame, a link protocol
 * number and the packet, in each UDP datagram over a kernel socket, optionally opened in a network namespace), so
 * that IPv4, IPv6 and plugged-in network protocols such as {@code demo} all cross to the other stack.
 *
 * <p>Each running link is also registered as a {@link NetStack} service of its own, with the service property
 * {@value #LINK_PROPERTY} naming it, for programs in the runtime; the runtime's TUN stack has no such property.
 *
 * <p>Links come from the configuration (PID {@code layer45.peer}: one key per link, its name, whose value is its
 * {@linkplain #add specification}) and from operators ({@link #add}, {@link #remove}: kept until the runtime
 * stops, above the configuration). Every method may be called from any thread.
 *
 * @since 1.4
 */
@ProviderType
public interface PeerLinks {

    /** The service property naming a peer link's {@link NetStack}: filter on {@code (layer45.mnet.link=NAME)}. */
    String LINK_PROPERTY = "layer45.mnet.link";

    /** @return every peer link, running or not, by name */
    List<PeerLinkStatus> list();

    /**
     * Opens a peer link, or replaces the one by that name.
     *
     * @param name the link's name: lower-case letters, digits and {@code -}, at most 15
     * @param spec its specification: {@code local=ADDRESS:PORT remote=ADDRESS:PORT addresses=A,B,...} and
     *        optionally {@code netns=NAME} (where the tunnel's socket is opened), {@code mtu=N} (default 1400) and
     *        {@code echo=PORT} (the UDP and TCP echo service, default 7, 0 for none). Addresses are the stack's own:
     *        {@code 10.77.0.1/24} and {@code fd77::1/64} on IPv4 and IPv6, {@code demo:fd4d::1} on a plugged-in
     *        protocol (otherwise it takes the protocol's own configured addresses)
     * @return the link's status
     * @throws IllegalArgumentException if the specification is wrong; the message says what to write
     * @throws IllegalStateException if the link cannot be opened (the address is not the namespace's, the port is
     *         taken); the message says why
     */
    PeerLinkStatus add(String name, String spec);

    /**
     * Closes a peer link: its flows end, and its {@link NetStack} service goes.
     *
     * @param name the link's name
     * @return whether there was such a link
     */
    boolean remove(String name);

    /**
     * Sends one UDP datagram over a peer link to an echo service (RFC 862) and waits for it to come back: a probe of
     * the path, as an operator would use {@code ping}.
     *
     * @param name the link's name
     * @param destination where to send it, such as {@code demo:fd4d::2}, {@code 10.77.0.2} or {@code [fd77::2]:7};
     *        port 7 unless it says
     * @param timeout how long to wait for the echo
     * @return the round trip, or empty if nothing came back in time
     * @throws IllegalArgumentException if there is no such link, or it does not speak the destination's protocol
     *         (the message says which protocols it speaks)
     */
    Optional<Duration> echo(String name, HostAddress destination, Duration timeout);
}
