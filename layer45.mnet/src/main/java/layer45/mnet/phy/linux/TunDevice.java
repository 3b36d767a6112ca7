package layer45.mnet.phy.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import layer45.mnet.phy.Device;
import layer45.mnet.phy.DeviceCapabilities;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.phy.RxHandler;
import layer45.mnet.phy.TxWriter;
import layer45.mnet.stats.EnumCounters;

/**
 * A Linux TUN device ({@code drivers/net/tun.c}) opened with {@code IFF_TUN | IFF_NO_PI}: every read and write is
 * one whole IPv4 or IPv6 packet, told apart by its version nibble.
 *
 * <p>The file descriptor is non-blocking; {@link #await} waits in {@code ppoll(2)} on it and on an
 * {@code eventfd(2)} that {@link #wakeup} writes to. Packets are read into and written from native memory that
 * the device allocates once, each exposed as one reused {@link ByteBuffer} view, so no call allocates.
 *
 * <p>The device is created non-persistent: closing it removes the interface. Configure the link (namespace,
 * addresses, MTU, up) with {@link LinkConfigurator}; {@link #name()} is the name the kernel gave at open and does
 * not follow a later rename.
 *
 * <p>Closing: {@link #close} may be called from any thread. The descriptors and native memory are released once
 * no call of this device is running: close wakes a loop thread waiting in {@link #await}, and waits up to two
 * seconds for it to leave (it does not wait when called on the loop thread itself, say from a receive handler;
 * the device is then released as that call returns). After close every call returns at once and sends nothing.
 */
public final class TunDevice implements Device {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");

    /**
     * The flags of {@code TUNSETIFF}. Offloads would add {@link Libc#IFF_VNET_HDR} here, set the header size with
     * {@code TUNSETVNETHDRSZ} and the offloads with {@code TUNSETOFFLOAD}, and read and write packets at
     * {@link #VNET_HEADER_LENGTH} past a {@code struct virtio_net_hdr}.
     */
    private static final short TUN_FLAGS = Libc.IFF_TUN | Libc.IFF_NO_PI;
    /** Bytes in front of each packet: {@code sizeof(struct virtio_net_hdr)} with {@code IFF_VNET_HDR}, else 0. */
    private static final int VNET_HEADER_LENGTH = 0;
    /**
     * The receive buffer takes the largest TUN packet whatever MTU the stack uses, so a link whose MTU was set
     * larger than the stack's costs a counted drop ({@link TunEvent#RX_TOO_LONG}), not a failed read.
     */
    private static final int RX_BUFFER_SIZE = VNET_HEADER_LENGTH + DeviceCapabilities.MAX_MTU;
    /** How many non-IP or oversized packets one {@link #receive} skips before it returns. */
    private static final int DROPS_PER_RECEIVE = 64;
    private static final int CLOSING = 1 << 30;
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final String name;
    private final int mtu;
    private final DeviceCapabilities capabilities;
    private final int tunFd;
    private final int eventFd;
    private final Arena arena;
    /** errno of the loop thread's calls; the contract allows one loop call at a time. */
    private final MemorySegment callState;
    private final MemorySegment rxSegment;
    private final ByteBuffer rxView;
    private final MemorySegment txSegment;
    private final ByteBuffer txView;
    /** Two {@code struct pollfd}: the TUN descriptor, then the eventfd. */
    private final MemorySegment pollFds;
    private final MemorySegment timeout;
    /** The eventfd counter increment a wakeup writes: 1, as an 8-byte native integer. */
    private final MemorySegment wakeupValue;
    private final MemorySegment wakeupDrain;
    private final EnumCounters<TunEvent> counters = new EnumCounters<>(TunEvent.class);
    /** Calls running now (wakeups from any thread included), plus {@link #CLOSING} once close began. */
    private final AtomicInteger users = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile String failure;
    private volatile Thread loopThread;

    private TunDevice(String name, int mtu, int tunFd, int eventFd, Arena arena, MemorySegment callState) {
        this.name = name;
        this.mtu = mtu;
        this.capabilities = new DeviceCapabilities(mtu, "tun " + name, DeviceCapabilities.Offloads.NONE);
        this.tunFd = tunFd;
        this.eventFd = eventFd;
        this.arena = arena;
        this.callState = callState;
        this.rxSegment = arena.allocate(RX_BUFFER_SIZE, 64);
        this.rxView = rxSegment.asByteBuffer();
        this.txSegment = arena.allocate(VNET_HEADER_LENGTH + mtu, 64);
        this.txView = txSegment.asByteBuffer();
        this.pollFds = arena.allocate(2 * Libc.POLLFD_SIZE, 8);
        pollFds.set(JAVA_INT, 0, tunFd);
        pollFds.set(JAVA_SHORT, Libc.POLLFD_EVENTS, Libc.POLLIN);
        pollFds.set(JAVA_INT, Libc.POLLFD_SIZE, eventFd);
        pollFds.set(JAVA_SHORT, Libc.POLLFD_SIZE + Libc.POLLFD_EVENTS, Libc.POLLIN);
        this.timeout = arena.allocate(Libc.TIMESPEC_SIZE, 8);
        this.wakeupValue = arena.allocate(JAVA_LONG);
        wakeupValue.set(JAVA_LONG, 0, 1L);
        this.wakeupDrain = arena.allocate(JAVA_LONG);
    }

    /**
     * Creates a TUN device in the current network namespace.
     *
     * @param options the name (or {@code %d} pattern) and the stack's MTU
     * @return the open device, down and without addresses
     * @throws TunException if the device cannot be created; the message says why and how to fix it
     */
    public static TunDevice open(TunOptions options) throws TunException {
        Objects.requireNonNull(options, "options");
        if (Libc.UNAVAILABLE_REASON != null) {
            throw new TunException("cannot create TUN device " + options.name() + ": " + Libc.UNAVAILABLE_REASON, 0);
        }
        Arena arena = Arena.ofShared();
        int tunFd = -1;
        int eventFd = -1;
        boolean opened = false;
        try {
            MemorySegment callState = Libc.newCallState(arena);
            MemorySegment path = arena.allocateFrom("/dev/net/tun");
            tunFd = (int) Libc.OPEN.invokeExact(callState, path, Libc.O_RDWR | Libc.O_CLOEXEC | Libc.O_NONBLOCK, 0);
            if (tunFd < 0) {
                throw TunException.openFailed(options.name(), Libc.errno(callState));
            }
            MemorySegment ifreq = arena.allocate(Libc.IFREQ_SIZE, 8);
            ifreq.setString(0, options.name());
            ifreq.set(JAVA_SHORT, Libc.IFREQ_FLAGS, TUN_FLAGS);
            int created = (int) Libc.IOCTL.invokeExact(callState, tunFd, Libc.TUNSETIFF, ifreq);
            if (created < 0) {
                throw TunException.createFailed(options.name(), Libc.errno(callState));
            }
            String assigned = ifreq.getString(0);
            eventFd = (int) Libc.EVENTFD.invokeExact(callState, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
            if (eventFd < 0) {
                int errno = Libc.errno(callState);
                throw new TunException("cannot create the wakeup eventfd of TUN device " + assigned + ": "
                        + Errno.describe(errno) + "; if the process is out of file descriptors, raise its limit "
                        + "(ulimit -n)", errno);
            }
            TunDevice device = new TunDevice(assigned, options.mtu(), tunFd, eventFd, arena, callState);
            opened = true;
            LOG.log(Level.DEBUG, "opened TUN device {0} (fd {1}, eventfd {2}, MTU {3})", assigned, tunFd, eventFd,
                    options.mtu());
            return device;
        } catch (TunException e) {
            throw e;
        } catch (Throwable e) {
            throw Libc.rethrow(e);
        } finally {
            if (!opened) {
                if (tunFd >= 0) {
                    Libc.close(tunFd);
                }
                if (eventFd >= 0) {
                    Libc.close(eventFd);
                }
                arena.close();
            }
        }
    }

    /** @return the interface name the kernel assigned at open ({@code l45t0} for {@code l45t%d}) */
    public String name() {
        return name;
    }

    /** @return what this device counted; read from any thread */
    public EnumCounters<TunEvent> counters() {
        return counters;
    }

    @Override
    public java.util.Map<String, Long> countersByName() {
        return counters.snapshot();
    }

    @Override
    public DeviceCapabilities capabilities() {
        return capabilities;
    }

    /** Reads one packet; skips (and counts) packets that are not IPv4 or IPv6 or longer than the MTU. */
    @Override
    public boolean receive(RxHandler handler) {
        if (!enterLoop()) {
            return false;
        }
        try {
            for (int dropped = 0; dropped <= DROPS_PER_RECEIVE; dropped++) {
                long length = readPacket();
                if (length <= 0) {
                    return false;
                }
                int protocol = LinkProtocol.ofIpVersion(rxSegment.get(JAVA_BYTE, VNET_HEADER_LENGTH));
                if (protocol == 0) {
                    counters.increment(TunEvent.RX_NOT_IP);
                } else if (length > mtu) {
                    counters.increment(TunEvent.RX_TOO_LONG);
                } else {
                    counters.increment(TunEvent.RX_PACKETS);
                    counters.add(TunEvent.RX_BYTES, length);
                    rxView.clear().limit((int) length).order(ByteOrder.BIG_ENDIAN);
                    handler.receive(protocol, rxView);
                    return true;
                }
            }
            return false;
        } finally {
            exit();
        }
    }

    /** @return the packet's length, 0 if none is waiting, -1 if the read failed (and the device with it) */
    private long readPacket() {
        for (int attempt = 0; attempt < 2; attempt++) {
            long length;
            try {
                length = (long) Libc.READ.invokeExact(callState, tunFd, rxSegment, (long) RX_BUFFER_SIZE);
            } catch (Throwable e) {
                throw Libc.rethrow(e);
            }
            if (length >= 0) {
                return length;
            }
            int errno = Libc.errno(callState);
            if (errno == Errno.EAGAIN) {
                return 0;
            }
            if (errno != Errno.EINTR) {
                fail("read", errno);
                return -1;
            }
        }
        return 0;
    }

    /** @return {@code true} for IPv4 and IPv6 only: the device is opened without packet information */
    @Override
    public boolean carries(int protocol) {
        return protocol == LinkProtocol.IPV4 || protocol == LinkProtocol.IPV6;
    }

    @Override
    public boolean transmit(int protocol, int length, TxWriter writer) {
        if (length < 1 || length > mtu) {
            throw new IllegalArgumentException("packet length " + length + " is outside 1.." + mtu
                    + " of TUN device " + name + ": fragment the packet or refuse it before transmit");
        }
        if (!carries(protocol)) {
            counters.increment(TunEvent.TX_UNSUPPORTED_PROTOCOL);
            return false;
        }
        if (!enterLoop()) {
            counters.increment(TunEvent.TX_DEVICE_DOWN);
            return false;
        }
        try {
            txView.clear().limit(length).order(ByteOrder.BIG_ENDIAN);
            writer.write(txView);
            // The first attempt captures no errno: a capturing downcall checks its state segment through a slice
            // that C2 does not scalar-replace once the writer inlined here fills the method (one object per packet,
            // seen with bench/udp.sh). A failed write is made again capturing errno, which says why; the second
            // attempt is also the one the loop's EINTR retry used to make.
            long written;
            try {
                written = (long) Libc.WRITE_IGNORING_ERRNO.invokeExact(tunFd, txSegment, (long) length);
                if (written < 0) {
                    written = (long) Libc.WRITE.invokeExact(callState, tunFd, txSegment, (long) length);
                }
            } catch (Throwable e) {
                throw Libc.rethrow(e);
            }
            if (written >= 0) {
                counters.increment(TunEvent.TX_PACKETS);
                counters.add(TunEvent.TX_BYTES, written);
                return true;
            }
            int errno = Libc.errno(callState);
            switch (errno) {
                case Errno.EINTR, Errno.EAGAIN, Errno.ENOBUFS, Errno.ENOMEM -> counters.increment(TunEvent.TX_FULL);
                case Errno.EINVAL, Errno.EMSGSIZE -> counters.increment(TunEvent.TX_REJECTED);
                default -> fail("write", errno);
            }
            return false;
        } finally {
            exit();
        }
    }

    /** @return {@link Device#NEVER}: packets arrive when the kernel sends them */
    @Override
    public long nextArrivalNanos() {
        return NEVER;
    }

    /**
     * Waits in {@code ppoll(2)} for a packet or a wakeup. A signal ({@code EINTR}) is a normal, early return. The
     * interrupt status is checked before and after the wait; to stop a waiting loop thread promptly, interrupt it
     * and call {@link #wakeup()}.
     */
    @Override
    public void await(long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("the loop thread of TUN device " + name + " was interrupted");
        }
        if (timeoutNanos <= 0 || !enterLoop()) {
            return;
        }
        try {
            pollFds.set(JAVA_SHORT, Libc.POLLFD_REVENTS, (short) 0);
            pollFds.set(JAVA_SHORT, Libc.POLLFD_SIZE + Libc.POLLFD_REVENTS, (short) 0);
            timeout.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timeout.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            int ready;
            try {
                ready = (int) Libc.PPOLL.invokeExact(callState, pollFds, 2L, timeout, MemorySegment.NULL);
            } catch (Throwable e) {
                throw Libc.rethrow(e);
            }
            if (ready < 0) {
                int errno = Libc.errno(callState);
                if (errno != Errno.EINTR) {
                    fail("ppoll", errno);
                }
            } else if (ready > 0) {
                short tunEvents = pollFds.get(JAVA_SHORT, Libc.POLLFD_REVENTS);
                if ((tunEvents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0) {
                    failWith("TUN device " + name + " failed: poll reports an error on its descriptor (events 0x"
                            + Integer.toHexString(tunEvents) + "): the interface was deleted (ip link del) or "
                            + "its network namespace removed; close the device and open a new one");
                }
                if ((pollFds.get(JAVA_SHORT, Libc.POLLFD_SIZE + Libc.POLLFD_REVENTS) & Libc.POLLIN) != 0) {
                    drainWakeups();
                }
            }
        } finally {
            exit();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("the loop thread of TUN device " + name + " was interrupted");
        }
    }

    private void drainWakeups() {
        long drained;
        try {
            drained = (long) Libc.READ.invokeExact(callState, eventFd, wakeupDrain, 8L);
        } catch (Throwable e) {
            throw Libc.rethrow(e);
        }
        if (drained == 8) {
            counters.increment(TunEvent.WAKEUPS);
        }
    }

    /** Adds one to the eventfd counter, which makes {@code ppoll} return; eventfd overflow cannot happen here. */
    @Override
    public void wakeup() {
        if (!enter()) {
            return;
        }
        try {
            long ignored = (long) Libc.WRITE_IGNORING_ERRNO.invokeExact(eventFd, wakeupValue, 8L);
        } catch (Throwable e) {
            throw Libc.rethrow(e);
        } finally {
            exit();
        }
    }

    @Override
    public String failure() {
        return failure;
    }

    /** Closes the TUN descriptor, which removes the interface, and the eventfd, and frees native memory. */
    @Override
    public void close() {
        int state;
        do {
            state = users.get();
            if ((state & CLOSING) != 0) {
                return;
            }
        } while (!users.compareAndSet(state, (state + 1) | CLOSING));
        // This close holds a slot, so the eventfd is still open for the wakeup of a loop thread in ppoll.
        try {
            long ignored = (long) Libc.WRITE_IGNORING_ERRNO.invokeExact(eventFd, wakeupValue, 8L);
        } catch (Throwable e) {
            throw Libc.rethrow(e);
        } finally {
            exit();
        }
        if (Thread.currentThread() == loopThread) {
            return;
        }
        try {
            if (!released.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "TUN device {0}: close waited {1} ms for the loop thread to leave a call; "
                        + "the device is removed when that call returns", name, CLOSE_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "tun " + name;
    }

    /** Enters a loop-thread call: false once the device closed or failed. */
    private boolean enterLoop() {
        if (failure != null || !enter()) {
            return false;
        }
        Thread current = Thread.currentThread();
        if (loopThread != current) {
            loopThread = current;
        }
        return true;
    }

    private boolean enter() {
        int state;
        do {
            state = users.get();
            if ((state & CLOSING) != 0) {
                return false;
            }
        } while (!users.compareAndSet(state, state + 1));
        return true;
    }

    private void exit() {
        if (users.decrementAndGet() == CLOSING) {
            release();
        }
    }

    /** Runs once, in the last call to leave after close began. */
    private void release() {
        Libc.close(tunFd);
        Libc.close(eventFd);
        arena.close();
        released.countDown();
        LOG.log(Level.DEBUG, "closed TUN device {0}", name);
    }

    private void fail(String call, int errno) {
        String hint = switch (errno) {
            case Errno.EBADFD, Errno.EIO, Errno.ENODEV, Errno.ENXIO -> "the interface was deleted (ip link del) or "
                    + "its network namespace removed";
            default -> "see the kernel log (dmesg)";
        };
        failWith("TUN device " + name + " failed: " + call + " returned " + Errno.describe(errno) + "; " + hint
                + "; close the device and open a new one");
    }

    private void failWith(String message) {
        counters.increment(TunEvent.IO_ERRORS);
        if (failure == null) {
            failure = message;
            LOG.log(Level.WARNING, message);
        }
    }
}
