package layer45.mnet.owner;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@link OwnerEvent} counters that many threads add to at once (lookups run on many virtual threads), unlike the
 * single-writer {@link layer45.mnet.stats.EnumCounters} of the loop thread.
 */
final class OwnerCounters {

    private static final OwnerEvent[] EVENTS = OwnerEvent.values();

    private final AtomicLongArray values = new AtomicLongArray(EVENTS.length);

    void increment(OwnerEvent event) {
        values.incrementAndGet(event.ordinal());
    }

    void add(OwnerEvent event, long delta) {
        if (delta != 0) {
            values.addAndGet(event.ordinal(), delta);
        }
    }

    long get(OwnerEvent event) {
        return values.get(event.ordinal());
    }

    /** @return every counter by its name in lower case with dashes, in declaration order, zeros included */
    Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        for (OwnerEvent event : EVENTS) {
            snapshot.put(event.name().toLowerCase(Locale.ROOT).replace('_', '-'), get(event));
        }
        return snapshot;
    }
}
