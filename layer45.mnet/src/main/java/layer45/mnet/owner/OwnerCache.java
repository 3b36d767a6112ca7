package layer45.mnet.owner;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The holders of recently seen sockets, by inode: least recently used first out past the size limit, and each
 * entry used for at most the age limit. A socket's inode is unique while it lives, so an entry stays right as long
 * as its holder keeps the descriptor, which the caller checks (one {@code readlink}) before using it.
 */
final class OwnerCache {

    private record Stored(List<Holder> holders, long storedNanos) {
    }

    private final int capacity;
    private final long maxAgeNanos;
    private final OwnerCounters counters;
    private final LinkedHashMap<Long, Stored> entries;

    OwnerCache(int capacity, long maxAgeNanos, OwnerCounters counters) {
        this.capacity = capacity;
        this.maxAgeNanos = maxAgeNanos;
        this.counters = counters;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Stored> eldest) {
                if (size() > OwnerCache.this.capacity) {
                    OwnerCache.this.counters.increment(OwnerEvent.CACHE_EVICTIONS);
                    return true;
                }
                return false;
            }
        };
    }

    /** @return the socket's cached holders, or {@code null} when absent or too old (then dropped) */
    synchronized List<Holder> get(long inode, long nowNanos) {
        Stored entry = entries.get(inode);
        if (entry == null) {
            return null;
        }
        if (nowNanos - entry.storedNanos() > maxAgeNanos) {
            entries.remove(inode);
            counters.increment(OwnerEvent.CACHE_EXPIRED);
            return null;
        }
        return entry.holders();
    }

    /** Remembers a socket's holders (an empty list forgets it). */
    synchronized void put(long inode, List<Holder> holders, long nowNanos) {
        if (capacity == 0) {
            return;
        }
        if (holders.isEmpty()) {
            entries.remove(inode);
        } else {
            entries.put(inode, new Stored(holders, nowNanos));
        }
    }

    /** Remembers what a scan found; the scan's own socket last, so it is the most recently used. */
    synchronized void putAll(Map<Long, List<Holder>> index, long inode, long nowNanos) {
        if (capacity == 0) {
            return;
        }
        for (Map.Entry<Long, List<Holder>> entry : index.entrySet()) {
            if (entry.getKey() != inode) {
                entries.put(entry.getKey(), new Stored(entry.getValue(), nowNanos));
            }
        }
        List<Holder> own = index.get(inode);
        if (own != null) {
            entries.put(inode, new Stored(own, nowNanos));
        }
    }

    /** Forgets a socket. */
    synchronized void remove(long inode) {
        entries.remove(inode);
    }

    /** Forgets everything. */
    synchronized void clear() {
        entries.clear();
    }

    synchronized int size() {
        return entries.size();
    }
}
