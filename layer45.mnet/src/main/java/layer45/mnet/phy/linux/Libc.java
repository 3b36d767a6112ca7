package layer45.mnet.phy.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * Downcall handles into the C library, created once. Calls that report failure through {@code errno} take a
 * leading call-state segment ({@link #newCallState}) that the caller allocates once and reuses, so no call
 * allocates; read the value with {@link #errno}.
 *
 * <p>Constants are the Linux values shared by x86-64 and arm64 ({@code include/uapi/asm-generic/fcntl.h},
 * {@code poll.h}, {@code include/uapi/linux/if_tun.h}).
 */
final class Libc {

    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    /** {@code eventfd(2)} flags equal the {@code open(2)} ones. */
    static final int EFD_NONBLOCK = O_NONBLOCK;
    static final int EFD_CLOEXEC = O_CLOEXEC;

    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    /** {@code struct pollfd}: int fd, short events, short revents. */
    static final long POLLFD_SIZE = 8;
    static final long POLLFD_EVENTS = 4;
    static final long POLLFD_REVENTS = 6;
    /** {@code struct timespec} on LP64: long tv_sec, long tv_nsec. */
    static final long TIMESPEC_SIZE = 16;

    /** {@code _IOW('T', 202, int)}. */
    static final long TUNSETIFF = 0x400454caL;
    static final short IFF_TUN = 0x0001;
    static final short IFF_NO_PI = 0x1000;
    /** Reserved for offloads: prepends a {@code struct virtio_net_hdr} to each packet (not used yet). */
    static final short IFF_VNET_HDR = 0x4000;
    /** {@code IFNAMSIZ}: interface names are at most 15 bytes plus the terminating NUL. */
    static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)}: the name, then a union whose {@code short ifr_flags} is at offset 16. */
    static final long IFREQ_SIZE = 40;
    static final long IFREQ_FLAGS = 16;

    static final int O_RDONLY = 0x0;
    /** {@code socket(2)} type flags equal the {@code open(2)} ones. */
    static final int SOCK_NONBLOCK = O_NONBLOCK;
    static final int SOCK_CLOEXEC = O_CLOEXEC;
    static final int SOCK_RAW = 3;
    static final int AF_NETLINK = 16;
    /** {@code recv(2)}: return the datagram's real length even when it did not fit the buffer. */
    static final int MSG_TRUNC = 0x20;
    /** {@code setns(2)}: the descriptor names a network namespace ({@code include/uapi/linux/sched.h}). */
    static final int CLONE_NEWNET = 0x40000000;

    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static String unavailable;

    /** {@code int open(const char *path, int flags, ...)}. */
    static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO,
            Linker.Option.firstVariadicArg(2));
    /** {@code int close(int fd)}; its errors are of no use to us, so no errno. */
    static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    /** {@code ssize_t write(int fd, const void *buf, size_t count)}. */
    static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    /**
     * {@code write} without errno: for threads that own no call state (a wakeup from any thread), and for the
     * first attempt of a packet write, which is not worth a captured errno unless it fails.
     */
    static final MethodHandle WRITE_IGNORING_ERRNO = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /** {@code int ioctl(int fd, unsigned long request, ...)}: variadic after the request. */
    static final MethodHandle IOCTL = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), CAPTURE_ERRNO,
            Linker.Option.firstVariadicArg(2));
    /** {@code int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *mask)}. */
    static final MethodHandle PPOLL = downcall("ppoll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS), CAPTURE_ERRNO);
    /** {@code int eventfd(unsigned int initval, int flags)}. */
    static final MethodHandle EVENTFD = downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    /** {@code int socket(int domain, int type, int protocol)}. */
    static final MethodHandle SOCKET = downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    /** {@code int setns(int fd, int nstype)}: moves the calling thread, and only it, into a namespace. */
    static final MethodHandle SETNS = downcall("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    /** {@code ssize_t recv(int fd, void *buf, size_t len, int flags)}. */
    static final MethodHandle RECV = downcall("recv",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    /** {@code char *strerror(int errnum)}. */
    private static final MethodHandle STRERROR = downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    /** Why the handles could not be made (no native access, not Linux), or {@code null} when they work. */
    static final String UNAVAILABLE_REASON = unavailable;

    private Libc() {
    }

    /**
     * @param arena where the call state lives
     * @return a segment to pass as the first argument of the handles that capture errno
     */
    static MemorySegment newCallState(java.lang.foreign.Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /**
     * @param callState the segment passed to the failed call
     * @return the errno that call left
     */
    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /**
     * @param errno an errno value
     * @return the C library's message for it; only for error paths, as it reads a C string
     */
    @SuppressWarnings("restricted") // sizes strerror's result: glibc messages are far shorter than 256 bytes
    static String strerror(int errno) {
        if (STRERROR == null) {
            return "error " + errno;
        }
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
            return message.reinterpret(256).getString(0);
        } catch (Throwable e) {
            return "error " + errno;
        }
    }

    /** @param fd a file descriptor to close; errors are ignored (the descriptor is gone either way on Linux) */
    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new IllegalStateException("close(" + fd + ") failed in the FFM downcall", e);
        }
    }

    /**
     * @param error a {@link Throwable} out of {@code invokeExact}: the handles' types are fixed, so only a JVM
     *        error can arrive here
     * @return it, as an unchecked throwable to rethrow
     */
    static RuntimeException rethrow(Throwable error) {
        if (error instanceof RuntimeException runtime) {
            return runtime;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        return new IllegalStateException("unexpected checked exception from a C library downcall", error);
    }

    @SuppressWarnings("restricted") // without native access: IllegalCallerException (deny mode) or a warning
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        if (unavailable != null) {
            return null;
        }
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            unavailable = "TUN devices need Linux; this JVM runs on " + os;
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            MemorySegment symbol = linker.defaultLookup().find(name)
                    .orElseThrow(() -> new IllegalStateException("the C library has no function " + name));
            return linker.downcallHandle(symbol, descriptor, options);
        } catch (IllegalCallerException e) {
            unavailable = "native access is not enabled for layer45.mnet: start java with "
                    + "--enable-native-access=ALL-UNNAMED (" + e.getMessage() + ")";
        } catch (RuntimeException | LinkageError e) {
            unavailable = "cannot call the C library through FFM: " + e;
        }
        return null;
    }
}
