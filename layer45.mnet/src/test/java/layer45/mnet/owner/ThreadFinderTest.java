package layer45.mnet.owner;

import static layer45.mnet.owner.FakeProc.NAMESPACE;
import static layer45.mnet.owner.FakeProc.blockedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadFinderTest {

    /** x86-64 numbers: recvfrom, connect, epoll_wait, clock_nanosleep, read. */
    private static final int RECVFROM = 45;
    private static final int CONNECT = 42;
    private static final int EPOLL_WAIT = 232;
    private static final int NANOSLEEP = 230;
    private static final int READ = 0;

    @TempDir
    Path root;

    private final OwnerCounters counters = new OwnerCounters();

    @Test
    void takesTheOnlyThread() {
        new FakeProc(root).process(100, NAMESPACE, "dig").socket(100, 3, 555);

        assertEquals(new ThreadFinder.Found(100, "dig", ""), find(new Holder(100, new int[] {3})));
        assertEquals(1, counters.get(OwnerEvent.THREAD_SINGLE));
    }

    @Test
    void takesTheThreadBlockedOnTheSocket() {
        new FakeProc(root).process(100, NAMESPACE, "named").socket(100, 3, 555).socket(100, 4, 556)
                .thread(100, 101, "isc-net-0000", blockedIn(RECVFROM, 4))
                .thread(100, 102, "isc-net-0001", blockedIn(CONNECT, 3))
                .thread(100, 103, "isc-timer", blockedIn(NANOSLEEP, 0));

        assertEquals(new ThreadFinder.Found(102, "isc-net-0001", ""), find(new Holder(100, new int[] {3})));
        assertEquals(new ThreadFinder.Found(101, "isc-net-0000", ""), find(new Holder(100, new int[] {4})));
        assertEquals(2, counters.get(OwnerEvent.THREAD_BLOCKED_ON_SOCKET));
    }

    @Test
    void takesTheThreadWaitingInEpollOnTheSocket() {
        new FakeProc(root).process(100, NAMESPACE, "dig").socket(100, 5, 0x22b)
                .epoll(100, 7, "pos:\t0\ntfd:        5 events:       19 data:                5  pos:0 ino:22b sdev:8\n")
                .epoll(100, 8, "pos:\t0\n")
                .thread(100, 101, "isc-net-0000", blockedIn(EPOLL_WAIT, 7))
                .thread(100, 102, "isc-net-0001", blockedIn(EPOLL_WAIT, 8));

        assertEquals(new ThreadFinder.Found(101, "isc-net-0000", ""), find(new Holder(100, new int[] {5})));
        assertEquals(1, counters.get(OwnerEvent.THREAD_EPOLL));
    }

    @Test
    void saysWhenNoThreadOrSeveralAreBlockedOnIt() {
        FakeProc proc = new FakeProc(root).process(100, NAMESPACE, "app").socket(100, 3, 555)
                .thread(100, 101, "worker", blockedIn(NANOSLEEP, 0))
                .thread(100, 102, "reader", blockedIn(READ, 0));
        assertEquals(ThreadFinder.Found.unknown("thread not determinable: 3 threads, none blocked on fd 3"),
                find(new Holder(100, new int[] {3})));

        proc.thread(100, 103, "a", blockedIn(RECVFROM, 3)).thread(100, 104, "b", blockedIn(RECVFROM, 7))
                .socket(100, 7, 555);
        assertEquals(ThreadFinder.Found.unknown("thread not determinable: 2 of 5 threads blocked on fds 3, 7"),
                find(new Holder(100, new int[] {3, 7})));
    }

    @Test
    void countsMalformedSyscallTextsAndSkipsThem() {
        new FakeProc(root).process(100, NAMESPACE, "app").socket(100, 3, 555)
                .thread(100, 101, "odd", "45 0x3 garbage\n")
                .thread(100, 102, "sender", blockedIn(CONNECT, 3));

        assertEquals(102, find(new Holder(100, new int[] {3})).tid());
        assertEquals(1, counters.get(OwnerEvent.PROC_MALFORMED_SYSCALL));
    }

    @Test
    void needsTheSystemCallNumbersForMoreThanOneThread() {
        new FakeProc(root).process(100, NAMESPACE, "app").socket(100, 3, 555)
                .thread(100, 101, "sender", blockedIn(CONNECT, 3));
        ThreadFinder finder = new ThreadFinder(root, null, OwnerLimits.DEFAULTS, counters);

        String reason = finder.find(new Holder(100, new int[] {3}), "app", 555, Deadline.in(1_000_000_000L)).reason();
        assertEquals("thread not determinable: 2 threads, and the system call numbers of "
                + System.getProperty("os.arch") + " are not known here", reason);
    }

    @Test
    void saysWhenTheProcessIsGone() {
        assertEquals(ThreadFinder.Found.unknown("process 100 exited"), find(new Holder(100, new int[] {3})));
    }

    private ThreadFinder.Found find(Holder holder) {
        return new ThreadFinder(root, Syscalls.X86_64, OwnerLimits.DEFAULTS, counters).find(holder, "dig", 555,
                Deadline.in(1_000_000_000L));
    }
}
