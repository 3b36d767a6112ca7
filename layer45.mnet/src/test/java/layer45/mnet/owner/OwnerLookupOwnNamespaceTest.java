package layer45.mnet.owner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import layer45.api.Transport;
import layer45.mnet.phy.linux.NetlinkSocket;
import layer45.mnet.testing.TestNamespace;

/**
 * The lookup in the test JVM's own namespace, on its own sockets (root only, like the runtime: the namespace holds
 * the machine's processes, and those of other users can be read only by root).
 */
@Timeout(60)
class OwnerLookupOwnNamespaceTest {

    @Test
    void findsThisJvmAndTheThreadBlockedInReceive() throws Exception {
        TestNamespace.assumeRoot();
        Assumptions.assumeTrue(NetlinkSocket.unavailableReason() == null, NetlinkSocket::unavailableReason);
        try (OwnerLookup lookup = OwnerLookup.forOwnNamespace(OwnerLimits.DEFAULTS);
                DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
            Thread receiver = Thread.ofPlatform().name("l45-receiver").start(() -> {
                try {
                    channel.receive(ByteBuffer.allocate(16));
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 9);
            OwnerResult result = null;
            for (int attempt = 0; attempt < 100 && (result == null || !result.threadKnown()); attempt++) {
                Thread.sleep(20);
                result = lookup.find(Transport.UDP, local, peer);
            }
            assertEquals(ProcessHandle.current().pid(), result.owner().tgid(), result::toString);
            assertEquals("l45-receiver", result.owner().threadName(), result::toString);
            assertEquals("", result.reason());
            assertTrue(result.owner().pid() != result.owner().tgid());
            channel.close();
            receiver.join(5000);
        }
    }

    @Test
    void answersManyVirtualThreadsAtOnce() throws Exception {
        TestNamespace.assumeRoot();
        Assumptions.assumeTrue(NetlinkSocket.unavailableReason() == null, NetlinkSocket::unavailableReason);
        List<DatagramChannel> channels = new ArrayList<>();
        // A generous time box: this checks correctness under concurrency, not speed on a shared machine.
        try (OwnerLookup lookup = OwnerLookup.forOwnNamespace(OwnerLimits.DEFAULTS.withTimeBox(Duration.ofSeconds(10)));
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
                channels.add(channel.bind(new InetSocketAddress("127.0.0.1", 0)));
            }
            List<Future<OwnerResult>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                InetSocketAddress local = (InetSocketAddress) channels.get(i % channels.size()).getLocalAddress();
                results.add(threads.submit(() -> lookup.find(Transport.UDP, local,
                        new InetSocketAddress("127.0.0.1", 9))));
            }
            for (Future<OwnerResult> result : results) {
                OwnerResult owner = result.get();
                assertEquals(ProcessHandle.current().pid(), owner.owner().tgid(), owner::toString);
            }
            assertEquals(200, lookup.counters().get("lookups"));
            assertTrue(lookup.counters().get("scans") <= 8, "one scan indexes every socket: " + lookup.counters());
        } finally {
            for (DatagramChannel channel : channels) {
                channel.close();
            }
        }
    }
}
