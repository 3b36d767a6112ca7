package layer45.mnet.frag;

import java.time.Duration;

/**
 * Bounds on fragment reassembly, so fragments cannot exhaust the stack: how many datagrams may be in reassembly at
 * once, how many bytes their fragments may hold, how many fragments one datagram may have, and how long a datagram
 * may wait for its missing fragments.
 *
 * <p>The defaults follow Linux: {@code net.ipv4.ipfrag_high_thresh} (4 MiB), {@code ipfrag_time} (30 s) for IPv4
 * and RFC 8200, section 4.5 (60 s) for IPv6; Linux has no datagram or fragment count, so ours are generous.
 *
 * @param maxDatagrams datagrams in reassembly at once; a new one beyond it evicts the oldest
 * @param maxBytes bytes of fragment data held at once; a fragment that would pass it evicts the oldest datagrams
 * @param maxFragments fragments one datagram may have; one more discards the datagram
 * @param timeout how long after its first fragment a datagram is discarded if still incomplete
 */
public record ReassemblyLimits(int maxDatagrams, int maxBytes, int maxFragments, Duration timeout) {

    /** IPv4 defaults: 64 datagrams, 4 MiB, 64 fragments each, 30 s. */
    public static final ReassemblyLimits IPV4 = new ReassemblyLimits(64, 4 << 20, 64, Duration.ofSeconds(30));
    /** IPv6 defaults: 64 datagrams, 4 MiB, 64 fragments each, 60 s. */
    public static final ReassemblyLimits IPV6 = new ReassemblyLimits(64, 4 << 20, 64, Duration.ofSeconds(60));

    /** @throws IllegalArgumentException if a bound is not positive, or the memory cannot hold one datagram */
    public ReassemblyLimits {
        if (maxDatagrams < 1 || maxFragments < 2 || timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("reassembly limits need at least 1 datagram, 2 fragments and a"
                    + " positive timeout; got " + maxDatagrams + " datagrams, " + maxFragments + " fragments, timeout "
                    + timeout);
        }
        if (maxBytes < Reassembler.MAX_DATAGRAM) {
            throw new IllegalArgumentException("reassembly memory of " + maxBytes + " bytes cannot hold one largest"
                    + " datagram (" + Reassembler.MAX_DATAGRAM + " bytes); raise it");
        }
    }
}
