package layer45.mnet.testing;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import layer45.mnet.phy.Device;
import layer45.mnet.phy.FaultInjectingDevice;
import layer45.mnet.phy.FaultOptions;
import layer45.mnet.phy.ForwardingDevice;
import layer45.mnet.phy.RxHandler;
import layer45.mnet.phy.TxWriter;
import layer45.mnet.time.Clock;

/**
 * The transmit-side twin of {@link FaultInjectingDevice}, which disturbs only what a device receives: this one loses,
 * duplicates and reorders what the stack transmits, so that on a link with one real end (a TUN device, whose other
 * end is the kernel) both directions can suffer. {@link #bothWays} wraps a device in both.
 *
 * <p>Per transmitted packet, with {@link FaultOptions}' probabilities drawn from seeded streams (one per fault, every
 * packet drawing from each, as in {@link FaultInjectingDevice}): <b>loss</b> drops it (the transmit still reports
 * success: the wire lost it); <b>reordering</b> holds a copy back for a uniform [1, W] nanoseconds, W =
 * {@link FaultInjectingDevice#MIN_REORDER_WINDOW_NANOS} (or twice the delay plus the jitter, if larger), so that
 * packets sent meanwhile overtake it; <b>duplication</b> sends it twice. Delay, jitter, rate and corruption are
 * ignored. Held packets go out from {@link #receive}, {@link #transmit}, {@link #nextArrivalNanos} and
 * {@link #await} once due ({@code await} waits no longer than the next release); a packet that does not find a
 * free slot among {@link FaultOptions#queueCapacity()} is sent at once, in order.
 *
 * <p>Loop thread only, like any device; {@link #wakeup()} and {@link #close()} from any thread.
 */
public final class TransmitFaultDevice extends ForwardingDevice {

    private final FaultOptions faults;
    private final Clock clock;
    private final long reorderWindowNanos;
    private final SplittableRandom lossRandom;
    private final SplittableRandom duplicationRandom;
    private final SplittableRandom reorderRandom;
    private final ByteBuffer scratch;
    private final ByteBuffer[] slots;
    private final int[] protocols;
    private final int[] lengths;
    private final long[] releaseNanos;
    private final boolean[] used;
    private int held;
    private long earliest = NEVER;
    private long transmitted;
    private long lost;
    private long duplicated;
    private long reordered;

    private TransmitFaultDevice(Device inner, FaultOptions faults, Clock clock) {
        super(inner);
        this.faults = faults;
        this.clock = clock;
        this.reorderWindowNanos = Math.max(2 * faults.delayNanos() + faults.jitterNanos(),
                FaultInjectingDevice.MIN_REORDER_WINDOW_NANOS);
        SplittableRandom root = new SplittableRandom(faults.seed());
        this.lossRandom = root.split();
        this.duplicationRandom = root.split();
        this.reorderRandom = root.split();
        int mtu = inner.capabilities().mtu();
        this.scratch = ByteBuffer.allocate(mtu);
        int capacity = faults.queueCapacity();
        this.slots = new ByteBuffer[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = ByteBuffer.allocate(mtu);
        }
        this.protocols = new int[capacity];
        this.lengths = new int[capacity];
        this.releaseNanos = new long[capacity];
        this.used = new boolean[capacity];
    }

    /**
     * @param inner the device whose transmitted packets suffer the faults; closed with this one
     * @param faults loss, duplication and reordering (the rest is ignored), and the number of packets held at most
     * @param clock the stack's clock
     * @return the wrapper
     */
    public static TransmitFaultDevice wrap(Device inner, FaultOptions faults, Clock clock) {
        return new TransmitFaultDevice(Objects.requireNonNull(inner, "inner"), Objects.requireNonNull(faults),
                Objects.requireNonNull(clock));
    }

    /**
     * Faults in both directions: a {@link FaultInjectingDevice} on what arrives, around a transmit-side one, each
     * with its own seed.
     *
     * @param inner the device
     * @param faults the faults; the transmit side uses {@code seed + 1}
     * @param clock the stack's clock
     * @return the outer wrapper
     */
    public static FaultInjectingDevice bothWays(Device inner, FaultOptions faults, Clock clock) {
        return FaultInjectingDevice.wrap(wrap(inner, faults.withSeed(faults.seed() + 1), clock), faults, clock);
    }

    @Override
    public boolean receive(RxHandler handler) {
        release(clock.nanos());
        return inner.receive(handler);
    }

    @Override
    public boolean transmit(int protocol, int length, TxWriter writer) {
        release(clock.nanos());
        transmitted++;
        boolean lose = chance(lossRandom, faults.loss());
        boolean duplicate = chance(duplicationRandom, faults.duplication());
        long hold = chance(reorderRandom, faults.reordering()) ? 1 + reorderRandom.nextLong(reorderWindowNanos) : 0;
        if (lose) {
            lost++;
            return true;
        }
        if (hold > 0) {
            int slot = freeSlot();
            if (slot >= 0) {
                writer.write(slots[slot].clear().limit(length));
                protocols[slot] = protocol;
                lengths[slot] = length;
                releaseNanos[slot] = clock.nanos() + hold;
                used[slot] = true;
                held++;
                earliest = Math.min(earliest, releaseNanos[slot]);
                reordered++;
                if (duplicate) {
                    duplicated++;
                    send(protocol, slots[slot], length);
                }
                return true;
            }
        }
        if (!duplicate) {
            return inner.transmit(protocol, length, writer);
        }
        writer.write(scratch.clear().limit(length));
        duplicated++;
        boolean sent = send(protocol, scratch, length);
        return send(protocol, scratch, length) || sent;
    }

    @Override
    public long nextArrivalNanos() {
        release(clock.nanos());
        return inner.nextArrivalNanos();
    }

    @Override
    public void await(long timeoutNanos) throws InterruptedException {
        long now = clock.nanos();
        release(now);
        long timeout = timeoutNanos;
        if (earliest != NEVER) {
            timeout = Math.min(timeout, Math.max(0, earliest - now));
        }
        if (timeout > 0) {
            inner.await(timeout);
        }
    }

    @Override
    public Map<String, Long> countersByName() {
        Map<String, Long> all = new LinkedHashMap<>(inner.countersByName());
        all.put("tx-fault-transmitted", transmitted);
        all.put("tx-fault-lost", lost);
        all.put("tx-fault-duplicated", duplicated);
        all.put("tx-fault-reordered", reordered);
        return all;
    }

    @Override
    public String toString() {
        return "transmit faults " + faults + " on " + inner;
    }

    /** Sends the held packets whose time has come, earliest first. */
    private void release(long now) {
        while (held > 0 && earliest <= now) {
            int first = -1;
            long next = NEVER;
            for (int i = 0; i < used.length; i++) {
                if (used[i] && (first < 0 || releaseNanos[i] < releaseNanos[first])) {
                    first = i;
                }
            }
            used[first] = false;
            held--;
            send(protocols[first], slots[first], lengths[first]);
            for (int i = 0; i < used.length; i++) {
                if (used[i]) {
                    next = Math.min(next, releaseNanos[i]);
                }
            }
            earliest = next;
        }
    }

    private int freeSlot() {
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                return i;
            }
        }
        return -1;
    }

    private boolean send(int protocol, ByteBuffer packet, int length) {
        return inner.transmit(protocol, length, buffer -> buffer.put(0, packet, 0, length));
    }

    private static boolean chance(SplittableRandom random, double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }
}
