package layer45.mnet.owner;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import layer45.api.Transport;
import layer45.mnet.phy.linux.Errno;
import layer45.mnet.phy.linux.NetlinkSocket;

/**
 * Finds the socket of a flow in one network namespace through {@code NETLINK_SOCK_DIAG}, and its inode and user.
 *
 * <p>First an exact lookup of the flow's addresses ({@link DiagRequest#exact}). A TCP connection the kernel holds
 * for a listening socket until the program accepts it has no inode yet: then the listening socket is looked up
 * (the same lookup with the unspecified peer) and reported with a note. When the exact lookup finds nothing, a
 * dump of the sockets on the flow's local port ({@link DiagRequest#dump}) is searched by the kernel's own rules
 * ({@link SocketMatch}): this finds sockets bound to a device, which a lookup without the interface misses.
 *
 * <p>One netlink socket, opened in the namespace on first use and kept; one request at a time (a lock). After a
 * failure, a timeout or a dump left half read, the socket is closed and the next request opens a new one; opening
 * is retried at most once a second, so a namespace that is gone costs one attempt a second, not one per lookup.
 */
final class SockDiag implements AutoCloseable {

    /** One reply datagram: dumps come in skbs of up to 32 KiB. */
    static final int BUFFER_SIZE = 64 * 1024;
    private static final long REOPEN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_DATAGRAMS = 1024;

    /**
     * What a search came to.
     *
     * @param socket the flow's socket (or, for a connection not accepted yet, its listening socket), or {@code null}
     * @param reason why there is none, or a note on how it was found; "" when found directly
     */
    record Outcome(DiagSocket socket, String reason) {
        static Outcome none(String reason) {
            return new Outcome(null, reason);
        }
    }

    /** The netlink socket as this class uses it; tests put a scripted kernel in its place. */
    interface Channel {
        /** Sends one request datagram. */
        void send(ByteBuffer request) throws IOException;

        /** Receives one datagram into {@code into}; its length (more than copied if cut), 0 if none in time. */
        int receive(ByteBuffer into, long timeoutNanos) throws IOException;

        /** Throws away datagrams already queued; how many. */
        int drain(int limit) throws IOException;

        void close();
    }

    /** Opens a channel. */
    interface Opener {
        Channel open() throws IOException;
    }

    private final Opener opener;
    private final String namespace;
    private final OwnerLimits limits;
    private final OwnerCounters counters;
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer request = ByteBuffer.allocate(DiagRequest.MAX_LENGTH);
    private final ByteBuffer reply = ByteBuffer.allocate(BUFFER_SIZE);
    private Channel socket;
    private int sequence;
    private long openRetryAt;
    private String openFailure;
    private boolean closed;

    /**
     * @param namespaceFile {@code /run/netns/NAME}, or {@code null} for this process's namespace
     * @param namespace the namespace's name for messages
     */
    SockDiag(Path namespaceFile, String namespace, OwnerLimits limits, OwnerCounters counters) {
        this(() -> channel(NetlinkSocket.open(NetlinkSocket.NETLINK_SOCK_DIAG, namespaceFile, BUFFER_SIZE)),
                namespace, limits, counters);
    }

    SockDiag(Opener opener, String namespace, OwnerLimits limits, OwnerCounters counters) {
        this.opener = opener;
        this.namespace = namespace;
        this.limits = limits;
        this.counters = counters;
    }

    /**
     * @param transport the flow's transport
     * @param app the program's side
     * @param peer the other side
     * @param deadline the lookup's time box
     * @return the socket, or why there is none
     */
    Outcome find(Transport transport, InetSocketAddress app, InetSocketAddress peer, Deadline deadline) {
        try {
            if (!lock.tryLock(deadline.leftNanos(), TimeUnit.NANOSECONDS)) {
                counters.increment(OwnerEvent.TIME_BOX);
                return Outcome.none("time box of " + deadline.budgetMillis() + " ms passed waiting for sock_diag");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.none("interrupted waiting for sock_diag");
        }
        try {
            if (closed) {
                return Outcome.none("the owner lookup of " + namespace + " is closed");
            }
            return search(transport, app, peer, deadline);
        } catch (IOException e) {
            counters.increment(OwnerEvent.NETLINK_ERRORS);
            discard();
            return Outcome.none(e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private Outcome search(Transport transport, InetSocketAddress app, InetSocketAddress peer, Deadline deadline)
            throws IOException {
        DiagReplies exact = exchange(DiagRequest.exact(request, ++sequence, transport, app, peer), false, deadline);
        if (!exact.complete()) {
            return Outcome.none(failure(exact, deadline));
        }
        if (exact.errno() == 0 && !exact.sockets().isEmpty()) {
            return found(exact.sockets().getFirst(), transport, app, deadline);
        }
        if (exact.errno() != Errno.ENOENT) {
            counters.increment(OwnerEvent.NETLINK_ERRORS);
            return Outcome.none("sock_diag lookup in " + namespace + " failed: " + Errno.describe(exact.errno()));
        }
        return fallback(transport, app, peer, deadline);
    }

    /** A socket the exact lookup found: its own inode, or the listener's for a connection not accepted yet. */
    private Outcome found(DiagSocket socket, Transport transport, InetSocketAddress app, Deadline deadline)
            throws IOException {
        if (socket.inode() != 0) {
            return new Outcome(socket, "");
        }
        if (transport == Transport.TCP && socket.awaitsAccept()) {
            InetSocketAddress anyPeer = new InetSocketAddress(unspecified(app.getAddress()), 0);
            DiagReplies listener = exchange(DiagRequest.exact(request, ++sequence, transport, app, anyPeer), false,
                    deadline);
            if (!listener.complete()) {
                return Outcome.none(failure(listener, deadline));
            }
            if (!listener.sockets().isEmpty() && listener.sockets().getFirst().state() == DiagSocket.LISTEN
                    && listener.sockets().getFirst().inode() != 0) {
                counters.increment(OwnerEvent.LISTENER_OWNER);
                return new Outcome(listener.sockets().getFirst(), "not accepted yet: owner of its listening socket");
            }
            return Outcome.none("connection not accepted yet (" + socket.stateName()
                    + ") and no listening socket found for " + format(app));
        }
        return Outcome.none("socket closed by its program (" + socket.stateName() + "); no process holds it");
    }

    private Outcome fallback(Transport transport, InetSocketAddress app, InetSocketAddress peer, Deadline deadline)
            throws IOException {
        List<DiagSocket> sockets = new ArrayList<>();
        int[] families = app.getAddress() instanceof Inet4Address
                ? new int[] {DiagRequest.AF_INET, DiagRequest.AF_INET6} : new int[] {DiagRequest.AF_INET6};
        for (int family : families) {
            counters.increment(OwnerEvent.NETLINK_FALLBACK_DUMPS);
            DiagReplies dump = exchange(DiagRequest.dump(request, ++sequence, family, transport, app.getPort(), -1),
                    true, deadline);
            if (!dump.complete() || dump.overflow()) {
                return Outcome.none(dump.overflow()
                        ? "more than " + limits.maxDumpSockets() + " sockets on port " + app.getPort()
                                + "; not searched"
                        : failure(dump, deadline));
            }
            if (dump.errno() != 0) {
                counters.increment(OwnerEvent.NETLINK_ERRORS);
                return Outcome.none("sock_diag dump in " + namespace + " failed: " + Errno.describe(dump.errno()));
            }
            sockets.addAll(dump.sockets());
        }
        boolean tcp = transport == Transport.TCP;
        SocketMatch.Choice choice = SocketMatch.best(sockets, tcp, false, app, peer);
        if (choice.candidates() > 1) {
            return Outcome.none(choice.candidates() + " sockets match " + format(app) + " equally (SO_REUSEPORT?)");
        }
        DiagSocket socket = choice.socket();
        if (socket == null) {
            return Outcome.none("no socket for this 5-tuple");
        }
        if (socket.inode() != 0 || !tcp || !socket.awaitsAccept()) {
            return socket.inode() != 0 ? new Outcome(socket, "")
                    : Outcome.none("socket closed by its program (" + socket.stateName() + "); no process holds it");
        }
        SocketMatch.Choice listener = SocketMatch.best(sockets, false, true, app, peer);
        if (listener.socket() == null || listener.socket().inode() == 0) {
            return Outcome.none("connection not accepted yet (" + socket.stateName()
                    + ") and no single listening socket found for " + format(app));
        }
        counters.increment(OwnerEvent.LISTENER_OWNER);
        return new Outcome(listener.socket(), "not accepted yet: owner of its listening socket");
    }

    /** Sends one request and parses its replies until complete, the deadline, or the netlink timeout. */
    private DiagReplies exchange(ByteBuffer bytes, boolean dump, Deadline deadline) throws IOException {
        Channel netlink = open();
        counters.add(OwnerEvent.NETLINK_DRAINED, netlink.drain(64));
        DiagReplies replies = new DiagReplies(sequence, dump, limits.maxDumpSockets(), counters);
        netlink.send(bytes);
        counters.increment(OwnerEvent.NETLINK_REQUESTS);
        long timeoutEnd = System.nanoTime() + limits.netlinkTimeout().toNanos();
        for (int datagram = 0; datagram < MAX_DATAGRAMS && !replies.complete() && !replies.overflow(); datagram++) {
            long wait = Math.min(deadline.leftNanos(), timeoutEnd - System.nanoTime());
            reply.clear();
            int length = wait > 0 ? netlink.receive(reply, wait) : 0;
            if (length == 0) {
                break;
            }
            replies.accept(reply.flip(), length);
        }
        if (!replies.complete() || replies.overflow()) {
            // A dump still running, or replies still to come: start the next request on a fresh socket.
            discard();
        }
        return replies;
    }

    private String failure(DiagReplies replies, Deadline deadline) {
        if (replies.malformed() != null) {
            return "sock_diag reply malformed (" + replies.malformed() + ")";
        }
        if (deadline.passed()) {
            counters.increment(OwnerEvent.TIME_BOX);
            return "time box of " + deadline.budgetMillis() + " ms passed waiting for sock_diag";
        }
        counters.increment(OwnerEvent.NETLINK_TIMEOUTS);
        return "no sock_diag reply from " + namespace + " within " + limits.netlinkTimeout().toMillis() + " ms";
    }

    private Channel open() throws IOException {
        if (socket != null) {
            return socket;
        }
        long now = System.nanoTime();
        if (openFailure != null && now - openRetryAt < 0) {
            throw new IOException(openFailure);
        }
        try {
            socket = opener.open();
            openFailure = null;
            counters.increment(OwnerEvent.NETLINK_OPENS);
            return socket;
        } catch (IOException e) {
            openFailure = e.getMessage() + " (sock_diag of " + namespace + " unavailable; retried once a second)";
            openRetryAt = now + REOPEN_INTERVAL_NANOS;
            throw new IOException(openFailure, e);
        }
    }

    private void discard() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    /**
     * Opens the netlink socket now rather than in the first lookup, whose time box would otherwise pay for it
     * (and, the first time in a JVM, for linking the C library's functions).
     *
     * @throws IOException if it cannot be opened
     */
    void openNow() throws IOException {
        lock.lock();
        try {
            open();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the netlink socket; lookups after this say so. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            discard();
        } finally {
            lock.unlock();
        }
    }

    private static Channel channel(NetlinkSocket netlink) {
        return new Channel() {
            @Override
            public void send(ByteBuffer request) throws IOException {
                netlink.send(request);
            }

            @Override
            public int receive(ByteBuffer into, long timeoutNanos) throws IOException {
                return netlink.receive(into, timeoutNanos);
            }

            @Override
            public int drain(int limit) throws IOException {
                return netlink.drain(limit);
            }

            @Override
            public void close() {
                netlink.close();
            }
        };
    }

    private static InetAddress unspecified(InetAddress like) {
        try {
            return InetAddress.getByAddress(new byte[like instanceof Inet4Address ? 4 : 16]);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
