package layer45.mnet.owner;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the processes of one network namespace that hold a socket, by its inode: every {@code /proc/PID} whose
 * {@code ns/net} links to the namespace, every descriptor of theirs that links to {@code socket:[INODE]}.
 *
 * <p>A scan reads every descriptor of the namespace's processes anyway, so it keeps what it passed: an index of
 * every socket it saw and its holders (up to a size), which the caller caches. A scan stopped by a limit or the
 * time box says so, and its findings are then not complete: another process may hold the socket.
 */
final class ProcScan {

    /**
     * What a scan found.
     *
     * @param holders the processes holding the socket asked for
     * @param incomplete {@code null} if every process was scanned, else why not (the holders may then be only some)
     * @param index every socket seen and its holders, when complete (else empty)
     */
    record Result(List<Holder> holders, String incomplete, Map<Long, List<Holder>> index) {
    }

    private final Path proc;
    private final String namespaceLink;
    private final OwnerLimits limits;
    private final OwnerCounters counters;

    /**
     * @param proc the proc file system, {@code /proc} (another directory in tests)
     * @param namespaceInode the inode of the namespace's {@code nsfs} file
     */
    ProcScan(Path proc, long namespaceInode, OwnerLimits limits, OwnerCounters counters) {
        this.proc = proc;
        this.namespaceLink = "net:[" + namespaceInode + "]";
        this.limits = limits;
        this.counters = counters;
    }

    /**
     * @param inode the socket's inode
     * @param deadline the lookup's time box
     * @param indexLimit how many sockets the index may hold at most
     * @return the socket's holders, and the index of all sockets seen
     */
    Result scan(long inode, Deadline deadline, int indexLimit) {
        counters.increment(OwnerEvent.SCANS);
        Map<Long, HolderList> index = new HashMap<>();
        Counts counts = new Counts();
        String incomplete = null;
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
                Path link = entry.resolve("ns").resolve("net");
                String namespace;
                try {
                    namespace = Files.readSymbolicLink(link).toString();
                } catch (AccessDeniedException e) {
                    // Not even root may read some (a sandbox's own init): counted, and a documented limit.
                    counters.increment(OwnerEvent.PROC_UNREADABLE);
                    continue;
                } catch (IOException e) {
                    continue; // gone, or a zombie without namespaces: it holds nothing
                }
                if (namespaceLink.equals(namespace)) {
                    incomplete = scanProcess(pid, entry.resolve("fd"), inode, index, indexLimit, counts, deadline);
                    if (incomplete != null) {
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            incomplete = "cannot list " + proc + ": " + e.getMessage();
        }
        counters.add(OwnerEvent.SCANNED_PROCESSES, counts.processes);
        counters.add(OwnerEvent.SCANNED_NAMESPACE_PROCESSES, counts.namespaceProcesses);
        counters.add(OwnerEvent.SCANNED_FDS, counts.fds);
        HolderList wanted = index.get(inode);
        List<Holder> holders = wanted == null ? List.of() : wanted.freeze();
        if (incomplete != null) {
            return new Result(holders, incomplete, Map.of());
        }
        Map<Long, List<Holder>> frozen = new HashMap<>(index.size() * 2);
        index.forEach((socket, list) -> frozen.put(socket, list.freeze()));
        return new Result(holders, null, frozen);
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

    /** @return why the scan is incomplete, or {@code null} */
    private String scanProcess(int pid, Path fdDirectory, long inode, Map<Long, HolderList> index, int indexLimit,
            Counts counts, Deadline deadline) {
        counts.namespaceProcesses++;
        int perProcess = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDirectory)) {
            for (Path fdPath : fds) {
                if (++perProcess > limits.maxFdsPerProcess()) {
                    return limitReached("process " + pid + " has more than " + limits.maxFdsPerProcess()
                            + " descriptors");
                }
                if (++counts.fds > limits.maxFds()) {
                    return limitReached("more than " + limits.maxFds() + " descriptors in the namespace");
                }
                if ((counts.fds & 255) == 0 && deadline.passed()) {
                    return timeBox(deadline);
                }
                long socket = ProcText.socketInode(readLink(fdPath));
                int fd = ProcText.number(fdPath.getFileName().toString());
                if (socket < 0 || fd < 0) {
                    continue;
                }
                HolderList list = index.get(socket);
                if (list == null && (index.size() < indexLimit || socket == inode)) {
                    list = new HolderList();
                    index.put(socket, list);
                }
                if (list != null) {
                    list.add(pid, fd);
                }
            }
        } catch (NoSuchFileException e) {
            counters.increment(OwnerEvent.PROC_VANISHED); // the process exited: it holds nothing any more
        } catch (AccessDeniedException e) {
            return denied(fdDirectory);
        } catch (IOException | RuntimeException e) {
            if (Files.notExists(fdDirectory.getParent())) {
                counters.increment(OwnerEvent.PROC_VANISHED); // it exited while being read
                return null;
            }
            return "cannot read the descriptors of process " + pid + ": " + e;
        }
        return null;
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

    private static final class Counts {
        int processes;
        int namespaceProcesses;
        int fds;
    }

    /** Holders of one socket while a scan collects them; a process's descriptors come one after another. */
    private static final class HolderList {
        private final List<Holder> holders = new ArrayList<>(1);

        void add(int tgid, int fd) {
            int last = holders.size() - 1;
            if (last >= 0 && holders.get(last).tgid() == tgid) {
                int[] fds = holders.get(last).fds();
                int[] more = Arrays.copyOf(fds, fds.length + 1);
                more[fds.length] = fd;
                holders.set(last, new Holder(tgid, more));
            } else {
                holders.add(new Holder(tgid, new int[] {fd}));
            }
        }

        List<Holder> freeze() {
            return List.copyOf(holders);
        }
    }
}
