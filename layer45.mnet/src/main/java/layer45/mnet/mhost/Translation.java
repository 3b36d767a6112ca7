package layer45.mnet.mhost;

import java.util.List;
import layer45.mnet.HostAddress;
import layer45.mnet.HostIdentifier;

/**
 * A flow's destination seen through the host-identifier table: a virtual address, the identifier behind it, and
 * which of its addresses a flow may use now.
 *
 * @param identifier the identifier, or {@code null} if no identifier has this virtual address (any more)
 * @param usable its addresses whose protocol is available, in order
 * @param skipped its other addresses, each with why it is skipped, such as
 *        {@code "demo:fd4d::2 skipped (protocol demo not available)"}
 */
public record Translation(HostIdentifier identifier, List<HostAddress> usable, List<String> skipped) {

    /** Copies the lists. */
    public Translation {
        usable = List.copyOf(usable);
        skipped = List.copyOf(skipped);
    }
}
