package layer45.mnet.owner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import layer45.api.ProcessOwner;
import layer45.api.Transport;

/**
 * Finds the process, and where it can the thread, that owns the socket of a flow seen on the TUN link, inside one
 * network namespace: the {@link ProcessOwner} that customization modules match on (the original kernel module
 * read it from the socket; here the socket is in another stack, the namespace's kernel one).
 *
 * <h2>Method</h2>
 * <ol>
 * <li><b>Socket.</b> The namespace's kernel is asked through {@code NETLINK_SOCK_DIAG} for the socket of the exact
 * 5-tuple (TCP or UDP, IPv4 or IPv6), which gives its inode and user. The lookup is the kernel's own, so it finds
 * connected sockets, UDP sockets that are only bound (a DNS server's, which receive the flow), and IPv6 sockets
 * of dual-stack programs talking IPv4. A TCP connection the kernel completed but the program has not accepted yet
 * is attributed to the owner of its listening socket, with that note as reason. When the exact lookup finds
 * nothing, a dump of the sockets on the flow's local port is searched by the kernel's rules (sockets bound to a
 * device). The netlink socket is opened inside the namespace ({@code setns(2)} on a platform thread of its own),
 * kept, and reopened after an error.</li>
 * <li><b>Process.</b> {@code /proc/PID/fd/*} links of the namespace's processes (those whose {@code /proc/PID/ns/net}
 * is the namespace) are searched for {@code socket:[INODE]}. One holder is the owner; several (a socket inherited
 * across {@code fork}) leave the owner unknown. A scan indexes every socket it passes, so later flows of sockets
 * that existed then are found in the cache; a cached holder is checked with one {@code readlink} before use. A miss
 * updates the scan's index of the namespace's sockets with what changed since (new processes, new descriptors);
 * only a socket the update does not find (its descriptor number was reused unseen) costs a full scan.</li>
 * <li><b>Names.</b> The process name is {@code /proc/TGID/comm}; the user is the socket's.</li>
 * <li><b>Thread.</b> A process with one thread: that thread. Otherwise the thread blocked in a system call whose
 * first argument is the socket's descriptor ({@code /proc/TGID/task/TID/syscall}: connect, accept, send*, recv*,
 * read, write, ...), else the thread waiting in {@code epoll_wait} on an epoll instance watching the socket
 * ({@code /proc/TGID/fdinfo/EPFD}). None or several: the thread is unknown, and the reason says which.</li>
 * </ol>
 *
 * <h2>Limits</h2>
 * <ul>
 * <li>A snapshot: the thread is the one blocked on the socket at the moment of the lookup. A thread that has
 * moved on (busy, or waiting in {@code poll}/{@code select}, whose descriptor sets are not read), or threads
 * sharing one epoll instance, leave the thread unknown. Ask early in the flow, while the program waits on it.</li>
 * <li>Only processes in the namespace are searched: a descriptor passed to a process elsewhere is not found. Pids
 * are those of the runtime's pid namespace.</li>
 * <li>Holders are complete only when the scan finished within {@link OwnerLimits}; otherwise the owner is
 * unknown ("scan stopped ..."), never the first holder found. A cached single holder is not rechecked for holders
 * added later by {@code fork}, for up to the cache's age limit.</li>
 * <li>Several UDP sockets on one port with {@code SO_REUSEPORT}: the one the kernel gives the peer's datagrams to.</li>
 * <li>System call numbers are known for x86-64 and arm64; elsewhere only single-threaded owners get a thread.</li>
 * <li>Needs root (or CAP_SYS_ADMIN to enter the namespace, CAP_SYS_PTRACE to read other users' {@code /proc}).
 * A process of the namespace whose descriptors cannot be read leaves the owner unknown; a process whose namespace
 * link cannot be read even by root (a sandbox's own init) is taken to be elsewhere, and counted
 * ({@code proc-unreadable}).</li>
 * </ul>
 *
 * <h2>Cost and threads</h2>
 * Thread-safe: called from many virtual threads at once; never call it from the stack's loop thread, as it reads
 * files and waits for netlink. One lookup is bounded by {@link OwnerLimits} (processes, descriptors and threads
 * read, and a time box); the netlink requests of one namespace go one at a time, and so do its scans of
 * {@code /proc}: lookups that miss the cache together wait for one scan, whose index usually answers them all.
 * {@link #counters()} tells operators what it cost.
 */
public final class OwnerLookup implements AutoCloseable {

    /** Where iproute2 keeps named network namespaces. */
    public static final Path NETNS_DIRECTORY = Path.of("/run/netns");
    private static final Path PROC = Path.of("/proc");

    private final String namespace;
    private final OwnerLimits limits;
    private final OwnerCounters counters;
    private final SockDiag sockDiag;
    private final ProcScan scan;
    private final ThreadFinder threads;
    private final OwnerCache cache;
    private final Path proc;
    private final ReentrantLock scanLock = new ReentrantLock();

    OwnerLookup(String namespace, SockDiag sockDiag, Path proc, long namespaceInode, Syscalls syscalls,
            OwnerLimits limits, OwnerCounters counters) {
        this.namespace = namespace;
        this.limits = limits;
        this.counters = counters;
        this.sockDiag = sockDiag;
        this.proc = proc;
        this.scan = new ProcScan(proc, namespaceInode, limits, counters);
        this.threads = new ThreadFinder(proc, syscalls, limits, counters);
        this.cache = new OwnerCache(limits.cacheSize(), limits.cacheAge().toNanos(), counters);
    }

    /**
     * A lookup for a named namespace of iproute2 ({@code ip netns}), with its netlink socket open.
     *
     * @param name the namespace's name, a file of {@code /run/netns}
     * @param limits the bounds of one lookup and of the cache ({@link OwnerLimits#DEFAULTS})
     * @return the lookup; close it when the namespace goes
     * @throws IOException if there is no such namespace, or its netlink socket cannot be opened (entering the
     *         namespace needs root or CAP_SYS_ADMIN)
     */
    public static OwnerLookup forNamespace(String name, OwnerLimits limits) throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(limits, "limits");
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("network namespace name \"" + name + "\" is not a file name of "
                    + NETNS_DIRECTORY);
        }
        Path file = NETNS_DIRECTORY.resolve(name);
        long inode;
        try {
            inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
        } catch (NoSuchFileException e) {
            throw new IOException("network namespace " + name + " does not exist (no " + file
                    + "); see ip netns list", e);
        }
        OwnerCounters counters = new OwnerCounters();
        return opened(new OwnerLookup("network namespace " + name, new SockDiag(file, "network namespace " + name,
                limits, counters), PROC, inode, Syscalls.forThisMachine(), limits, counters));
    }

    /**
     * A lookup for the runtime's own network namespace (programs on the same host stack as the runtime).
     *
     * @param limits the bounds of one lookup and of the cache
     * @return the lookup
     * @throws IOException if {@code /proc/self/ns/net} cannot be read or the netlink socket cannot be opened
     */
    public static OwnerLookup forOwnNamespace(OwnerLimits limits) throws IOException {
        Objects.requireNonNull(limits, "limits");
        String link = Files.readSymbolicLink(PROC.resolve("self").resolve("ns").resolve("net")).toString();
        long inode = ProcText.namespaceInode(link);
        if (inode < 0) {
            throw new IOException("/proc/self/ns/net links to \"" + link + "\", not net:[INODE]");
        }
        OwnerCounters counters = new OwnerCounters();
        return opened(new OwnerLookup("the runtime's network namespace", new SockDiag((Path) null,
                "the runtime's network namespace", limits, counters), PROC, inode, Syscalls.forThisMachine(), limits,
                counters));
    }

    private static OwnerLookup opened(OwnerLookup lookup) throws IOException {
        lookup.sockDiag.openNow();
        return lookup;
    }

    /**
     * Finds the owner of a flow's socket in the namespace.
     *
     * @param transport TCP or UDP
     * @param appSide the program's socket address in the namespace, such as 10.45.0.2:41234 or [fd45::2]:41234
     * @param peerSide the address it talks to
     * @return the owner, or {@link ProcessOwner#UNKNOWN} (or the process without the thread), with the reason;
     *         never a guess
     * @throws IllegalArgumentException if an address is unresolved or the two are of different families
     */
    public OwnerResult find(Transport transport, InetSocketAddress appSide, InetSocketAddress peerSide) {
        Objects.requireNonNull(transport, "transport");
        requireResolved(appSide, "appSide");
        requireResolved(peerSide, "peerSide");
        DiagRequest.familyOf(appSide.getAddress(), peerSide.getAddress());
        counters.increment(OwnerEvent.LOOKUPS);
        Deadline deadline = Deadline.in(limits.timeBox().toNanos());
        long start = System.nanoTime();
        SockDiag.Outcome socket = sockDiag.find(transport, appSide, peerSide, deadline);
        long found = System.nanoTime();
        counters.add(OwnerEvent.NETLINK_NANOS, found - start);
        if (socket.socket() == null) {
            return notFound(socket.reason(), 0);
        }
        long inode = socket.socket().inode();
        Holders holders = holders(inode, deadline);
        long held = System.nanoTime();
        counters.add(OwnerEvent.HOLDER_NANOS, held - found);
        try {
            return owner(socket, holders, inode, deadline);
        } finally {
            counters.add(OwnerEvent.THREAD_NANOS, System.nanoTime() - held);
        }
    }

    private OwnerResult owner(SockDiag.Outcome socket, Holders holders, long inode, Deadline deadline) {
        if (holders.reason != null) {
            return notFound(holders.reason, inode);
        }
        if (holders.list.size() > 1) {
            counters.increment(OwnerEvent.SEVERAL_PROCESSES);
            return notFound("socket held by several processes: " + holders.list.stream()
                    .map(holder -> Integer.toString(holder.tgid())).collect(Collectors.joining(", ")), inode);
        }
        Holder holder = holders.list.getFirst();
        String comm = threads.read(proc.resolve(Integer.toString(holder.tgid())).resolve("comm"));
        if (comm == null) {
            cache.remove(inode);
            return notFound("process " + holder.tgid() + " exited", inode);
        }
        String processName = ProcText.comm(comm);
        ThreadFinder.Found thread = threads.find(holder, processName, inode, deadline);
        counters.increment(thread.tid() >= 0 ? OwnerEvent.FOUND : OwnerEvent.FOUND_PROCESS_ONLY);
        ProcessOwner owner = new ProcessOwner(thread.tid(), holder.tgid(), thread.name(), processName,
                socket.socket().uid());
        return new OwnerResult(owner, join(socket.reason(), thread.reason()), inode);
    }

    /** The holders of a socket, or why they are not known. */
    private record Holders(List<Holder> list, String reason) {
    }

    private Holders holders(long inode, Deadline deadline) {
        Holders cached = cached(inode);
        if (cached != null) {
            counters.increment(OwnerEvent.CACHE_HITS);
            return cached;
        }
        counters.increment(OwnerEvent.CACHE_MISSES);
        // One scan at a time: a burst of new flows costs one scan, whose index answers the others.
        try {
            if (!scanLock.tryLock(deadline.leftNanos(), TimeUnit.NANOSECONDS)) {
                counters.increment(OwnerEvent.TIME_BOX);
                return new Holders(List.of(), "time box of " + deadline.budgetMillis()
                        + " ms passed waiting for another lookup's scan of /proc");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Holders(List.of(), "interrupted waiting for another lookup's scan of /proc");
        }
        try {
            cached = cached(inode);
            if (cached != null) {
                counters.increment(OwnerEvent.SCAN_SHARED);
                return cached;
            }
            long now = System.nanoTime();
            List<Holder> indexed = scan.indexed(inode);
            if (!indexed.isEmpty() && scan.stillHolding(inode, indexed).equals(indexed)) {
                counters.increment(OwnerEvent.INDEX_HITS); // a socket an earlier pass saw: nothing to read
                cache.put(inode, indexed, now);
                return new Holders(indexed, null);
            }
            ProcScan.Result updated = scan.update(inode, deadline);
            if (updated.incomplete() != null) {
                return new Holders(List.of(), updated.incomplete());
            }
            if (!updated.holders().isEmpty() && scan.stillHolding(inode, updated.holders()).equals(updated.holders())) {
                counters.increment(OwnerEvent.INDEX_HITS);
                cache.put(inode, updated.holders(), now);
                return new Holders(updated.holders(), null);
            }
            // Not in the index, or a holder it names moved on: a descriptor was reused unseen. Read everything.
            ProcScan.Result result = scan.scan(inode, deadline, limits.cacheSize());
            if (result.incomplete() != null) {
                return new Holders(List.of(), result.incomplete());
            }
            cache.putAll(result.index(), inode, now);
            if (result.holders().isEmpty()) {
                return new Holders(List.of(), "no process in " + namespace + " holds socket inode " + inode
                        + " (closed just now, or passed to a process elsewhere)");
            }
            return new Holders(result.holders(), null);
        } finally {
            scanLock.unlock();
        }
    }

    /** @return the cached holders that still hold the socket, or {@code null} */
    private Holders cached(long inode) {
        long now = System.nanoTime();
        List<Holder> cached = cache.get(inode, now);
        if (cached == null) {
            return null;
        }
        List<Holder> still = scan.stillHolding(inode, cached);
        if (still.isEmpty()) {
            counters.increment(OwnerEvent.CACHE_STALE);
            cache.remove(inode);
            return null;
        }
        if (!still.equals(cached)) {
            cache.put(inode, still, now);
        }
        return new Holders(still, null);
    }

    private OwnerResult notFound(String reason, long inode) {
        counters.increment(OwnerEvent.NOT_FOUND);
        return OwnerResult.unknown(reason, inode);
    }

    /** @return every counter by name (lookups, outcomes, cache hits and misses, scans, netlink, drops by reason) */
    public Map<String, Long> counters() {
        Map<String, Long> snapshot = counters.snapshot();
        snapshot.put("cache-size", (long) cache.size());
        return snapshot;
    }

    /**
     * Forgets every cached owner and the index of the namespace's sockets, so the next lookup reads {@code /proc}
     * again from scratch (benchmarks, operators).
     */
    public void clearCache() {
        cache.clear();
        scanLock.lock();
        try {
            scan.forgetAll();
        } finally {
            scanLock.unlock();
        }
    }

    /** @return the namespace searched, for messages */
    public String namespace() {
        return namespace;
    }

    /** Closes the netlink socket; lookups afterwards return an unknown owner saying so. */
    @Override
    public void close() {
        sockDiag.close();
    }

    @Override
    public String toString() {
        return "owner lookup in " + namespace;
    }

    private static String join(String first, String second) {
        return first.isEmpty() ? second : second.isEmpty() ? first : first + "; " + second;
    }

    private static void requireResolved(InetSocketAddress address, String which) {
        Objects.requireNonNull(address, which);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(which + " " + address + " is unresolved; a flow has IP addresses");
        }
    }
}
