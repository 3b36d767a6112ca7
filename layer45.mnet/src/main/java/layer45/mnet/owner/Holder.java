package layer45.mnet.owner;

import java.util.Arrays;

/**
 * A process holding a socket, and the descriptors it holds it by (more than one after {@code dup}).
 *
 * @param tgid the process (thread group) id
 * @param fds the descriptors, in the order {@code /proc/PID/fd} listed them
 */
record Holder(int tgid, int[] fds) {

    /** @return the descriptors as text: {@code fd 5} or {@code fds 5, 9} */
    String describeFds() {
        if (fds.length == 1) {
            return "fd " + fds[0];
        }
        return "fds " + String.join(", ", Arrays.stream(fds).mapToObj(Integer::toString).toList());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Holder holder && holder.tgid == tgid && Arrays.equals(holder.fds, fds);
    }

    @Override
    public int hashCode() {
        return tgid * 31 + Arrays.hashCode(fds);
    }

    @Override
    public String toString() {
        return tgid + " (" + describeFds() + ")";
    }
}
