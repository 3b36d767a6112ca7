package layer45.mnet.owner;

import static layer45.mnet.owner.DiagRequest.AF_INET;
import static layer45.mnet.owner.FakeProc.NAMESPACE;
import static layer45.mnet.owner.FakeProc.blockedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import layer45.api.ProcessOwner;
import layer45.api.Transport;

/** The whole lookup over a scripted kernel and a fake {@code /proc}: what the relay gets back, and the counters. */
class OwnerLookupTest {

    private static final InetSocketAddress APP = new InetSocketAddress("10.45.0.2", 41234);
    private static final InetSocketAddress PEER = new InetSocketAddress("10.45.0.1", 53);

    @TempDir
    Path root;

    private final FakeKernel kernel = new FakeKernel();
    private final OwnerCounters counters = new OwnerCounters();
    private FakeProc proc;
    private OwnerLookup lookup;

    @BeforeEach
    void createLookup() {
        proc = new FakeProc(root);
        lookup = new OwnerLookup("netns test", new SockDiag(kernel, "netns test", OwnerLimits.DEFAULTS, counters), root,
                NAMESPACE, Syscalls.X86_64, OwnerLimits.DEFAULTS, counters);
    }

    @Test
    void findsTheProcessAndItsThread() {
        kernel.udp(FakeKernel.socket(AF_INET, 7, "0.0.0.0", 41234, "0.0.0.0", 0, 555));
        proc.process(100, NAMESPACE, "dig").socket(100, 3, 555).thread(100, 101, "isc-net-0000", blockedIn(45, 3));

        OwnerResult result = lookup.find(Transport.UDP, APP, PEER);

        assertEquals(new OwnerResult(new ProcessOwner(101, 100, "isc-net-0000", "dig", 1000), "", 555), result);
        assertEquals("dig[100]/isc-net-0000[101] uid 1000", result.toString());
    }

    @Test
    void givesTheProcessWithoutThreadAndSaysWhy() {
        kernel.udp(FakeKernel.socket(AF_INET, 7, "0.0.0.0", 41234, "0.0.0.0", 0, 555));
        proc.process(100, NAMESPACE, "dig").socket(100, 3, 555).thread(100, 101, "isc-net-0000", "running\n");

        OwnerResult result = lookup.find(Transport.UDP, APP, PEER);

        assertEquals(new ProcessOwner(-1, 100, "", "dig", 1000), result.owner());
        assertEquals("thread not determinable: 2 threads, none blocked on fd 3", result.reason());
        assertEquals(1, lookup.counters().get("found-process-only"));
    }

    @Test
    void neverPicksOneOfSeveralHolders() {
        kernel.udp(FakeKernel.socket(AF_INET, 7, "0.0.0.0", 41234, "0.0.0.0", 0, 555));
        proc.process(100, NAMESPACE, "parent").process(101, NAMESPACE, "child").socket(100, 3, 555)
                .socket(101, 3, 555);

        OwnerResult result = lookup.find(Transport.UDP, APP, PEER);

        assertEquals(ProcessOwner.UNKNOWN, result.owner());
        assertEquals(555, result.inode());
        assertEquals(true, result.reason().equals("socket held by several processes: 100, 101")
                || result.reason().equals("socket held by several processes: 101, 100"), result.reason());
    }

    @Test
    void saysWhenNoProcessOfTheNamespaceHoldsTheSocket() {
        kernel.udp(FakeKernel.socket(AF_INET, 7, "0.0.0.0", 41234, "0.0.0.0", 0, 555));
        proc.process(100, FakeProc.ELSEWHERE, "elsewhere").socket(100, 3, 555);

        assertEquals(OwnerResult.unknown("no process in netns test holds socket inode 555 (closed just now, or "
                + "passed to a process elsewhere)", 555), lookup.find(Transport.UDP, APP, PEER));
    }

    @Test
    void usesTheCacheWhileTheHolderKeepsTheSocketAndScansAgainOnceItIsGone() {
        kernel.udp(FakeKernel.socket(AF_INET, 7, "0.0.0.0", 41234, "0.0.0.0", 0, 555));
        proc.process(100, NAMESPACE, "first").socket(100, 3, 555);

        assertEquals(100, lookup.find(Transport.UDP, APP, PEER).owner().tgid());
        assertEquals(100, lookup.find(Transport.UDP, APP, PEER).owner().tgid());
        proc.close(100, 3).process(200, NAMESPACE, "second").socket(200, 9, 555); // passed on
        assertEquals(200, lookup.find(Transport.UDP, APP, PEER).owner().tgid());

        Map<String, Long> counters = lookup.counters();
        assertEquals(0, counters.get("scans"), "no full scan: the index's updates found both holders");
        assertEquals(2, counters.get("index-updates"));
        assertEquals(2, counters.get("index-hits"));
        assertEquals(1, counters.get("cache-hits"));
        assertEquals(2, counters.get("cache-misses"), "the first lookup, and the one that found its entry stale");
        assertEquals(1, counters.get("cache-stale"));
        assertEquals(1, counters.get("cache-size"));
        assertEquals(3, counters.get("lookups"));
        assertEquals(3, counters.get("found"));
    }

    @Test
    void passesOnWhatTheKernelSaid() {
        OwnerResult result = lookup.find(Transport.TCP, APP, PEER);

        assertEquals(OwnerResult.unknown("no socket for this 5-tuple", 0), result);
        assertEquals(1, lookup.counters().get("not-found"));
        assertEquals("unknown (no socket for this 5-tuple)", result.toString());
    }

    @Test
    void refusesAddressesThatNoFlowHas() {
        assertThrows(IllegalArgumentException.class, () -> lookup.find(Transport.TCP, APP,
                new InetSocketAddress("fd45::1", 53)));
        assertThrows(IllegalArgumentException.class, () -> lookup.find(Transport.TCP, APP,
                InetSocketAddress.createUnresolved("example.org", 53)));
        assertEquals(0, lookup.counters().get("lookups"));
    }

    @Test
    void saysItIsClosedAfterClose() {
        lookup.close();
        assertEquals("the owner lookup of netns test is closed", lookup.find(Transport.TCP, APP, PEER).reason());
    }

    @Test
    void aNewSocketOnAReusedDescriptorIsFoundByAFullScanAndTheOldOneIsNotNamed() {
        kernel.udp(FakeKernel.socket(AF_INET, 7, "0.0.0.0", 41234, "0.0.0.0", 0, 555));
        proc.process(100, NAMESPACE, "first").socket(100, 3, 555);
        assertEquals(100, lookup.find(Transport.UDP, APP, PEER).owner().tgid());
        lookup.clearCache();
        proc.close(100, 3).socket(100, 3, 777); // the descriptor number reused for another socket
        OwnerResult gone = lookup.find(Transport.UDP, APP, PEER);
        assertEquals(OwnerResult.unknown("no process in netns test holds socket inode 555 (closed just now, or "
                + "passed to a process elsewhere)", 555), gone, "the index's stale entry is checked, never named");
        assertEquals(1, lookup.counters().get("scans"), "the stale entry sent the lookup to a full scan");
    }
}
