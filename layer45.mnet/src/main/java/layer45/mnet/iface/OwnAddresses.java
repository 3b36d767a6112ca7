package layer45.mnet.iface;

import java.util.List;

/**
 * The stack's own addresses on one network layer, as 128-bit pairs (IPv4 in the low 32 bits), in the configured
 * order: the first is the one the stack sends from when it starts a conversation. Looked up per packet, so a flat
 * array rather than a set (there are few).
 */
final class OwnAddresses {

    private final long[] pairs;

    /**
     * @param highs the addresses' high 64 bits
     * @param lows their low 64 bits, in the same order
     */
    OwnAddresses(List<Long> highs, List<Long> lows) {
        pairs = new long[highs.size() * 2];
        for (int i = 0; i < highs.size(); i++) {
            pairs[2 * i] = highs.get(i);
            pairs[2 * i + 1] = lows.get(i);
        }
    }

    boolean contains(long high, long low) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == low && pairs[i] == high) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return pairs.length == 0;
    }

    /** @return the first address's high 64 bits; only when not empty */
    long firstHigh() {
        return pairs[0];
    }

    /** @return the first address's low 64 bits; only when not empty */
    long firstLow() {
        return pairs[1];
    }

    /** Writes the first address into {@code into} ({@code [high, low]}); {@code false} when there is none. */
    boolean first(long[] into) {
        if (pairs.length == 0) {
            return false;
        }
        into[0] = pairs[0];
        into[1] = pairs[1];
        return true;
    }
}
