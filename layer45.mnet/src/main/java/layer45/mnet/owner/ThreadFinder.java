package layer45.mnet.owner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells which thread of a process uses a socket: the only thread, or the one blocked in a system call on the
 * socket's descriptor ({@code /proc/PID/task/TID/syscall}), or else the one waiting in {@code epoll_wait} on an
 * epoll instance that watches the socket ({@code /proc/PID/fdinfo/EPFD}). When no thread or several qualify, the
 * thread is unknown and the reason says so. See {@link OwnerLookup} for the limits of the method.
 */
final class ThreadFinder {

    /**
     * A thread, or why there is none.
     *
     * @param tid its id, or -1
     * @param name its task name, or ""
     * @param reason "" when found, else why not
     */
    record Found(int tid, String name, String reason) {
        static Found unknown(String reason) {
            return new Found(-1, "", reason);
        }
    }

    private final Path proc;
    private final Syscalls syscalls;
    private final OwnerLimits limits;
    private final OwnerCounters counters;

    /**
     * @param proc the proc file system
     * @param syscalls the machine's system call numbers, or {@code null} when they are not known here
     */
    ThreadFinder(Path proc, Syscalls syscalls, OwnerLimits limits, OwnerCounters counters) {
        this.proc = proc;
        this.syscalls = syscalls;
        this.limits = limits;
        this.counters = counters;
    }

    /**
     * @param holder the process and its descriptors of the socket
     * @param processName the process's task name, which is its only thread's (the leader's) too
     * @param inode the socket's inode
     * @param deadline the lookup's time box
     * @return the thread, or why it is unknown
     */
    Found find(Holder holder, String processName, long inode, Deadline deadline) {
        Path process = proc.resolve(Integer.toString(holder.tgid()));
        List<Integer> tids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(process.resolve("task"))) {
            for (Path task : tasks) {
                int tid = ProcText.number(task.getFileName().toString());
                if (tid >= 0) {
                    tids.add(tid);
                }
                if (tids.size() > limits.maxThreads()) {
                    return Found.unknown("thread not determinable: more than " + limits.maxThreads() + " threads");
                }
            }
        } catch (NoSuchFileException e) {
            counters.increment(OwnerEvent.PROC_VANISHED);
            return Found.unknown("process " + holder.tgid() + " exited");
        } catch (IOException | RuntimeException e) {
            return Found.unknown("cannot list the threads of process " + holder.tgid() + ": " + e.getMessage());
        }
        if (tids.size() == 1) {
            counters.increment(OwnerEvent.THREAD_SINGLE);
            return new Found(tids.getFirst(), processName, "");
        }
        if (tids.isEmpty()) {
            return Found.unknown("process " + holder.tgid() + " has no threads left (exiting)");
        }
        if (syscalls == null) {
            return Found.unknown("thread not determinable: " + tids.size() + " threads, and the system call "
                    + "numbers of " + System.getProperty("os.arch") + " are not known here");
        }
        return blocked(process, tids, holder, inode, deadline);
    }

    private Found blocked(Path process, List<Integer> tids, Holder holder, long inode, Deadline deadline) {
        List<Integer> onSocket = new ArrayList<>(1);
        List<Integer> inEpoll = new ArrayList<>(1);
        Map<Integer, Boolean> epollWatches = new HashMap<>();
        for (int tid : tids) {
            if (deadline.passed()) {
                counters.increment(OwnerEvent.TIME_BOX);
                return Found.unknown("time box of " + deadline.budgetMillis() + " ms passed examining threads");
            }
            counters.increment(OwnerEvent.THREADS_EXAMINED);
            String text = read(process.resolve("task").resolve(Integer.toString(tid)).resolve("syscall"));
            if (text == null) {
                continue; // the thread exited
            }
            SyscallLine line = SyscallLine.parse(text);
            if (line.kind() == SyscallLine.Kind.MALFORMED) {
                counters.increment(OwnerEvent.PROC_MALFORMED_SYSCALL);
            }
            if (line.kind() != SyscallLine.Kind.IN_SYSCALL || line.firstArgument() > Integer.MAX_VALUE) {
                continue;
            }
            int fd = (int) line.firstArgument();
            if (syscalls.onDescriptor().contains(line.number()) && ProcText.contains(holder.fds(), fd)) {
                onSocket.add(tid);
            } else if (syscalls.epollWait().contains(line.number())
                    && epollWatches.computeIfAbsent(fd, epfd -> watches(process, epfd, holder, inode))) {
                inEpoll.add(tid);
            }
        }
        String what = holder.describeFds();
        if (onSocket.size() == 1) {
            counters.increment(OwnerEvent.THREAD_BLOCKED_ON_SOCKET);
            return named(process, onSocket.getFirst());
        }
        if (onSocket.size() > 1) {
            counters.increment(OwnerEvent.THREAD_SEVERAL_BLOCKED);
            return Found.unknown("thread not determinable: " + onSocket.size() + " of " + tids.size()
                    + " threads blocked on " + what);
        }
        if (inEpoll.size() == 1) {
            counters.increment(OwnerEvent.THREAD_EPOLL);
            return named(process, inEpoll.getFirst());
        }
        if (inEpoll.size() > 1) {
            counters.increment(OwnerEvent.THREAD_SEVERAL_BLOCKED);
            return Found.unknown("thread not determinable: " + inEpoll.size() + " of " + tids.size()
                    + " threads wait in epoll on " + what);
        }
        counters.increment(OwnerEvent.THREAD_NONE_BLOCKED);
        return Found.unknown("thread not determinable: " + tids.size() + " threads, none blocked on " + what);
    }

    private boolean watches(Path process, int epfd, Holder holder, long inode) {
        String fdinfo = read(process.resolve("fdinfo").resolve(Integer.toString(epfd)));
        if (fdinfo == null) {
            return false;
        }
        int watches = ProcText.epollWatches(fdinfo, holder.fds(), inode);
        if (watches < 0) {
            counters.increment(OwnerEvent.PROC_MALFORMED_FDINFO);
        }
        return watches == 1;
    }

    private Found named(Path process, int tid) {
        String comm = read(process.resolve("task").resolve(Integer.toString(tid)).resolve("comm"));
        return comm == null ? Found.unknown("thread " + tid + " exited") : new Found(tid, ProcText.comm(comm), "");
    }

    /** Reads a small {@code /proc} file; {@code null} if it is gone. */
    String read(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            counters.increment(OwnerEvent.PROC_VANISHED);
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
