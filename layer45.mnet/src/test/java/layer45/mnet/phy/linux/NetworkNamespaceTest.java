package layer45.mnet.phy.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import layer45.mnet.testing.TestNamespace;

@Timeout(60)
class NetworkNamespaceTest {

    @Test
    void refusesNamesThatAreNotPlainFileNames() {
        for (String name : new String[] {"", "-n", "a/b", "a b", "..", "x".repeat(65)}) {
            assertThrows(IllegalArgumentException.class, () -> NetworkNamespace.create(name), name);
        }
    }

    @Test
    void createsRunsCommandsInsideAndDeletes() throws IOException, InterruptedException {
        TestNamespace.assumeRoot();
        String name;
        try (TestNamespace test = TestNamespace.create()) {
            NetworkNamespace namespace = test.namespace();
            name = namespace.name();
            assertTrue(NetworkNamespace.exists(name));
            assertTrue(NetworkNamespace.list().contains(name));

            CommandResult links = namespace.exec(Duration.ofSeconds(10), "ip", "-o", "link", "show");
            assertEquals(1, links.stdout().lines().count(), "a new namespace holds only lo: " + links);
            assertTrue(links.stdout().contains("lo:"), links::toString);

            CommandResult failed = namespace.exec(Duration.ofSeconds(10), "sh", "-c", "echo oops >&2; exit 4");
            assertEquals(4, failed.exitCode());
            assertEquals("oops\n", failed.stderr());

            Process server = namespace.start("sh", "-c", "echo started; exec sleep 30");
            try {
                assertEquals("started", new String(server.getInputStream().readNBytes(7), StandardCharsets.UTF_8));
                assertTrue(server.isAlive());
            } finally {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }

            try (NetworkNamespace opened = NetworkNamespace.open(name)) {
                assertEquals(name, opened.name());
            }
            assertTrue(NetworkNamespace.exists(name), "closing an opened namespace leaves it in place");

            namespace.close();
            assertFalse(NetworkNamespace.exists(name));
            namespace.close();
        }
        assertFalse(NetworkNamespace.exists(name));
    }

    @Test
    void opensOnlyExistingNamespaces() {
        TestNamespace.assumeRoot();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> NetworkNamespace.open("l45-no-such-namespace"));
        assertEquals("network namespace l45-no-such-namespace does not exist (see ip netns list): create it with "
                + "NetworkNamespace.create or ip netns add l45-no-such-namespace", missing.getMessage());
    }

    @Test
    void quotesTheCommandWhenCreationFails() {
        TestNamespace.assumeRoot();
        try (TestNamespace test = TestNamespace.create()) {
            CommandFailedException exists = assertThrows(CommandFailedException.class,
                    () -> NetworkNamespace.create(test.name()));
            assertTrue(exists.getMessage().matches("`\\S*ip netns add " + test.name()
                    + "` failed with exit code 1: .*File exists.*"), exists.getMessage());
        }
    }
}
