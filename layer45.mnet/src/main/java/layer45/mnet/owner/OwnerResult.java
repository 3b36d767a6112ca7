package layer45.mnet.owner;

import java.util.Objects;

import layer45.api.ProcessOwner;

/**
 * What {@link OwnerLookup#find} established about a flow's owner.
 *
 * <p>Three shapes: the process and its thread ({@code owner.pid() >= 0}, reason empty, or a note such as
 * {@code not accepted yet: owner of its listening socket}); the process without its thread ({@code owner.tgid()
 * >= 0}, {@code pid} -1, thread name "", the reason says why the thread is unknown); nothing
 * ({@link ProcessOwner#UNKNOWN}, the reason says why).
 *
 * @param owner the owner, {@link ProcessOwner#UNKNOWN} when not established; its uid is the socket's
 * @param reason "" when everything was found directly; otherwise what is unknown and why, or how the owner was
 *        inferred; short, for logs and {@code sockets}
 * @param inode the socket's inode ({@code socket:[N]}), 0 when no socket was found
 */
public record OwnerResult(ProcessOwner owner, String reason, long inode) {

    /** Checks the parts are present. */
    public OwnerResult {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * @param reason why the owner is unknown
     * @param inode the socket's inode if one was found, else 0
     * @return a result without owner
     */
    public static OwnerResult unknown(String reason, long inode) {
        return new OwnerResult(ProcessOwner.UNKNOWN, reason, inode);
    }

    /** @return whether the thread is known too (and so the process) */
    public boolean threadKnown() {
        return owner.pid() >= 0;
    }

    @Override
    public String toString() {
        return owner + (reason.isEmpty() ? "" : " (" + reason + ")");
    }
}
