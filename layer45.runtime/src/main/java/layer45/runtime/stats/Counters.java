package layer45.runtime.stats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import layer45.api.runtime.CountersDTO;

/**
 * Traffic counters of one direction of a flow, an attachment or a module.
 *
 * <p>Only one thread writes a given instance at a time (the one holding the flow's lock, the one retiring a
 * flow, or the call watchdog counting the fault of a call stuck while holding that lock), but operator tools read
 * from any thread. Opaque access keeps every {@code long} whole for those readers
 * and costs nothing more than a plain store on the writing side.
 */
public final class Counters {

    /** Chunks that went through the chain (for an attachment: calls into the module). */
    public static final int CHUNKS = 0;
    /** Bytes taken in. */
    public static final int BYTES_IN = 1;
    /** Bytes delivered. */
    public static final int BYTES_OUT = 2;
    /** Chunks replaced by a module's output. */
    public static final int CUSTOMIZED = 3;
    /** Chunks passed unchanged. */
    public static final int PASSED = 4;
    /** Chunks dropped. */
    public static final int DROPPED = 5;
    /** Held bytes discarded at the end of a stream. */
    public static final int HELD_DISCARDED = 6;
    /** Errors reported by modules. */
    public static final int ERRORS = 7;
    /** Faults of modules. */
    public static final int FAULTS = 8;
    /** Chunks kept whole by a module that was reassembling frames. */
    public static final int HELD = 9;

    private static final int SIZE = 10;
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values = new long[SIZE];

    /**
     * Adds to one counter; the caller is the only writer of this instance at the time.
     *
     * @param counter one of the constants
     * @param delta amount to add
     */
    public void add(int counter, long delta) {
        VALUES.setOpaque(values, counter, (long) VALUES.getOpaque(values, counter) + delta);
    }

    /** @param counter one of the constants; adds one to it */
    public void increment(int counter) {
        add(counter, 1);
    }

    /**
     * @param counter one of the constants
     * @return its current value
     */
    public long get(int counter) {
        return (long) VALUES.getOpaque(values, counter);
    }

    /**
     * Adds every counter of this instance to {@code total}; used when a flow or attachment retires. The caller
     * must be the only writer of {@code total}.
     *
     * @param total counters to add to
     */
    public void addTo(Counters total) {
        for (int i = 0; i < SIZE; i++) {
            total.add(i, get(i));
        }
    }

    /**
     * Adds this instance's values into a DTO being summed from several counters.
     *
     * @param dto the DTO to add to
     * @return the DTO
     */
    public CountersDTO sumInto(CountersDTO dto) {
        dto.chunks += get(CHUNKS);
        dto.bytesIn += get(BYTES_IN);
        dto.bytesOut += get(BYTES_OUT);
        dto.customized += get(CUSTOMIZED);
        dto.passed += get(PASSED);
        dto.dropped += get(DROPPED);
        dto.heldDiscarded += get(HELD_DISCARDED);
        dto.errors += get(ERRORS);
        dto.faults += get(FAULTS);
        dto.held += get(HELD);
        return dto;
    }

    /** @return a snapshot as a DTO */
    public CountersDTO toDTO() {
        return sumInto(new CountersDTO());
    }
}
