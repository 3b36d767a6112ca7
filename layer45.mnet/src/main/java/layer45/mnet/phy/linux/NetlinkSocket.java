package layer45.mnet.phy.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A non-blocking netlink socket ({@code socket(AF_NETLINK, SOCK_RAW, protocol)}) over FFM, opened in the caller's
 * network namespace or in another one.
 *
 * <p>A netlink socket stays bound to the namespace it was created in, whichever thread uses it later. To open one
 * in another namespace, {@link #open(int, Path, int)} starts a platform thread of its own that enters the namespace
 * with {@code setns(2)} (which moves only the calling thread), creates the socket, switches back and ends: no
 * other thread of the JVM ever runs in the other namespace, and the thread is never reused.
 *
 * <p>Not thread-safe: one caller at a time sends a request and reads its replies (callers hold a lock).
 */
public final class NetlinkSocket implements AutoCloseable {

    /** Protocol number of {@code NETLINK_SOCK_DIAG} ({@code include/uapi/linux/netlink.h}). */
    public static final int NETLINK_SOCK_DIAG = 4;

    private final int fd;
    private final String where;
    private final Arena arena;
    private final MemorySegment callState;
    private final MemorySegment buffer;
    private final MemorySegment pollFd;
    private final MemorySegment timeout;
    private boolean closed;

    private NetlinkSocket(int fd, String where, int bufferSize) {
        this.fd = fd;
        this.where = where;
        this.arena = Arena.ofShared();
        this.callState = Libc.newCallState(arena);
        this.buffer = arena.allocate(bufferSize, 8);
        this.pollFd = arena.allocate(Libc.POLLFD_SIZE, 8);
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, Libc.POLLFD_EVENTS, Libc.POLLIN);
        this.timeout = arena.allocate(Libc.TIMESPEC_SIZE, 8);
    }

    /**
     * @return why netlink sockets cannot be opened in this JVM (no native access, not Linux), or {@code null} when
     *         they can
     */
    public static String unavailableReason() {
        return Libc.UNAVAILABLE_REASON;
    }

    /**
     * Opens a netlink socket.
     *
     * @param protocol the netlink family, such as {@link #NETLINK_SOCK_DIAG}
     * @param namespace the namespace's file ({@code /run/netns/NAME}), or {@code null} for the caller's own
     * @param bufferSize bytes of the one native buffer requests and replies pass through: the largest request to
     *        send and datagram to receive (dumps need 32 KiB)
     * @return the socket
     * @throws IOException if the namespace cannot be entered (it does not exist; entering it needs
     *         CAP_SYS_ADMIN) or the socket cannot be created; the message says which
     */
    public static NetlinkSocket open(int protocol, Path namespace, int bufferSize) throws IOException {
        if (bufferSize < 64) {
            throw new IllegalArgumentException("netlink buffer size " + bufferSize + " is below 64 bytes");
        }
        if (Libc.UNAVAILABLE_REASON != null) {
            throw new IOException("cannot open a netlink socket: " + Libc.UNAVAILABLE_REASON);
        }
        String where = namespace == null ? "this process's network namespace" : "network namespace " + namespace;
        int fd = namespace == null ? createSocket(protocol, where) : createInside(namespace, protocol, where);
        return new NetlinkSocket(fd, where, bufferSize);
    }

    /**
     * Sends one request (one datagram to the kernel).
     *
     * @param request the bytes from its position to its limit; the position is left alone
     * @throws IOException if the kernel refuses it; the socket is then best closed and opened again
     */
    public void send(ByteBuffer request) throws IOException {
        checkOpen();
        int length = request.remaining();
        if (length > buffer.byteSize()) {
            throw new IllegalArgumentException("netlink request of " + length + " bytes exceeds the buffer of "
                    + buffer.byteSize());
        }
        MemorySegment.copy(MemorySegment.ofBuffer(request), 0, buffer, 0, length);
        for (int attempt = 0; attempt < 3; attempt++) {
            long sent;
            try {
                sent = (long) Libc.WRITE.invokeExact(callState, fd, buffer, (long) length);
            } catch (Throwable e) {
                throw Libc.rethrow(e);
            }
            if (sent == length) {
                return;
            }
            int errno = sent < 0 ? Libc.errno(callState) : 0;
            if (errno != Errno.EINTR) {
                throw new IOException("netlink request to " + where + " failed: "
                        + (sent < 0 ? Errno.describe(errno) : "only " + sent + " of " + length + " bytes sent"));
            }
        }
        throw new IOException("netlink request to " + where + " interrupted three times (EINTR)");
    }

    /**
     * Receives one datagram, waiting up to the timeout for it.
     *
     * @param into where the datagram goes, from its position; on return its position is past the bytes copied
     * @param timeoutNanos how long to wait when none is queued; 0 only takes one already queued
     * @return the datagram's length, larger than what was copied if it did not fit; 0 if none came in time
     * @throws IOException if the socket failed (it is then best closed and opened again)
     */
    public int receive(ByteBuffer into, long timeoutNanos) throws IOException {
        checkOpen();
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        for (int round = 0; round < 64; round++) {
            long length;
            try {
                length = (long) Libc.RECV.invokeExact(callState, fd, buffer, buffer.byteSize(), Libc.MSG_TRUNC);
            } catch (Throwable e) {
                throw Libc.rethrow(e);
            }
            if (length >= 0) {
                int copied = (int) Math.min(Math.min(length, buffer.byteSize()), into.remaining());
                MemorySegment.copy(buffer, 0, MemorySegment.ofBuffer(into), 0, copied);
                into.position(into.position() + copied);
                return (int) Math.min(length, Integer.MAX_VALUE);
            }
            int errno = Libc.errno(callState);
            if (errno == Errno.EINTR) {
                continue;
            }
            if (errno != Errno.EAGAIN) {
                throw new IOException("netlink receive from " + where + " failed: " + Errno.describe(errno));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !awaitReadable(left)) {
                return 0;
            }
        }
        return 0;
    }

    /**
     * Throws away datagrams already queued (replies to a request that timed out), without waiting.
     *
     * @param limit how many at most
     * @return how many were thrown away
     * @throws IOException if the socket failed
     */
    public int drain(int limit) throws IOException {
        ByteBuffer sink = ByteBuffer.allocate(0);
        int drained = 0;
        while (drained < limit && receive(sink, 0) > 0) {
            drained++;
        }
        return drained;
    }

    /** @return where the socket was opened, for messages */
    public String where() {
        return where;
    }

    /** Closes the socket and frees its memory; idempotent. The caller makes sure no call is running. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
            arena.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("netlink socket in " + where + " is closed; open a new one");
        }
    }

    private boolean awaitReadable(long timeoutNanos) throws IOException {
        pollFd.set(JAVA_SHORT, Libc.POLLFD_REVENTS, (short) 0);
        timeout.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
        timeout.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
        int ready;
        try {
            ready = (int) Libc.PPOLL.invokeExact(callState, pollFd, 1L, timeout, MemorySegment.NULL);
        } catch (Throwable e) {
            throw Libc.rethrow(e);
        }
        if (ready < 0) {
            int errno = Libc.errno(callState);
            if (errno == Errno.EINTR) {
                return true;
            }
            throw new IOException("waiting for a netlink reply from " + where + " failed: " + Errno.describe(errno));
        }
        return ready > 0;
    }

    /** Creates the socket in the calling thread's namespace. */
    private static int createSocket(int protocol, String where) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = Libc.newCallState(arena);
            int fd = (int) Libc.SOCKET.invokeExact(callState, Libc.AF_NETLINK,
                    Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, protocol);
            if (fd < 0) {
                int errno = Libc.errno(callState);
                throw new IOException("cannot create a netlink socket (protocol " + protocol + ") in " + where + ": "
                        + Errno.describe(errno) + (errno == Errno.EMFILE || errno == Errno.ENFILE
                                ? "; raise the limit of open files (ulimit -n)" : ""));
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw Libc.rethrow(e);
        }
    }

    /** Creates the socket on a fresh platform thread that enters the namespace and ends afterwards. */
    private static int createInside(Path namespace, int protocol, String where) throws IOException {
        return InsideNamespace.call(namespace, where, () -> createSocket(protocol, where));
    }

    @Override
    public String toString() {
        return "netlink socket " + fd + " in " + where;
    }
}
