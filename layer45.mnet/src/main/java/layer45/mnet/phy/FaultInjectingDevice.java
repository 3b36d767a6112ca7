package layer45.mnet.phy;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.SplittableRandom;

import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.Clock;

/**
 * A wrapper that makes the packets received from another device suffer a bad network: loss, duplication,
 * corruption, reordering, delay with jitter, and a rate-limited bottleneck with a tail-dropping queue (smoltcp's
 * {@code FaultInjector}, Linux {@code netem}). Transmit, {@link #wakeup()}, {@link #failure()}, {@link #close()} and
 * {@link #capabilities()} go straight to the inner device; to disturb both directions of a {@link MemoryLink}, wrap
 * both ends.
 *
 * <p>Faults apply on the receive side so that a deterministic driver sees them: every {@link #receive} and
 * {@link #nextArrivalNanos()} first takes every packet the inner device has waiting (at most
 * {@code queueCapacity} per call), decides its fate at the current clock reading, copies a survivor into a
 * preallocated slot with a release instant, and hands slots out in release order (ties in arrival order) once the
 * clock reaches them. {@code nextArrivalNanos()} answers the earliest release (or the inner device's next arrival,
 * if earlier), so a driver with a {@link layer45.mnet.time.ManualClock} jumps from one release to the next.
 *
 * <p>Per packet, arriving at clock reading {@code now}:
 * <ol>
 * <li><b>loss</b>: with probability {@code loss} the packet is dropped ({@link FaultEvent#LOST}).</li>
 * <li><b>queue</b>: the packet needs a free slot; with none it is tail-dropped, counted as
 *     {@link FaultEvent#RATE_DROPPED} while the rate-limited bottleneck still has packets to serialize (the classic
 *     bottleneck tail drop) and as {@link FaultEvent#QUEUE_FULL} otherwise (delayed or held packets fill it).</li>
 * <li><b>rate</b>: with a rate limit the packet is serialized after the previous one: it leaves the bottleneck at
 *     {@code start = max(now, previous start) + ceil(length × 10⁹ / rate)} nanoseconds; without one, {@code start
 *     = now}.</li>
 * <li><b>delay</b>: {@code release = start + delayNanos + jitter}, jitter uniform in [0, jitterNanos]
 *     ({@link FaultEvent#DELAYED} if that adds anything).</li>
 * <li><b>reordering</b>: with probability {@code reordering} the packet is held back a further uniform
 *     [1, W] nanoseconds, where the reorder window {@code W = max(2 × delayNanos + jitterNanos,}
 *     {@value #MIN_REORDER_WINDOW_NANOS}{@code )}, so packets arriving up to W later overtake it
 *     ({@link FaultEvent#REORDERED}). The bottleneck is not held: reordering happens after it.</li>
 * <li><b>corruption</b>: with probability {@code corruption} one bit, uniform over the packet's bits (a random
 *     bit of a random byte), is flipped ({@link FaultEvent#CORRUPTED}).</li>
 * <li><b>duplication</b>: with probability {@code duplication} a second copy of the packet as it now is
 *     (corruption included) takes another slot with the same release instant and is delivered right after it
 *     ({@link FaultEvent#DUPLICATED}); without a free slot the copy is dropped and counted as in step 2.</li>
 * </ol>
 *
 * <p>Determinism: each fault draws from its own {@link SplittableRandom} stream split off the seed, and every
 * packet draws from every enabled fault's stream whether or not an earlier step dropped it. So the same seed,
 * packets and clock readings give the same outcome, and which packets one fault hits does not depend on the
 * other faults' settings. Nothing is allocated per packet.
 *
 * <p>Threading: like any device, used by one loop thread; {@link #wakeup()} and {@link #close()} from any thread.
 */
public final class FaultInjectingDevice extends ForwardingDevice {

    /** The smallest reorder window: 1 ms, so reordering works without delay too. */
    public static final long MIN_REORDER_WINDOW_NANOS = 1_000_000;
    /** The most bytes the queue may preallocate ({@code queueCapacity × mtu}): 1 GiB. */
    public static final long MAX_QUEUE_BYTES = 1L << 30;

    private final FaultOptions faults;
    private final Clock clock;
    private final EnumCounters<FaultEvent> counters = new EnumCounters<>(FaultEvent.class);

    private final SplittableRandom lossRandom;
    private final SplittableRandom duplicationRandom;
    private final SplittableRandom corruptionRandom;
    private final SplittableRandom jitterRandom;
    private final SplittableRandom reorderRandom;
    private final long reorderWindowNanos;

    /** Slot i holds one packet: its bytes, protocol, length, release instant and arrival sequence number. */
    private final ByteBuffer[] slots;
    private final int[] protocols;
    private final int[] lengths;
    private final long[] releaseNanos;
    private final long[] sequence;
    private final int[] freeSlots;
    private int freeCount;
    /** Held slots as a binary min-heap on (release instant, sequence). */
    private final int[] heap;
    private int heapSize;
    private long nextSequence;
    /** When the rate-limited bottleneck finishes serializing the last admitted packet. */
    private long bottleneckFreeNanos = Long.MIN_VALUE;
    /** The clock reading of the pull in progress, read by {@link #admit}. */
    private long pullNanos;
    private final RxHandler admitter = this::admit;

    private FaultInjectingDevice(Device inner, FaultOptions faults, Clock clock) {
        super(inner);
        this.faults = faults;
        this.clock = clock;
        SplittableRandom root = new SplittableRandom(faults.seed());
        this.lossRandom = root.split();
        this.duplicationRandom = root.split();
        this.corruptionRandom = root.split();
        this.jitterRandom = root.split();
        this.reorderRandom = root.split();
        this.reorderWindowNanos = Math.max(2 * faults.delayNanos() + faults.jitterNanos(), MIN_REORDER_WINDOW_NANOS);

        int capacity = faults.queueCapacity();
        int mtu = inner.capabilities().mtu();
        ByteBuffer memory = ByteBuffer.allocate(capacity * mtu);
        slots = new ByteBuffer[capacity];
        freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = memory.slice(i * mtu, mtu);
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
        protocols = new int[capacity];
        lengths = new int[capacity];
        releaseNanos = new long[capacity];
        sequence = new long[capacity];
        heap = new int[capacity];
    }

    /**
     * Wraps a device.
     *
     * @param inner the device whose received packets suffer the faults; closed with this one
     * @param faults what to do to them
     * @param clock the stack's clock: arrival and release instants are read from it
     * @return the wrapper, with {@code faults.queueCapacity()} slots of the inner device's MTU preallocated
     * @throws IllegalArgumentException if the queue would preallocate more than {@value #MAX_QUEUE_BYTES} bytes
     */
    public static FaultInjectingDevice wrap(Device inner, FaultOptions faults, Clock clock) {
        Objects.requireNonNull(inner, "inner");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(clock, "clock");
        int mtu = inner.capabilities().mtu();
        if ((long) faults.queueCapacity() * mtu > MAX_QUEUE_BYTES) {
            throw new IllegalArgumentException("fault queue of " + faults.queueCapacity() + " packets × MTU " + mtu
                    + " of " + inner.capabilities().name() + " exceeds " + MAX_QUEUE_BYTES
                    + " bytes: lower queueCapacity");
        }
        return new FaultInjectingDevice(inner, faults, clock);
    }

    /** @return the faults applied */
    public FaultOptions faults() {
        return faults;
    }

    /** @return the wrapped device */
    public Device inner() {
        return inner;
    }

    /** @return per-fault counters; written by the loop thread, readable from any */
    public EnumCounters<FaultEvent> counters() {
        return counters;
    }

    @Override
    public java.util.Map<String, Long> countersByName() {
        java.util.Map<String, Long> all = new java.util.LinkedHashMap<>(inner.countersByName());
        counters.snapshot().forEach((name, value) -> all.put("fault-" + name, value));
        return all;
    }

    /** @return how many packets (copies included) are held, waiting for their release instant */
    public int held() {
        return heapSize;
    }

    /** Pulls what the inner device has, then lends the held packet whose release instant has come, if any. */
    @Override
    public boolean receive(RxHandler handler) {
        long now = pull();
        if (heapSize == 0 || releaseNanos[heap[0]] > now) {
            return false;
        }
        int slot = popEarliest();
        counters.increment(FaultEvent.PASSED);
        try {
            handler.receive(protocols[slot], slots[slot].clear().limit(lengths[slot]));
        } finally {
            freeSlots[freeCount++] = slot;
        }
        return true;
    }

    /** @return the earliest release instant of a held packet, or the inner device's next arrival if earlier */
    @Override
    public long nextArrivalNanos() {
        pull();
        long held = heapSize > 0 ? releaseNanos[heap[0]] : NEVER;
        return Math.min(held, inner.nextArrivalNanos());
    }

    /** Returns at once if a held packet is due, else waits on the inner device no longer than the next release. */
    @Override
    public void await(long timeoutNanos) throws InterruptedException {
        long next = nextArrivalNanos();
        long timeout = timeoutNanos;
        if (next != NEVER) {
            long untilNext = next - clock.nanos();
            if (untilNext <= 0) {
                return;
            }
            timeout = Math.min(timeout, untilNext);
        }
        inner.await(timeout);
    }

    @Override
    public String toString() {
        return "faults " + faults + " on " + inner;
    }

    /** Takes up to queueCapacity waiting packets from the inner device; returns the clock reading used. */
    private long pull() {
        long now = clock.nanos();
        pullNanos = now;
        for (int i = 0; i < slots.length && inner.receive(admitter); i++) {
            // admit() decides each packet's fate
        }
        return now;
    }

    private void admit(int protocol, ByteBuffer packet) {
        counters.increment(FaultEvent.RECEIVED);
        int length = packet.limit();
        // Every enabled fault draws for every packet, so one fault's pattern is independent of the others.
        boolean lost = chance(lossRandom, faults.loss());
        boolean duplicate = chance(duplicationRandom, faults.duplication());
        int corruptBit = chance(corruptionRandom, faults.corruption()) && length > 0
                ? corruptionRandom.nextInt(length * 8) : -1;
        long jitter = faults.jitterNanos() > 0 ? jitterRandom.nextLong(faults.jitterNanos() + 1) : 0;
        long hold = chance(reorderRandom, faults.reordering()) ? 1 + reorderRandom.nextLong(reorderWindowNanos) : 0;
        if (lost) {
            counters.increment(FaultEvent.LOST);
            return;
        }
        if (freeCount == 0) {
            countTailDrop();
            return;
        }
        long start = pullNanos;
        if (faults.rateBytesPerSecond() > 0) {
            bottleneckFreeNanos = Math.max(bottleneckFreeNanos, start)
                    + Math.ceilDiv(length * 1_000_000_000L, faults.rateBytesPerSecond());
            start = bottleneckFreeNanos;
        }
        long release = start + faults.delayNanos() + jitter + hold;
        if (faults.delayNanos() + jitter > 0) {
            counters.increment(FaultEvent.DELAYED);
        }
        if (hold > 0) {
            counters.increment(FaultEvent.REORDERED);
        }
        int slot = freeSlots[--freeCount];
        ByteBuffer copy = slots[slot].clear();
        copy.put(0, packet, 0, length);
        if (corruptBit >= 0) {
            int index = corruptBit >>> 3;
            copy.put(index, (byte) (copy.get(index) ^ (1 << (corruptBit & 7))));
            counters.increment(FaultEvent.CORRUPTED);
        }
        hold(slot, protocol, length, release);
        if (duplicate) {
            if (freeCount == 0) {
                countTailDrop();
                return;
            }
            int twin = freeSlots[--freeCount];
            slots[twin].clear().put(0, copy, 0, length);
            hold(twin, protocol, length, release);
            counters.increment(FaultEvent.DUPLICATED);
        }
    }

    private static boolean chance(SplittableRandom random, double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }

    private void countTailDrop() {
        boolean bottleneckBacklogged = faults.rateBytesPerSecond() > 0 && bottleneckFreeNanos > pullNanos;
        counters.increment(bottleneckBacklogged ? FaultEvent.RATE_DROPPED : FaultEvent.QUEUE_FULL);
    }

    private void hold(int slot, int protocol, int length, long release) {
        protocols[slot] = protocol;
        lengths[slot] = length;
        releaseNanos[slot] = release;
        sequence[slot] = nextSequence++;
        int child = heapSize++;
        while (child > 0) {
            int parent = (child - 1) >>> 1;
            if (!earlier(slot, heap[parent])) {
                break;
            }
            heap[child] = heap[parent];
            child = parent;
        }
        heap[child] = slot;
    }

    private int popEarliest() {
        int earliest = heap[0];
        int last = heap[--heapSize];
        int parent = 0;
        while (true) {
            int child = 2 * parent + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && earlier(heap[child + 1], heap[child])) {
                child++;
            }
            if (!earlier(heap[child], last)) {
                break;
            }
            heap[parent] = heap[child];
            parent = child;
        }
        if (heapSize > 0) {
            heap[parent] = last;
        }
        return earliest;
    }

    private boolean earlier(int a, int b) {
        return releaseNanos[a] < releaseNanos[b] || releaseNanos[a] == releaseNanos[b] && sequence[a] < sequence[b];
    }
}
