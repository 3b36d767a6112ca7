package layer45.mnet.owner;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of {@link OwnerLookup}: what one lookup may cost at most, and the size of its cache.
 *
 * @param timeBox how long one lookup may take in all; past it, the owner is unknown ("time box ...")
 * @param netlinkTimeout how long to wait for a sock_diag reply (the kernel answers at once; this only guards)
 * @param maxProcesses how many entries of {@code /proc} one scan looks at (every process of the machine is
 *        looked at, to tell which are in the namespace)
 * @param maxFds how many descriptors one scan reads, over every process of the namespace
 * @param maxFdsPerProcess how many descriptors of one process a scan reads
 * @param maxThreads how many threads of the owner are examined for the one using the socket
 * @param maxDumpSockets how many sockets a port-filtered dump may list (the fallback of the exact lookup)
 * @param cacheSize how many sockets the cache remembers the holders of; 0 turns it off
 * @param cacheAge how long a cached entry is used before the socket's holders are searched again
 */
public record OwnerLimits(Duration timeBox, Duration netlinkTimeout, int maxProcesses, int maxFds,
        int maxFdsPerProcess, int maxThreads, int maxDumpSockets, int cacheSize, Duration cacheAge) {

    /**
     * Defaults for a namespace of up to about a thousand programs: 250 ms per lookup, 50 ms for a reply, 32768
     * processes, 65536 descriptors (16384 per process), 256 threads, 4096 sockets per dump, 4096 cached sockets
     * for 30 s. A lookup that scans {@code /proc} costs about 0.5 ms plus 20 µs per process of the namespace on a
     * small virtual machine (docs/benchmarks.md): 1000 processes take 23 ms, up to 100 ms on a busy machine.
     */
    public static final OwnerLimits DEFAULTS = new OwnerLimits(Duration.ofMillis(250), Duration.ofMillis(50), 32768,
            65536, 16384, 256, 4096, 4096, Duration.ofSeconds(30));

    /** Checks every bound is positive (the cache size may be 0). */
    public OwnerLimits {
        Objects.requireNonNull(timeBox, "timeBox");
        Objects.requireNonNull(netlinkTimeout, "netlinkTimeout");
        Objects.requireNonNull(cacheAge, "cacheAge");
        if (timeBox.isNegative() || timeBox.isZero() || netlinkTimeout.isNegative() || netlinkTimeout.isZero()
                || cacheAge.isNegative()) {
            throw new IllegalArgumentException("the time box (" + timeBox + ") and netlink timeout ("
                    + netlinkTimeout + ") must be positive, the cache age (" + cacheAge + ") not negative");
        }
        if (maxProcesses < 1 || maxFds < 1 || maxFdsPerProcess < 1 || maxThreads < 1 || maxDumpSockets < 1
                || cacheSize < 0) {
            throw new IllegalArgumentException("owner lookup limits must be at least 1 (cache size at least 0): "
                    + "processes " + maxProcesses + ", fds " + maxFds + ", fds per process " + maxFdsPerProcess
                    + ", threads " + maxThreads + ", dump sockets " + maxDumpSockets + ", cache " + cacheSize);
        }
    }

    /** @return these limits with another cache size (0 turns the cache off) */
    public OwnerLimits withCacheSize(int size) {
        return new OwnerLimits(timeBox, netlinkTimeout, maxProcesses, maxFds, maxFdsPerProcess, maxThreads,
                maxDumpSockets, size, cacheAge);
    }

    /** @return these limits with another time box */
    public OwnerLimits withTimeBox(Duration box) {
        return new OwnerLimits(box, netlinkTimeout, maxProcesses, maxFds, maxFdsPerProcess, maxThreads,
                maxDumpSockets, cacheSize, cacheAge);
    }
}
