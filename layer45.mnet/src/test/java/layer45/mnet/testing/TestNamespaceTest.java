package layer45.mnet.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import layer45.mnet.phy.linux.NetworkNamespace;

@Timeout(60)
class TestNamespaceTest {

    @Test
    void readsTheOwnerFromTheName() {
        assertEquals(1234, TestNamespace.ownerPid("l45t-1234-0"));
        assertEquals(-1, TestNamespace.ownerPid("l45t-1234-"));
        assertEquals(-1, TestNamespace.ownerPid("l45t--0"));
        assertEquals(-1, TestNamespace.ownerPid("l45t-12a-0"));
        assertEquals(-1, TestNamespace.ownerPid("other-1234-0"));
    }

    @Test
    void namesNamespacesAfterThisProcess() {
        TestNamespace.assumeRoot();
        try (TestNamespace namespace = TestNamespace.create()) {
            assertEquals(ProcessHandle.current().pid(), TestNamespace.ownerPid(namespace.name()));
        }
    }

    @Test
    void sweepsNamespacesOfDeadProcessesAndKeepsLiveOnes() throws Exception {
        TestNamespace.assumeRoot();
        Process finished = new ProcessBuilder("true").start();
        assertTrue(finished.waitFor(10, TimeUnit.SECONDS));
        String leftover = TestNamespace.PREFIX + finished.pid() + "-0";
        try (TestNamespace live = TestNamespace.create()) {
            NetworkNamespace.create(leftover);
            try {
                assertTrue(TestNamespace.sweepLeftovers() >= 1);
                assertFalse(NetworkNamespace.exists(leftover));
                assertTrue(NetworkNamespace.exists(live.name()));
            } finally {
                if (NetworkNamespace.exists(leftover)) {
                    NetworkNamespace.delete(leftover);
                }
            }
        }
    }
}
