package layer45.mnet.frag;

import java.util.concurrent.TimeUnit;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.Clock;

/**
 * Puts fragmented IP datagrams back together (RFC 791, section 3.2; RFC 8200, section 4.5), within
 * {@link ReassemblyLimits}.
 *
 * <p>Rules, each counted under its own {@link ReassemblyEvent} when it bites:
 * <ul>
 *   <li>A fragment that overlaps another discards the whole datagram (RFC 5722 requires it for IPv6; we do the same
 *       for IPv4, as Linux does since 2018, because overlaps only serve to evade inspection). An exact repeat of a
 *       fragment already held is a retransmission and is ignored.</li>
 *   <li>Every fragment but the last carries a multiple of 8 bytes; the last one fixes the end, and no fragment may
 *       reach past it; the datagram may not exceed the largest IP datagram.</li>
 *   <li>An incomplete datagram is discarded when its time is up; if its first fragment came, the caller is told so
 *       it can send ICMP "fragment reassembly time exceeded" (RFC 792, RFC 4443 section 3.3).</li>
 *   <li>When the datagram count or the byte budget would be exceeded, the oldest datagrams are evicted.</li>
 * </ul>
 *
 * <p>Memory is bounded and reused: each of the {@code maxDatagrams} slots allocates its buffers once, the first time
 * it is used. One instance serves one address family and is used by the stack's loop thread only.
 */
public final class Reassembler {

    /** The largest payload a reassembled datagram may have. */
    public static final int MAX_DATAGRAM = 65535;
    /** The most header bytes kept from a first fragment (enough to quote it in an ICMP error). */
    public static final int MAX_KEPT_HEADER = 512;

    /** Receives a completed datagram; it is lent and valid only during the call. */
    @FunctionalInterface
    public interface Completion {
        /** @param datagram the reassembled datagram */
        void reassembled(ReassembledDatagram datagram);
    }

    /** Told about a datagram discarded on timeout whose first fragment had arrived. */
    @FunctionalInterface
    public interface Expiry {
        /** @param datagram the incomplete datagram, lent during the call: its header and first fragment's data */
        void expired(ReassembledDatagram datagram);
    }

    private final ReassemblyLimits limits;
    private final Clock clock;
    private final EnumCounters<ReassemblyEvent> counters;
    private final long timeoutNanos;
    private final Slot[] slots;
    private int bytesHeld;
    private int active;

    /**
     * @param limits the bounds
     * @param clock the stack's clock
     * @param counters where events are counted
     */
    public Reassembler(ReassemblyLimits limits, Clock clock, EnumCounters<ReassemblyEvent> counters) {
        this.limits = limits;
        this.clock = clock;
        this.counters = counters;
        this.timeoutNanos = limits.timeout().toNanos();
        this.slots = new Slot[limits.maxDatagrams()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(limits.maxFragments());
        }
    }

    /**
     * Takes one fragment. If it completes its datagram, the datagram is lent to {@code completion} before this
     * method returns.
     *
     * @param fragment the fragment; its data is copied
     * @param completion receives the datagram if this fragment completed it
     * @return the event that describes what happened to the fragment
     */
    public ReassemblyEvent add(Fragment fragment, Completion completion) {
        int start = fragment.offset;
        int stop = start + fragment.dataLength;
        if (stop > fragment.maxPayload || stop > MAX_DATAGRAM) {
            discard(find(fragment));
            return count(ReassemblyEvent.TOO_LARGE);
        }
        if (fragment.dataLength == 0 && fragment.moreFragments || fragment.moreFragments && (stop & 7) != 0) {
            return count(ReassemblyEvent.BAD_FRAGMENT_LENGTH);
        }
        Slot slot = find(fragment);
        if (slot == null) {
            slot = allocate(fragment);
        }
        ReassemblyEvent problem = checkEnd(slot, fragment, stop);
        if (problem != null) {
            discard(slot);
            return count(problem);
        }
        int at = slot.insertionPoint(start);
        if (at < slot.ranges && slot.starts[at] == start && slot.ends[at] == stop
                && sameBytes(slot, fragment)) {
            return count(ReassemblyEvent.DUPLICATE_FRAGMENT);
        }
        boolean overlapsPrevious = at > 0 && slot.ends[at - 1] > start;
        boolean overlapsNext = at < slot.ranges && slot.starts[at] < stop;
        if (overlapsPrevious || overlapsNext) {
            discard(slot);
            return count(ReassemblyEvent.OVERLAP);
        }
        if (slot.ranges == limits.maxFragments()) {
            discard(slot);
            return count(ReassemblyEvent.TOO_MANY_FRAGMENTS);
        }
        makeRoom(fragment.dataLength, slot);
        if (!slot.active) {
            // Evicting made room by taking this very datagram: what is left of it is gone, so start it again.
            slot.start(fragment, clock.nanos(), timeoutNanos);
            active++;
            at = 0;
        }
        keep(slot, at, fragment, start, stop);
        counters.increment(ReassemblyEvent.FRAGMENT_ACCEPTED);
        if (slot.complete()) {
            counters.increment(ReassemblyEvent.DATAGRAM_REASSEMBLED);
            try {
                completion.reassembled(slot.view);
            } finally {
                release(slot);
            }
            return ReassemblyEvent.DATAGRAM_REASSEMBLED;
        }
        return ReassemblyEvent.FRAGMENT_ACCEPTED;
    }

    /**
     * Discards the datagrams whose time is up.
     *
     * @param expiry told about each discarded datagram whose first fragment had arrived
     * @return how many were discarded
     */
    public int expire(Expiry expiry) {
        if (active == 0) {
            return 0;
        }
        long now = clock.nanos();
        int expired = 0;
        for (Slot slot : slots) {
            if (slot.active && now - slot.deadline >= 0) {
                counters.increment(ReassemblyEvent.TIMED_OUT);
                try {
                    if (slot.hasRangeAt(0)) {
                        expiry.expired(slot.view);
                    }
                } finally {
                    release(slot);
                }
                expired++;
            }
        }
        return expired;
    }

    /** @return when the next datagram times out, on the clock; {@link Long#MAX_VALUE} when none is waiting */
    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        if (active > 0) {
            for (Slot slot : slots) {
                if (slot.active && slot.deadline < next) {
                    next = slot.deadline;
                }
            }
        }
        return next;
    }

    /** @return datagrams in reassembly now */
    public int datagramsInReassembly() {
        return active;
    }

    /** @return bytes of fragment data held now */
    public int bytesHeld() {
        return bytesHeld;
    }

    /** @return the limits this reassembler enforces */
    public ReassemblyLimits limits() {
        return limits;
    }

    @Override
    public String toString() {
        return "reassembler: " + active + " datagrams, " + bytesHeld + " bytes, timeout "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms";
    }

    private static ReassemblyEvent checkEnd(Slot slot, Fragment fragment, int stop) {
        if (!fragment.moreFragments) {
            if (slot.end >= 0 && slot.end != stop) {
                return ReassemblyEvent.INCONSISTENT_END;
            }
            if (slot.ranges > 0 && slot.ends[slot.ranges - 1] > stop) {
                return ReassemblyEvent.INCONSISTENT_END;
            }
            slot.end = stop;
        } else if (slot.end >= 0 && stop > slot.end) {
            return ReassemblyEvent.INCONSISTENT_END;
        }
        return null;
    }

    private static boolean sameBytes(Slot slot, Fragment fragment) {
        for (int i = 0; i < fragment.dataLength; i++) {
            if (slot.data.get(fragment.offset + i) != fragment.buffer.get(fragment.dataOffset + i)) {
                return false;
            }
        }
        return true;
    }

    private void keep(Slot slot, int at, Fragment fragment, int start, int stop) {
        slot.data.put(start, fragment.buffer, fragment.dataOffset, fragment.dataLength);
        slot.insert(at, start, stop);
        slot.bytesHeld += fragment.dataLength;
        bytesHeld += fragment.dataLength;
        if (start == 0) {
            // RFC 8200, 4.5: only the first fragment's Next Header counts (IPv4 has the protocol in the key).
            slot.protocol = fragment.protocol;
            int kept = Math.min(fragment.headerLength, MAX_KEPT_HEADER);
            slot.header.put(0, fragment.buffer, fragment.headerOffset, kept);
            slot.headerLength = kept;
        }
    }

    private Slot find(Fragment fragment) {
        if (active > 0) {
            for (Slot slot : slots) {
                if (slot.matches(fragment)) {
                    return slot;
                }
            }
        }
        return null;
    }

    private Slot allocate(Fragment fragment) {
        Slot free = null;
        for (Slot slot : slots) {
            if (!slot.active) {
                free = slot;
                break;
            }
        }
        if (free == null) {
            free = oldest(null);
            discard(free);
            counters.increment(ReassemblyEvent.EVICTED);
        }
        free.start(fragment, clock.nanos(), timeoutNanos);
        active++;
        return free;
    }

    private void makeRoom(int incoming, Slot keep) {
        while (bytesHeld + incoming > limits.maxBytes()) {
            Slot victim = oldest(keep);
            if (victim == null) {
                victim = keep;
            }
            discard(victim);
            counters.increment(ReassemblyEvent.EVICTED);
            if (victim == keep) {
                return;
            }
        }
    }

    private Slot oldest(Slot except) {
        Slot oldest = null;
        for (Slot slot : slots) {
            if (slot.active && slot != except && (oldest == null || slot.created - oldest.created < 0)) {
                oldest = slot;
            }
        }
        return oldest;
    }

    private void discard(Slot slot) {
        if (slot != null && slot.active) {
            release(slot);
        }
    }

    private void release(Slot slot) {
        bytesHeld -= slot.bytesHeld;
        active--;
        slot.free();
    }

    private ReassemblyEvent count(ReassemblyEvent event) {
        counters.increment(event);
        return event;
    }
}
