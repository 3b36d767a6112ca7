package layer45.mnet.phy;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.Clock;

/**
 * Two devices wired back to back in memory, a point-to-point link between two stacks in one process: what
 * {@link #a()} transmits {@link #b()} receives, in order and with its link protocol number, and the other way
 * round. Any protocol number is carried.
 *
 * <p>Each direction is a ring of {@code capacity} preallocated slots of {@code mtu} bytes. Transmit reserves the
 * next free slot, lends it to the writer and publishes it; receive lends the oldest published slot to the handler
 * and frees it afterwards. Nothing is allocated per packet. A transmit finding the ring full drops the packet and
 * counts {@link MemoryLinkEvent#TX_QUEUE_FULL}, like a full transmit queue.
 *
 * <p>Threading: each end is used by one thread, its own stack's loop thread (the two ends usually run on two
 * threads). Each direction has a lock held only to reserve, publish or free a slot, never while a writer or
 * handler runs. {@link End#await} blocks on that direction's condition until a packet arrives, {@link End#wakeup}
 * is called, the link is closed, or the timeout passes; the timeout is real time, whatever the clock.
 *
 * <p>The link delivers at once: {@link End#nextArrivalNanos()} answers the clock's current reading while a packet
 * is waiting and {@link Device#NEVER} otherwise. Wrap an end in {@link FaultInjectingDevice} for delay and loss.
 *
 * <p>Closing either end (or the link) closes both: later transmits and receives return {@code false}, waiting
 * packets are discarded, {@code await} returns at once, and {@link End#failure()} reports the closed link.
 */
public final class MemoryLink implements AutoCloseable {

    private final String name;
    private final Clock clock;
    private final End a;
    private final End b;
    private volatile boolean closed;

    private MemoryLink(MemoryLinkOptions options, Clock clock) {
        this.name = options.name();
        this.clock = clock;
        Direction aToB = new Direction(options.capacity(), options.mtu());
        Direction bToA = new Direction(options.capacity(), options.mtu());
        this.a = new End("a", options.mtu(), bToA, aToB);
        this.b = new End("b", options.mtu(), aToB, bToA);
    }

    /**
     * Builds a link and preallocates both directions.
     *
     * @param options name, MTU and per-direction capacity
     * @param clock the stack's clock, read by {@link End#nextArrivalNanos()}
     * @return a new open link
     */
    public static MemoryLink create(MemoryLinkOptions options, Clock clock) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(clock, "clock");
        return new MemoryLink(options, clock);
    }

    /** @return one end; it receives what {@link #b()} transmits */
    public End a() {
        return a;
    }

    /** @return the other end; it receives what {@link #a()} transmits */
    public End b() {
        return b;
    }

    /** @return {@code true} once either end or the link was closed */
    public boolean isClosed() {
        return closed;
    }

    /** Closes both ends and wakes their waiting threads. Any thread; idempotent. */
    @Override
    public void close() {
        closed = true;
        a.incoming.signalChange();
        b.incoming.signalChange();
    }

    @Override
    public String toString() {
        return "memory link " + name + (closed ? " (closed)" : "");
    }

    /** One direction: a ring of preallocated slots, the oldest at {@code head}. */
    private static final class Direction {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        final ByteBuffer[] slots;
        final int[] protocols;
        final int[] lengths;
        /** Guarded by lock. */
        int head;
        /** Guarded by lock: published packets, from head on. */
        int count;
        /** Guarded by lock: the receiving end's wakeup() was called and no await() has returned since. */
        boolean wakeupRequested;

        Direction(int capacity, int mtu) {
            ByteBuffer memory = ByteBuffer.allocate(Math.multiplyExact(capacity, mtu));
            slots = new ByteBuffer[capacity];
            for (int i = 0; i < capacity; i++) {
                slots[i] = memory.slice(i * mtu, mtu);
            }
            protocols = new int[capacity];
            lengths = new int[capacity];
        }

        void signalChange() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** One end of the link: a {@link Device} for one stack. */
    public final class End implements Device {

        private final DeviceCapabilities capabilities;
        private final Direction incoming;
        private final Direction outgoing;
        private final EnumCounters<MemoryLinkEvent> counters = new EnumCounters<>(MemoryLinkEvent.class);

        private End(String side, int mtu, Direction incoming, Direction outgoing) {
            this.capabilities = new DeviceCapabilities(mtu, "memory " + name + " " + side,
                    DeviceCapabilities.Offloads.NONE);
            this.incoming = incoming;
            this.outgoing = outgoing;
        }

        /** @return this end's packet and drop counters; written by this end's thread, readable from any */
        public EnumCounters<MemoryLinkEvent> counters() {
            return counters;
        }

        @Override
        public java.util.Map<String, Long> countersByName() {
            return counters.snapshot();
        }

        /** @return the link this end belongs to */
        public MemoryLink link() {
            return MemoryLink.this;
        }

        @Override
        public DeviceCapabilities capabilities() {
            return capabilities;
        }

        @Override
        public boolean receive(RxHandler handler) {
            if (closed) {
                return false;
            }
            Direction in = incoming;
            int slot;
            int protocol;
            int length;
            in.lock.lock();
            try {
                if (in.count == 0) {
                    return false;
                }
                slot = in.head;
                protocol = in.protocols[slot];
                length = in.lengths[slot];
            } finally {
                in.lock.unlock();
            }
            counters.increment(MemoryLinkEvent.RX_PACKETS);
            counters.add(MemoryLinkEvent.RX_BYTES, length);
            try {
                handler.receive(protocol, in.slots[slot].clear().limit(length));
            } finally {
                in.lock.lock();
                try {
                    in.head = slot + 1 == in.slots.length ? 0 : slot + 1;
                    in.count--;
                } finally {
                    in.lock.unlock();
                }
            }
            return true;
        }

        @Override
        public boolean transmit(int protocol, int length, TxWriter writer) {
            capabilities.checkTransmitLength(length);
            if (closed) {
                counters.increment(MemoryLinkEvent.TX_LINK_CLOSED);
                return false;
            }
            Direction out = outgoing;
            int slot;
            out.lock.lock();
            try {
                if (out.count == out.slots.length) {
                    slot = -1;
                } else {
                    // Only this thread publishes, and the receiver only frees slots, so the reserved slot stays
                    // free while the writer fills it outside the lock.
                    int tail = out.head + out.count;
                    slot = tail >= out.slots.length ? tail - out.slots.length : tail;
                }
            } finally {
                out.lock.unlock();
            }
            if (slot < 0) {
                counters.increment(MemoryLinkEvent.TX_QUEUE_FULL);
                return false;
            }
            writer.write(out.slots[slot].clear().limit(length));
            out.lock.lock();
            try {
                if (closed) {
                    slot = -1;
                } else {
                    out.protocols[slot] = protocol;
                    out.lengths[slot] = length;
                    out.count++;
                    out.changed.signalAll();
                }
            } finally {
                out.lock.unlock();
            }
            if (slot < 0) {
                counters.increment(MemoryLinkEvent.TX_LINK_CLOSED);
                return false;
            }
            counters.increment(MemoryLinkEvent.TX_PACKETS);
            counters.add(MemoryLinkEvent.TX_BYTES, length);
            return true;
        }

        /** @return the clock's reading while a packet is waiting at this end, {@link Device#NEVER} otherwise */
        @Override
        public long nextArrivalNanos() {
            if (closed) {
                return NEVER;
            }
            Direction in = incoming;
            in.lock.lock();
            try {
                return in.count > 0 ? clock.nanos() : NEVER;
            } finally {
                in.lock.unlock();
            }
        }

        @Override
        public void await(long timeoutNanos) throws InterruptedException {
            Direction in = incoming;
            in.lock.lockInterruptibly();
            try {
                long remaining = timeoutNanos;
                while (in.count == 0 && !in.wakeupRequested && !closed && remaining > 0) {
                    remaining = in.changed.awaitNanos(remaining);
                }
                in.wakeupRequested = false;
            } finally {
                in.lock.unlock();
            }
        }

        @Override
        public void wakeup() {
            Direction in = incoming;
            in.lock.lock();
            try {
                in.wakeupRequested = true;
                in.changed.signalAll();
            } finally {
                in.lock.unlock();
            }
        }

        /** @return {@code "link closed: ..."} once the link was closed, {@code null} before */
        @Override
        public String failure() {
            return closed ? "link closed: memory link " + name + " was closed by one of its ends" : null;
        }

        /** Closes the whole link, both ends. Any thread; idempotent. */
        @Override
        public void close() {
            MemoryLink.this.close();
        }

        @Override
        public String toString() {
            return capabilities.name();
        }
    }
}
