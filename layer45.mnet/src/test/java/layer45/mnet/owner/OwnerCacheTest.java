package layer45.mnet.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OwnerCacheTest {

    private static final List<Holder> ONE = List.of(new Holder(100, new int[] {3}));
    private static final List<Holder> TWO = List.of(new Holder(200, new int[] {4}));

    private final OwnerCounters counters = new OwnerCounters();

    @Test
    void dropsTheLeastRecentlyUsedPastItsSize() {
        OwnerCache cache = new OwnerCache(2, 1_000, counters);
        cache.put(1, ONE, 0);
        cache.put(2, TWO, 0);
        cache.get(1, 0);
        cache.put(3, ONE, 0);

        assertEquals(ONE, cache.get(1, 0));
        assertNull(cache.get(2, 0), "least recently used");
        assertEquals(2, cache.size());
        assertEquals(1, counters.get(OwnerEvent.CACHE_EVICTIONS));
    }

    @Test
    void forgetsEntriesPastTheirAge() {
        OwnerCache cache = new OwnerCache(10, 1_000, counters);
        cache.put(1, ONE, 0);

        assertEquals(ONE, cache.get(1, 1_000));
        assertNull(cache.get(1, 1_001));
        assertEquals(0, cache.size());
        assertEquals(1, counters.get(OwnerEvent.CACHE_EXPIRED));
    }

    @Test
    void keepsTheScannedSocketMostRecentlyUsed() {
        OwnerCache cache = new OwnerCache(2, 1_000, counters);
        cache.putAll(Map.of(1L, ONE, 2L, TWO, 3L, ONE), 2, 0);

        assertEquals(TWO, cache.get(2, 0), "the socket the scan was for stays");
        assertEquals(2, cache.size());
    }

    @Test
    void remembersNothingWithSizeZero() {
        OwnerCache cache = new OwnerCache(0, 1_000, counters);
        cache.put(1, ONE, 0);
        cache.putAll(Map.of(2L, TWO), 2, 0);

        assertEquals(0, cache.size());
        assertEquals(0, counters.get(OwnerEvent.CACHE_EVICTIONS));
    }
}
