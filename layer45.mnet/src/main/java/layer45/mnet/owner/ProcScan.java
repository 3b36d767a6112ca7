package layer45.mnet.owner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the processes of one network namespace that hold a socket, by its inode: every {@code /proc/PID} whose
 * {@code ns/net} links to the namespace, every descriptor of theirs that links to {@code socket:[INODE]}.
 *
 * <p>It keeps what it read: for each process of the namespace, its descriptors and the sockets they link to, and
 * from those an index of every socket's holders. An {@linkplain #update update} reads only what changed since: new
 * processes (a pid not seen: its namespace is read once; a process of another namespace is not looked at again
 * while its pid lives), and of the namespace's processes a new {@code /proc/PID} directory (the pid was reused) or a
 * {@code /proc/PID/fd} that changed size (the kernel reports the number of open descriptors there). A count that
 * grew by k is first looked for where the kernel puts new descriptors, the lowest numbers the process did not hold
 * (k {@code readlink}s when they are dense, as for a program opening connection after connection); otherwise, and
 * when the socket asked for is not among those found, the process's descriptors are listed and only the new ones
 * read. Processes gone leave the index. So a new flow costs a listing of {@code /proc},
 * two stats per process of the namespace and the new descriptors, not every descriptor of the namespace. A descriptor closed and its
 * number reused for a new socket between two updates, with the count unchanged, is not seen by an update: the
 * caller checks every holder the index names (one {@code readlink}) and, when the socket is not found, asks for a
 * full {@linkplain #scan scan}, which forgets and reads everything again.
 *
 * <p>A pass stopped by a limit or the time box says so, and its findings are then not complete: another process may
 * hold the socket. One thread at a time (the caller's lock).
 */
final class ProcScan {

    /**
     * What a pass found.
     *
     * @param holders the processes holding the socket asked for, as the index has them
     * @param incomplete {@code null} if every process was looked at, else why not (the holders may then be only some)
     * @param index every socket seen and its holders, after a complete full scan (else empty)
     */
    record Result(List<Holder> holders, String incomplete, Map<Long, List<Holder>> index) {
    }

    /** What the last passes read of one process of the namespace. */
    private static final class Known {
        /** Its {@code /proc/PID} directory's identity (device, inode): another one is another process, same pid. */
        final Object directory;
        /** The size of its {@code fd} directory when last listed (the number of descriptors, on Linux 6.2 on). */
        long fdDirectorySize = -1;
        /** Its descriptors and the socket inode each links to; -1 for a descriptor that is not a socket. */
        final Map<Integer, Long> fds = new HashMap<>();

        Known(Object directory) {
            this.directory = directory;
        }
    }

    private final Path proc;
    /** Whether {@link #proc} is the kernel's, whose {@code fd} directories give their descriptor count as size. */
    private final boolean kernelProc;
    private final String namespaceLink;
    private final OwnerLimits limits;
    private final OwnerCounters counters;
    /**
     * Processes of the namespace by pid, and the pids of other processes: not looked at again while they live (a
     * pid reused for a process of the namespace is found by the full scan a miss leads to).
     */
    private final Map<Integer, Known> known = new HashMap<>();
    private final Set<Integer> elsewhere = new HashSet<>();
    /** Every socket seen and who holds it: pid and descriptor pairs. */
    private final Map<Long, List<long[]>> holders = new HashMap<>();
    /** The processes whose new descriptors this update found by probing, with their {@code fd} directories. */
    private final Map<Integer, Path> probed = new HashMap<>();
    private int indexedFds;

    /**
     * @param proc the proc file system, {@code /proc} (another directory in tests)
     * @param namespaceInode the inode of the namespace's {@code nsfs} file
     */
    ProcScan(Path proc, long namespaceInode, OwnerLimits limits, OwnerCounters counters) {
        this.proc = proc;
        this.kernelProc = proc.equals(Path.of("/proc"));
        this.namespaceLink = "net:[" + namespaceInode + "]";
        this.limits = limits;
        this.counters = counters;
    }

    /**
     * Forgets what earlier passes read and reads every process again.
     *
     * @param inode the socket's inode
     * @param deadline the lookup's time box
     * @param indexLimit how many sockets the returned index may hold at most
     * @return the socket's holders, and the index of all sockets seen
     */
    Result scan(long inode, Deadline deadline, int indexLimit) {
        counters.increment(OwnerEvent.SCANS);
        known.clear();
        elsewhere.clear();
        holders.clear();
        indexedFds = 0;
        Result result = pass(inode, deadline);
        if (result.incomplete() != null) {
            forgetAll(); // a partial index would pass for the whole truth at the next update
            return result;
        }
        Map<Long, List<Holder>> index = new HashMap<>(Math.min(holders.size(), indexLimit) * 2);
        for (Long socket : holders.keySet()) {
            if (index.size() >= indexLimit) {
                break;
            }
            if (socket != inode) {
                index.put(socket, holdersOf(socket));
            }
        }
        if (!result.holders().isEmpty()) {
            index.put(inode, result.holders());
        }
        return new Result(result.holders(), null, index);
    }

    /**
     * Reads what changed since the last pass: new processes, and the new descriptors of those whose count changed.
     *
     * @param inode the socket's inode
     * @param deadline the lookup's time box
     * @return the socket's holders as the index has them now (check that they still hold it)
     */
    Result update(long inode, Deadline deadline) {
        counters.increment(OwnerEvent.INDEX_UPDATES);
        probed.clear();
        Result result = pass(inode, deadline);
        if (result.incomplete() == null && result.holders().isEmpty() && !probed.isEmpty()) {
            // Probing guessed where the new descriptors were; the socket is not among them: list those processes.
            result = relistProbed(inode, deadline);
        }
        if (result.incomplete() != null) {
            forgetAll();
        }
        return result;
    }

    private Result relistProbed(long inode, Deadline deadline) {
        Counts counts = new Counts();
        String incomplete = null;
        for (Map.Entry<Integer, Path> process : probed.entrySet()) {
            Known known = this.known.get(process.getKey());
            if (known != null) {
                incomplete = relist(process.getKey(), known, process.getValue(), known.fdDirectorySize, counts,
                        deadline);
                if (incomplete != null) {
                    break;
                }
            }
        }
        counters.add(OwnerEvent.SCANNED_NAMESPACE_PROCESSES, counts.namespaceProcesses);
        counters.add(OwnerEvent.SCANNED_FDS, counts.fds);
        return new Result(incomplete == null ? holdersOf(inode) : List.of(), incomplete, Map.of());
    }

    /**
     * @param inode a socket's inode
     * @return its holders as the index has them, without reading anything (check that they still hold it)
     */
    List<Holder> indexed(long inode) {
        return holdersOf(inode);
    }

    /** @return how many sockets the index knows */
    int indexedSockets() {
        return holders.size();
    }

    private Result pass(long inode, Deadline deadline) {
        Counts counts = new Counts();
        String incomplete = null;
        Set<Integer> seen = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
            for (Path entry : entries) {
                int pid = ProcText.number(entry.getFileName().toString());
                if (pid < 0) {
                    continue;
                }
                if (++counts.processes > limits.maxProcesses()) {
                    incomplete = limitReached("more than " + limits.maxProcesses() + " processes");
                    break;
                }
                if ((counts.processes & 15) == 0 && deadline.passed()) {
                    incomplete = timeBox(deadline);
                    break;
                }
                seen.add(pid);
                incomplete = look(pid, entry, counts, deadline);
                if (incomplete != null) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            incomplete = "cannot list " + proc + ": " + e.getMessage();
        }
        if (incomplete == null) {
            known.keySet().removeIf(pid -> !seen.contains(pid) && forget(pid));
            elsewhere.retainAll(seen);
        }
        counters.add(OwnerEvent.SCANNED_PROCESSES, counts.processes);
        counters.add(OwnerEvent.SCANNED_NAMESPACE_PROCESSES, counts.namespaceProcesses);
        counters.add(OwnerEvent.SCANNED_FDS, counts.fds);
        return new Result(incomplete == null ? holdersOf(inode) : List.of(), incomplete, Map.of());
    }

    /** Brings one process up to date; @return why the pass is incomplete, or {@code null} */
    private String look(int pid, Path entry, Counts counts, Deadline deadline) {
        if (elsewhere.contains(pid)) {
            return null;
        }
        Object directory = identityOf(entry);
        if (directory == null) {
            return null; // gone: the end of the pass forgets it
        }
        Known process = known.get(pid);
        if (process != null && !process.directory.equals(directory)) {
            forget(pid);
            known.remove(pid);
            process = null;
        }
        if (process == null) {
            String namespace;
            try {
                namespace = Files.readSymbolicLink(entry.resolve("ns").resolve("net")).toString();
            } catch (AccessDeniedException e) {
                // Not even root may read some (a sandbox's own init): counted, and a documented limit.
                counters.increment(OwnerEvent.PROC_UNREADABLE);
                return null;
            } catch (IOException e) {
                return null; // gone, or a zombie without namespaces: it holds nothing
            }
            if (!namespaceLink.equals(namespace)) {
                elsewhere.add(pid);
                return null;
            }
            process = new Known(directory);
            known.put(pid, process);
        }
        Path fdDirectory = entry.resolve("fd");
        long size = descriptorCount(fdDirectory);
        if (size > 0 && size == process.fdDirectorySize) {
            return null; // as many descriptors as last time: taken to be the same ones
        }
        if (process.fdDirectorySize > 0 && size > process.fdDirectorySize
                && probe(pid, process, fdDirectory, (int) (size - process.fdDirectorySize), counts)) {
            process.fdDirectorySize = size;
            probed.put(pid, fdDirectory);
            return null;
        }
        counts.namespaceProcesses++;
        return relist(pid, process, fdDirectory, size, counts, deadline);
    }

    /** Lists a process's descriptors, reads the new ones and drops the closed ones; @return why incomplete, or null */
    private String relist(int pid, Known process, Path fdDirectory, long size, Counts counts, Deadline deadline) {
        Set<Integer> listed = new HashSet<>(process.fds.size() * 2 + 16);
        int perProcess = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDirectory)) {
            for (Path fdPath : fds) {
                if (++perProcess > limits.maxFdsPerProcess()) {
                    return limitReached("process " + pid + " has more than " + limits.maxFdsPerProcess()
                            + " descriptors");
                }
                int fd = ProcText.number(fdPath.getFileName().toString());
                if (fd < 0) {
                    continue;
                }
                listed.add(fd);
                if (process.fds.containsKey(fd)) {
                    continue;
                }
                if (indexedFds >= limits.maxFds()) {
                    return limitReached("more than " + limits.maxFds() + " descriptors in the namespace");
                }
                if ((++counts.fds & 255) == 0 && deadline.passed()) {
                    return timeBox(deadline);
                }
                long socket = ProcText.socketInode(readLink(fdPath));
                process.fds.put(fd, socket);
                indexedFds++;
                if (socket >= 0) {
                    holders.computeIfAbsent(socket, s -> new ArrayList<>(1)).add(new long[] {pid, fd});
                }
            }
        } catch (NoSuchFileException e) {
            counters.increment(OwnerEvent.PROC_VANISHED); // the process exited: it holds nothing any more
            forget(pid);
            known.remove(pid);
            return null;
        } catch (AccessDeniedException e) {
            return denied(fdDirectory);
        } catch (IOException | RuntimeException e) {
            if (Files.notExists(fdDirectory.getParent())) {
                counters.increment(OwnerEvent.PROC_VANISHED); // it exited while being read
                forget(pid);
                known.remove(pid);
                return null;
            }
            return "cannot read the descriptors of process " + pid + ": " + e;
        }
        for (Iterator<Map.Entry<Integer, Long>> it = process.fds.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Long> fd = it.next();
            if (!listed.contains(fd.getKey())) {
                unindex(pid, fd.getKey(), fd.getValue());
                it.remove();
                indexedFds--;
            }
        }
        process.fdDirectorySize = size;
        return null;
    }

    /**
     * Looks for a process's new descriptors where the kernel puts them (the lowest free number): the numbers it did
     * not hold at the last pass, from the lowest up, one {@code readlink} each, instead of listing every descriptor.
     *
     * @param added by how many its descriptor count grew
     * @return whether as many new descriptors were found (else it is listed)
     */
    private boolean probe(int pid, Known process, Path fdDirectory, int added, Counts counts) {
        int found = 0;
        int misses = 0;
        for (int fd = 0; found < added && misses < PROBE_MISSES; fd++) {
            if (process.fds.containsKey(fd)) {
                continue;
            }
            String target = readLink(fdDirectory.resolve(Integer.toString(fd)));
            counts.fds++;
            if (target == null) {
                misses++; // still free (or closed meanwhile, as this number was free before)
                continue;
            }
            long socket = ProcText.socketInode(target);
            process.fds.put(fd, socket);
            indexedFds++;
            if (socket >= 0) {
                holders.computeIfAbsent(socket, s -> new ArrayList<>(1)).add(new long[] {pid, fd});
            }
            found++;
        }
        return found == added;
    }

    /** Takes a process's descriptors out of the index; @return true, for {@code removeIf} */
    private boolean forget(int pid) {
        Known process = known.get(pid);
        if (process != null) {
            process.fds.forEach((fd, socket) -> unindex(pid, fd, socket));
            indexedFds -= process.fds.size();
            process.fds.clear();
        }
        return true;
    }

    /** Forgets everything read: the next pass reads every process again. */
    void forgetAll() {
        known.clear();
        elsewhere.clear();
        holders.clear();
        indexedFds = 0;
    }

    private void unindex(int pid, int fd, long socket) {
        if (socket < 0) {
            return;
        }
        List<long[]> list = holders.get(socket);
        if (list != null) {
            list.removeIf(pair -> pair[0] == pid && pair[1] == fd);
            if (list.isEmpty()) {
                holders.remove(socket);
            }
        }
    }

    /** @return the socket's holders in the index, a process's descriptors together */
    private List<Holder> holdersOf(long socket) {
        List<long[]> pairs = holders.get(socket);
        if (pairs == null) {
            return List.of();
        }
        Map<Integer, int[]> byProcess = new LinkedHashMap<>();
        for (long[] pair : pairs) {
            byProcess.merge((int) pair[0], new int[] {(int) pair[1]}, (a, b) -> {
                int[] both = Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, both, a.length, b.length);
                return both;
            });
        }
        List<Holder> list = new ArrayList<>(byProcess.size());
        byProcess.forEach((tgid, fds) -> list.add(new Holder(tgid, fds)));
        return List.copyOf(list);
    }

    /** @return the holders that still hold the socket by at least one of the same descriptors */
    List<Holder> stillHolding(long inode, List<Holder> holders) {
        String wanted = "socket:[" + inode + "]";
        List<Holder> still = new ArrayList<>(holders.size());
        for (Holder holder : holders) {
            int[] kept = Arrays.stream(holder.fds())
                    .filter(fd -> wanted.equals(readLink(proc.resolve(Integer.toString(holder.tgid())).resolve("fd")
                            .resolve(Integer.toString(fd)))))
                    .toArray();
            if (kept.length > 0) {
                still.add(kept.length == holder.fds().length ? holder : new Holder(holder.tgid(), kept));
            }
        }
        return still;
    }

    /** A process of the namespace whose descriptors cannot be read might hold the socket: the scan is incomplete. */
    private static String denied(Path path) {
        return "cannot read " + path + " (permission denied): the owner lookup needs root or CAP_SYS_PTRACE";
    }

    private String limitReached(String what) {
        counters.increment(OwnerEvent.SCAN_LIMIT);
        return "scan stopped: " + what;
    }

    private String timeBox(Deadline deadline) {
        counters.increment(OwnerEvent.TIME_BOX);
        return "time box of " + deadline.budgetMillis() + " ms passed scanning /proc";
    }

    /** @return the link's target, or {@code null} if it is gone or not a link */
    static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** @return the file's identity (its device and inode: one stat), or {@code null} if it is gone */
    private static Object identityOf(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * @return how many descriptors the directory lists, or -1 (or 0, before Linux 6.2) if unknown: the size the
     *         kernel gives {@code /proc/PID/fd} (one stat, no listing); in another directory (tests), its entries
     */
    private long descriptorCount(Path fdDirectory) {
        try {
            if (kernelProc) {
                return Files.size(fdDirectory);
            }
            try (var entries = Files.list(fdDirectory)) {
                return entries.count();
            }
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return -1;
        }
    }

    /** Free numbers a probe reads before it gives up and lists the descriptors. */
    private static final int PROBE_MISSES = 16;

    private static final class Counts {
        int processes;
        int namespaceProcesses;
        int fds;
    }
}
