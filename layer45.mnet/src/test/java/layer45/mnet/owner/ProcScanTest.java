package layer45.mnet.owner;

import static layer45.mnet.owner.FakeProc.ELSEWHERE;
import static layer45.mnet.owner.FakeProc.NAMESPACE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcScanTest {

    @TempDir
    Path root;

    private final OwnerCounters counters = new OwnerCounters();

    @Test
    void findsTheHolderInTheNamespaceAndIndexesEverySocketItPasses() {
        FakeProc proc = new FakeProc(root).process(100, NAMESPACE, "dig").process(200, NAMESPACE, "named")
                .process(300, ELSEWHERE, "sshd");
        proc.file(100, 0, "/dev/null").socket(100, 3, 555).socket(100, 4, 556).socket(200, 5, 557)
                .socket(300, 3, 555);

        ProcScan.Result result = scan(OwnerLimits.DEFAULTS, 555);

        assertNull(result.incomplete());
        assertEquals(List.of(new Holder(100, new int[] {3})), result.holders(), "pid 300 is in another namespace");
        assertEquals(List.of(new Holder(200, new int[] {5})), result.index().get(557L));
        assertEquals(3, result.index().size());
        assertEquals(3, counters.get(OwnerEvent.SCANNED_PROCESSES));
        assertEquals(2, counters.get(OwnerEvent.SCANNED_NAMESPACE_PROCESSES));
        assertEquals(4, counters.get(OwnerEvent.SCANNED_FDS));
    }

    @Test
    void listsEveryHolderAndEveryDescriptor() {
        new FakeProc(root).process(100, NAMESPACE, "parent").process(101, NAMESPACE, "child")
                .socket(100, 3, 555).socket(100, 7, 555).socket(101, 3, 555);

        List<Holder> holders = scan(OwnerLimits.DEFAULTS, 555).holders();

        assertEquals(2, holders.size());
        Holder parent = holders.stream().filter(h -> h.tgid() == 100).findFirst().orElseThrow();
        assertEquals(2, parent.fds().length, "dup: fds 3 and 7");
    }

    @Test
    void stopsAtItsLimitsAndSaysSoInsteadOfAnsweringPartly() {
        FakeProc proc = new FakeProc(root);
        for (int pid = 100; pid < 110; pid++) {
            proc.process(pid, NAMESPACE, "p" + pid).socket(pid, 3, 1000 + pid).socket(pid, 4, 2000 + pid);
        }
        OwnerLimits limits = OwnerLimits.DEFAULTS;
        assertEquals("scan stopped: more than 5 processes", scan(limits(5, 100, 100), 1100).incomplete());
        assertEquals("scan stopped: more than 7 descriptors in the namespace",
                scan(limits(100, 7, 100), 1100).incomplete());
        assertTrue(scan(limits(100, 100, 1), 1100).incomplete().matches("scan stopped: process 1\\d\\d has more "
                + "than 1 descriptors"));
        ProcScan.Result partial = scan(limits(5, 100, 100), 1100);
        assertTrue(partial.index().isEmpty(), "an incomplete scan indexes nothing");
        assertEquals(4, counters.get(OwnerEvent.SCAN_LIMIT));
        assertNull(scan(limits, 1100).incomplete());
    }

    @Test
    void stopsAtTheTimeBox() {
        FakeProc proc = new FakeProc(root);
        for (int pid = 100; pid < 140; pid++) {
            proc.process(pid, NAMESPACE, "p");
        }
        ProcScan.Result result = new ProcScan(root, NAMESPACE, OwnerLimits.DEFAULTS, counters).scan(1,
                Deadline.in(0), 100);
        assertEquals("time box of 0 ms passed scanning /proc", result.incomplete());
        assertEquals(1, counters.get(OwnerEvent.TIME_BOX));
    }

    @Test
    void keepsTheIndexWithinItsLimitButAlwaysTheSocketAskedFor() {
        FakeProc proc = new FakeProc(root).process(100, NAMESPACE, "p");
        for (int fd = 3; fd < 20; fd++) {
            proc.socket(100, fd, 500 + fd);
        }
        ProcScan.Result result = new ProcScan(root, NAMESPACE, OwnerLimits.DEFAULTS, counters).scan(519,
                Deadline.in(1_000_000_000L), 4);
        assertEquals(5, result.index().size());
        assertEquals(1, result.holders().size());
    }

    @Test
    void checksThatCachedHoldersStillHoldTheSocket() {
        FakeProc proc = new FakeProc(root).process(100, NAMESPACE, "a").process(101, NAMESPACE, "b")
                .socket(100, 3, 555).socket(101, 3, 555).socket(101, 4, 555);
        ProcScan scan = new ProcScan(root, NAMESPACE, OwnerLimits.DEFAULTS, counters);
        List<Holder> cached = List.of(new Holder(100, new int[] {3}), new Holder(101, new int[] {3, 4}));

        assertEquals(cached, scan.stillHolding(555, cached));
        proc.close(100, 3).close(101, 4).socket(101, 4, 999);
        assertEquals(List.of(new Holder(101, new int[] {3})), scan.stillHolding(555, cached));
    }

    private ProcScan.Result scan(OwnerLimits limits, long inode) {
        return new ProcScan(root, NAMESPACE, limits, counters).scan(inode, Deadline.in(1_000_000_000L), 4096);
    }

    private static OwnerLimits limits(int processes, int fds, int fdsPerProcess) {
        return new OwnerLimits(Duration.ofSeconds(1), Duration.ofMillis(50), processes, fds, fdsPerProcess, 16, 16,
                16, Duration.ofSeconds(30));
    }

    @Test
    void anUpdateReadsOnlyNewProcessesAndNewDescriptors() {
        FakeProc proc = new FakeProc(root).process(100, NAMESPACE, "a").process(300, ELSEWHERE, "b");
        proc.file(100, 0, "/dev/null").file(100, 1, "/dev/null").file(100, 2, "/dev/null");
        proc.socket(100, 3, 555).socket(100, 4, 556).socket(300, 3, 900);
        ProcScan scan = new ProcScan(root, NAMESPACE, OwnerLimits.DEFAULTS, counters);
        assertEquals(List.of(new Holder(100, new int[] {3})), scan.update(555, deadline()).holders());
        assertEquals(5, counters.get(OwnerEvent.SCANNED_FDS), "the first update reads every descriptor");

        proc.socket(100, 5, 557).process(101, NAMESPACE, "c").socket(101, 3, 558);
        assertEquals(List.of(new Holder(101, new int[] {3})), scan.update(558, deadline()).holders(),
                "a process that appeared");
        assertEquals(List.of(new Holder(100, new int[] {5})), scan.update(557, deadline()).holders(),
                "a new descriptor of a known process");
        assertEquals(5 + 2, counters.get(OwnerEvent.SCANNED_FDS),
                "only the two new descriptors were read (the known process's where the kernel puts a new one)");
        assertEquals(List.of(), scan.update(900, deadline()).holders(), "never a process of another namespace");
    }

    @Test
    void anUpdateForgetsWhatExitedAndClosedAndSeesAReusedPid() {
        FakeProc proc = new FakeProc(root).process(100, NAMESPACE, "a").socket(100, 3, 555).socket(100, 4, 556);
        ProcScan scan = new ProcScan(root, NAMESPACE, OwnerLimits.DEFAULTS, counters);
        scan.update(555, deadline());
        proc.close(100, 4);
        assertEquals(List.of(), scan.update(556, deadline()).holders(), "a closed descriptor leaves the index");
        proc.exit(100);
        assertEquals(List.of(), scan.update(555, deadline()).holders(), "an exited process leaves the index");
        assertEquals(0, scan.indexedSockets());
        proc.process(100, NAMESPACE, "again").socket(100, 3, 777);
        assertEquals(List.of(new Holder(100, new int[] {3})), scan.update(777, deadline()).holders(),
                "the pid given to a new process: read as new");
    }

    @Test
    void aDescriptorReusedUnseenIsLeftToTheHolderCheckAndTheFullScan() {
        FakeProc proc = new FakeProc(root).process(100, NAMESPACE, "a").socket(100, 3, 555);
        ProcScan scan = new ProcScan(root, NAMESPACE, OwnerLimits.DEFAULTS, counters);
        scan.update(555, deadline());
        proc.close(100, 3).socket(100, 3, 777); // same count: the update cannot tell
        List<Holder> stale = scan.update(555, deadline()).holders();
        assertEquals(List.of(new Holder(100, new int[] {3})), stale, "the index still names the old socket's holder");
        assertEquals(List.of(), scan.stillHolding(555, stale), "which the check finds gone: never a wrong owner");
        assertEquals(List.of(), scan.update(777, deadline()).holders(), "the new socket is not in the index");
        assertEquals(List.of(new Holder(100, new int[] {3})), scan.scan(777, deadline(), 4096).holders(),
                "a full scan reads it");
        assertEquals(List.of(), scan.update(555, deadline()).holders(), "and forgot the old one");
    }

    @Test
    void aProbeThatGuessesWrongListsTheProcessOrLeavesItToTheFullScan() {
        FakeProc proc = new FakeProc(root).process(100, NAMESPACE, "a");
        for (int fd = 0; fd < 5; fd++) {
            proc.socket(100, fd, 500 + fd);
        }
        ProcScan scan = new ProcScan(root, NAMESPACE, OwnerLimits.DEFAULTS, counters);
        scan.update(500, deadline());
        proc.close(100, 3).socket(100, 3, 600).socket(100, 5, 601); // one closed, two opened: the count grew by 1
        assertEquals(List.of(new Holder(100, new int[] {5})), scan.update(601, deadline()).holders(),
                "found where the probe looked");
        assertEquals(List.of(), scan.update(600, deadline()).holders(),
                "a reused number looks known: the probe and the listing cannot see it");
        assertEquals(List.of(new Holder(100, new int[] {3})), scan.scan(600, deadline(), 4096).holders(),
                "the full scan can");
    }

    private static Deadline deadline() {
        return Deadline.in(1_000_000_000L);
    }
}
