package layer45.mnet.socket;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The flows of one transport protocol, found by their 5-tuple without allocating: the network protocol, and
 * each side's address (128 bits: IPv4 in the low 32) and port.
 *
 * <p>Open addressing with linear probing over parallel primitive arrays, at most half full, and backward-shift
 * deletion (no tombstones, so lookups stay short however many flows come and go). The hash is seeded at random
 * per table, so a peer cannot aim many flows at one bucket without knowing the seed. The capacity is fixed at
 * construction: {@link #put} refuses a flow beyond {@link #maxFlows()}, and the caller counts that.
 *
 * <p>Used by the stack's loop thread only.
 *
 * @param <V> the flow type
 */
public final class FlowTable<V> {

    private static final int WORDS = 5;

    private final int maxFlows;
    private final int mask;
    private final long[] keys;
    private final Object[] values;
    private final long seed;
    private int size;

    /**
     * @param maxFlows the most flows the table holds
     * @throws IllegalArgumentException if {@code maxFlows} is not between 1 and 2^24
     */
    public FlowTable(int maxFlows) {
        this(maxFlows, RandomGenerator.of("L64X128MixRandom").nextLong());
    }

    FlowTable(int maxFlows, long seed) {
        if (maxFlows < 1 || maxFlows > 1 << 24) {
            throw new IllegalArgumentException("a flow table holds 1 to 16777216 flows, not " + maxFlows);
        }
        int capacity = Integer.highestOneBit(maxFlows) << 2;
        this.maxFlows = maxFlows;
        this.mask = capacity - 1;
        this.keys = new long[capacity * WORDS];
        this.values = new Object[capacity];
        this.seed = seed;
    }

    /**
     * Finds a flow.
     *
     * @param network the network protocol (a {@link layer45.mnet.phy.LinkProtocol} number)
     * @param localHigh the local (application side) address's high 64 bits
     * @param localLow its low 64 bits
     * @param localPort the local port
     * @param remoteHigh the remote address's high 64 bits
     * @param remoteLow its low 64 bits
     * @param remotePort the remote port
     * @return the flow, or {@code null}
     */
    @SuppressWarnings("unchecked")
    public V get(int network, long localHigh, long localLow, int localPort, long remoteHigh, long remoteLow,
            int remotePort) {
        long ports = ports(network, localPort, remotePort);
        for (int slot = slot(ports, localHigh, localLow, remoteHigh, remoteLow); ; slot = (slot + 1) & mask) {
            Object value = values[slot];
            if (value == null) {
                return null;
            }
            if (matches(slot, ports, localHigh, localLow, remoteHigh, remoteLow)) {
                return (V) value;
            }
        }
    }

    /**
     * Adds a flow, or replaces the one with the same 5-tuple.
     *
     * @return {@code false} if the table already holds {@link #maxFlows()} flows and this is a new one
     * @see #get
     */
    public boolean put(int network, long localHigh, long localLow, int localPort, long remoteHigh, long remoteLow,
            int remotePort, V flow) {
        java.util.Objects.requireNonNull(flow, "flow");
        long ports = ports(network, localPort, remotePort);
        int slot = slot(ports, localHigh, localLow, remoteHigh, remoteLow);
        for (; values[slot] != null; slot = (slot + 1) & mask) {
            if (matches(slot, ports, localHigh, localLow, remoteHigh, remoteLow)) {
                values[slot] = flow;
                return true;
            }
        }
        if (size == maxFlows) {
            return false;
        }
        int base = slot * WORDS;
        keys[base] = ports;
        keys[base + 1] = localHigh;
        keys[base + 2] = localLow;
        keys[base + 3] = remoteHigh;
        keys[base + 4] = remoteLow;
        values[slot] = flow;
        size++;
        return true;
    }

    /**
     * Removes a flow.
     *
     * @return the flow removed, or {@code null} if there was none
     * @see #get
     */
    @SuppressWarnings("unchecked")
    public V remove(int network, long localHigh, long localLow, int localPort, long remoteHigh, long remoteLow,
            int remotePort) {
        long ports = ports(network, localPort, remotePort);
        for (int slot = slot(ports, localHigh, localLow, remoteHigh, remoteLow); ; slot = (slot + 1) & mask) {
            Object value = values[slot];
            if (value == null) {
                return null;
            }
            if (matches(slot, ports, localHigh, localLow, remoteHigh, remoteLow)) {
                delete(slot);
                return (V) value;
            }
        }
    }

    /**
     * Removes every flow the predicate selects, and tells {@code removed} about each.
     *
     * @param select decides which flows go
     * @param removed told about each flow removed, after its removal
     * @return how many were removed
     */
    @SuppressWarnings("unchecked")
    public int removeIf(java.util.function.Predicate<V> select, Consumer<V> removed) {
        int count = 0;
        // Backward-shift deletion moves later entries into the freed slot: look at the same slot again.
        for (int slot = 0; slot <= mask; ) {
            V value = (V) values[slot];
            if (value != null && select.test(value)) {
                delete(slot);
                removed.accept(value);
                count++;
            } else {
                slot++;
            }
        }
        return count;
    }

    /** @param action receives every flow, in no particular order */
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<V> action) {
        for (Object value : values) {
            if (value != null) {
                action.accept((V) value);
            }
        }
    }

    /** @return flows held */
    public int size() {
        return size;
    }

    /** @return the most flows the table holds */
    public int maxFlows() {
        return maxFlows;
    }

    private void delete(int slot) {
        // Knuth's algorithm R: shift back later entries whose home is at or before the hole.
        int hole = slot;
        for (int next = (hole + 1) & mask; values[next] != null; next = (next + 1) & mask) {
            int base = next * WORDS;
            int home = slot(keys[base], keys[base + 1], keys[base + 2], keys[base + 3], keys[base + 4]);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                System.arraycopy(keys, base, keys, hole * WORDS, WORDS);
                values[hole] = values[next];
                hole = next;
            }
        }
        values[hole] = null;
        size--;
    }

    private boolean matches(int slot, long ports, long localHigh, long localLow, long remoteHigh, long remoteLow) {
        int base = slot * WORDS;
        return keys[base] == ports && keys[base + 2] == localLow && keys[base + 4] == remoteLow
                && keys[base + 1] == localHigh && keys[base + 3] == remoteHigh;
    }

    private int slot(long ports, long localHigh, long localLow, long remoteHigh, long remoteLow) {
        long h = seed;
        h = mix(h ^ ports);
        h = mix(h ^ localLow);
        h = mix(h ^ remoteLow);
        h = mix(h ^ localHigh);
        h = mix(h ^ remoteHigh);
        return (int) h & mask;
    }

    private static long ports(int network, int localPort, int remotePort) {
        return (long) network << 32 | (long) (localPort & 0xFFFF) << 16 | remotePort & 0xFFFF;
    }

    /** The finalizer of MurmurHash3 (fmix64): every input bit affects every output bit. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
