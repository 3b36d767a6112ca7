package layer45.mnet.relay;

import java.net.InetSocketAddress;
import layer45.api.ProcessOwner;
import layer45.api.Transport;

/** Finds the program that owns a flow's socket in the namespace; called on relay threads, never on the loop. */
@FunctionalInterface
public interface OwnerSource {

    /** Knows no owner: every flow says {@link ProcessOwner#UNKNOWN}. */
    OwnerSource NONE = (transport, application, peer) -> ProcessOwner.UNKNOWN;

    /**
     * @param transport the flow's transport
     * @param application the program's socket address in the namespace
     * @param peer the address it talks to, as it sees it
     * @return the owner, or {@link ProcessOwner#UNKNOWN}
     */
    ProcessOwner find(Transport transport, InetSocketAddress application, InetSocketAddress peer);
}
