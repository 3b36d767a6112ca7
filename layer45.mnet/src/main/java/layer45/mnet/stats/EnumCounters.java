package layer45.mnet.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One counter per constant of an enum: drop reasons of a layer, events of a device.
 *
 * <p>One thread writes (the stack's loop thread, which owns the layer), or several through {@link #addShared}; any
 * thread reads. Opaque access keeps
 * every {@code long} whole for readers and costs a plain load and store on the writing side, so counting a drop
 * on the hot path is as cheap as {@code counts[i]++}.
 *
 * @param <E> the enum naming the counters
 */
public final class EnumCounters<E extends Enum<E>> {

    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);

    private final E[] names;
    private final long[] values;

    /** @param type the enum naming the counters */
    public EnumCounters(Class<E> type) {
        this.names = type.getEnumConstants();
        this.values = new long[names.length];
    }

    /** @param counter the counter to add one to; only the owning thread calls this */
    public void increment(E counter) {
        add(counter, 1);
    }

    /**
     * @param counter the counter to add to; only the owning thread calls this
     * @param delta the amount
     */
    public void add(E counter, long delta) {
        int i = counter.ordinal();
        VALUES.setOpaque(values, i, (long) VALUES.getOpaque(values, i) + delta);
    }

    /**
     * Adds atomically, for counters that several threads write (a relay's flows, each on its own threads); slower
     * than {@link #add}, and never to be mixed with it on the same counter.
     *
     * @param counter the counter to add to
     * @param delta the amount
     */
    public void addShared(E counter, long delta) {
        VALUES.getAndAdd(values, counter.ordinal(), delta);
    }

    /** @param counter the counter to add one to atomically, as {@link #addShared} */
    public void incrementShared(E counter) {
        addShared(counter, 1);
    }

    /**
     * @param counter a counter
     * @return its value
     */
    public long get(E counter) {
        return (long) VALUES.getOpaque(values, counter.ordinal());
    }

    /** @return the sum of every counter */
    public long total() {
        long sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += (long) VALUES.getOpaque(values, i);
        }
        return sum;
    }

    /**
     * @return every counter by its name in lower case with dashes ({@code BAD_CHECKSUM} becomes
     *         {@code bad-checksum}), in declaration order, zeros included
     */
    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        for (E name : names) {
            snapshot.put(name.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), get(name));
        }
        return snapshot;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
