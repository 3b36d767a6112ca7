package layer45.mnet;

import java.util.List;
import java.util.Objects;

/**
 * A peer link as operators see it.
 *
 * @param name the link's name
 * @param spec its specification, as {@link PeerLinks#add} takes it
 * @param source where it comes from: {@code config} or {@code shell}
 * @param local the tunnel socket's own address and port
 * @param remote the other end's
 * @param addresses the stack's own addresses on the link, plugged-in protocols' written {@code PROTOCOL:ADDRESS}
 * @param stack the stack's status: whether it runs (or why not), its MTU, the protocols it speaks
 * @since 1.4
 */
public record PeerLinkStatus(String name, String spec, String source, String local, String remote,
        List<String> addresses, NetStackStatus stack) {

    /** Copies the list. */
    public PeerLinkStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stack, "stack");
        addresses = List.copyOf(addresses);
    }
}
