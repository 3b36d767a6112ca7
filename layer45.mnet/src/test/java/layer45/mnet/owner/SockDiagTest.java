package layer45.mnet.owner;

import static layer45.mnet.owner.DiagRequest.AF_INET;
import static layer45.mnet.owner.DiagRequest.AF_INET6;
import static layer45.mnet.owner.FakeKernel.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Random;

import org.junit.jupiter.api.Test;

import layer45.api.Transport;

class SockDiagTest {

    private static final InetSocketAddress APP = new InetSocketAddress("10.45.0.2", 41234);
    private static final InetSocketAddress PEER = new InetSocketAddress("10.45.0.1", 53);

    private final FakeKernel kernel = new FakeKernel();
    private final OwnerCounters counters = new OwnerCounters();
    private final SockDiag diag = new SockDiag(kernel, "netns test", OwnerLimits.DEFAULTS, counters);

    @Test
    void findsAConnectedTcpSocket() {
        DiagSocket client = kernel.tcp(socket(AF_INET, 1, "10.45.0.2", 41234, "10.45.0.1", 53, 100));

        assertEquals(new SockDiag.Outcome(client, ""), find(Transport.TCP, APP, PEER));
        assertEquals(1, counters.get(OwnerEvent.NETLINK_REQUESTS), counters.snapshot()::toString);
        assertEquals(1, kernel.opens, "the socket is kept between requests");
        find(Transport.TCP, APP, PEER);
        assertEquals(1, kernel.opens);
    }

    @Test
    void findsAnUnconnectedUdpSocketBoundToEveryAddress() {
        DiagSocket server = kernel.udp(socket(AF_INET6, 7, "::", 41234, "::", 0, 200));

        assertEquals(server, find(Transport.UDP, APP, PEER).socket());
        assertEquals(0, counters.get(OwnerEvent.NETLINK_FALLBACK_DUMPS), "found by the exact lookup");
    }

    @Test
    void searchesADumpWhenTheExactLookupMissesASocketBoundToADevice() {
        DiagSocket bound = kernel.udp(socket(AF_INET, 7, "0.0.0.0", 41234, "0.0.0.0", 0, 300));
        kernel.boundToDevice.add(bound);
        kernel.udp(socket(AF_INET, 7, "0.0.0.0", 9999, "0.0.0.0", 0, 301));

        assertEquals(new SockDiag.Outcome(bound, ""), find(Transport.UDP, APP, PEER));
        assertEquals(2, counters.get(OwnerEvent.NETLINK_FALLBACK_DUMPS), "IPv4, then IPv6 for dual-stack sockets");
    }

    @Test
    void refusesToChooseBetweenSocketsThatMatchEqually() {
        for (long inode : new long[] {400, 401}) {
            DiagSocket bound = kernel.udp(socket(AF_INET, 7, "0.0.0.0", 41234, "0.0.0.0", 0, inode));
            kernel.boundToDevice.add(bound);
        }

        assertEquals(SockDiag.Outcome.none("2 sockets match 10.45.0.2:41234 equally (SO_REUSEPORT?)"),
                find(Transport.UDP, APP, PEER));
    }

    @Test
    void saysWhenThereIsNoSocket() {
        assertEquals(SockDiag.Outcome.none("no socket for this 5-tuple"), find(Transport.UDP, APP, PEER));
    }

    @Test
    void attributesAConnectionNotAcceptedYetToItsListener() {
        kernel.tcp(socket(AF_INET, DiagSocket.ESTABLISHED, "10.45.0.2", 41234, "10.45.0.1", 53, 0));
        DiagSocket listener = kernel.tcp(socket(AF_INET, DiagSocket.LISTEN, "0.0.0.0", 41234, "0.0.0.0", 0, 500));

        assertEquals(new SockDiag.Outcome(listener, "not accepted yet: owner of its listening socket"),
                find(Transport.TCP, APP, PEER));
        assertEquals(1, counters.get(OwnerEvent.LISTENER_OWNER));
    }

    @Test
    void saysASocketWithoutInodeWasClosed() {
        kernel.tcp(socket(AF_INET, 6, "10.45.0.2", 41234, "10.45.0.1", 53, 0));

        assertEquals(SockDiag.Outcome.none("socket closed by its program (TIME-WAIT); no process holds it"),
                find(Transport.TCP, APP, PEER));
    }

    @Test
    void reportsAnErrorOfTheKernel() {
        kernel.scripted.add(sequence -> new DiagMessages().error(sequence, 1).bytes());

        assertEquals(SockDiag.Outcome.none("sock_diag lookup in netns test failed: Operation not permitted (EPERM)"),
                find(Transport.TCP, APP, PEER));
        assertEquals(1, counters.get(OwnerEvent.NETLINK_ERRORS));
    }

    @Test
    void rejectsAMalformedReplyAndStartsAfreshNextTime() {
        DiagSocket client = kernel.tcp(socket(AF_INET, 1, "10.45.0.2", 41234, "10.45.0.1", 53, 100));
        kernel.scripted.add(sequence -> new byte[] {5, 0, 0, 0, 20, 0, 0, 0, (byte) sequence, 0, 0, 0, 0, 0, 0, 0});

        assertEquals(SockDiag.Outcome.none("sock_diag reply malformed (bad-length)"), find(Transport.TCP, APP, PEER));
        assertEquals(1, counters.get(OwnerEvent.REPLY_BAD_LENGTH));
        assertEquals(client, find(Transport.TCP, APP, PEER).socket());
        assertEquals(2, kernel.opens, "reopened after the bad reply");
        assertEquals(1, kernel.closes);
    }

    @Test
    void givesUpOnAMissingReplyAndReopens() {
        DiagSocket client = kernel.tcp(socket(AF_INET, 1, "10.45.0.2", 41234, "10.45.0.1", 53, 100));
        kernel.scripted.add(sequence -> null);

        assertEquals(SockDiag.Outcome.none("no sock_diag reply from netns test within 50 ms"),
                find(Transport.TCP, APP, PEER));
        assertEquals(1, counters.get(OwnerEvent.NETLINK_TIMEOUTS));
        assertEquals(client, find(Transport.TCP, APP, PEER).socket());
        assertEquals(2, kernel.opens);
    }

    @Test
    void reopensAfterAFailedSend() {
        kernel.failSend = true;
        assertEquals(SockDiag.Outcome.none("netlink request failed: Bad file descriptor (EBADF)"),
                find(Transport.TCP, APP, PEER));
        kernel.failSend = false;
        kernel.tcp(socket(AF_INET, 1, "10.45.0.2", 41234, "10.45.0.1", 53, 100));

        assertEquals(100, find(Transport.TCP, APP, PEER).socket().inode());
        assertEquals(2, kernel.opens);
        assertEquals(1, counters.get(OwnerEvent.NETLINK_ERRORS));
    }

    @Test
    void retriesOpeningAtMostOnceASecond() {
        kernel.failOpen = true;
        String reason = find(Transport.TCP, APP, PEER).reason();
        assertEquals("cannot enter network namespace /run/netns/fake (setns): Operation not permitted (sock_diag of "
                + "netns test unavailable; retried once a second)", reason);
        assertEquals(reason, find(Transport.TCP, APP, PEER).reason());
        assertEquals(1, kernel.openAttempts, "the second lookup came within a second of the first");
    }

    @Test
    void saysWhenClosed() {
        diag.close();
        assertEquals(SockDiag.Outcome.none("the owner lookup of netns test is closed"), find(Transport.TCP, APP, PEER));
    }

    @Test
    void neverThrowsWhateverTheKernelAnswers() {
        Random random = new Random(45);
        kernel.tcp(socket(AF_INET, 1, "10.45.0.2", 41234, "10.45.0.1", 53, 100));
        for (int round = 0; round < 3000; round++) {
            int kind = random.nextInt(3);
            kernel.scripted.add(sequence -> {
                byte[] valid = new DiagMessages().socket(sequence,
                        socket(AF_INET, 1, "10.45.0.2", 41234, "10.45.0.1", 53, 100)).bytes();
                byte[] bytes = kind == 0 ? new byte[random.nextInt(200)] : valid;
                if (kind == 0) {
                    random.nextBytes(bytes);
                } else if (kind == 1) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return bytes;
            });
            SockDiag.Outcome outcome = find(Transport.TCP, APP, PEER);
            assertTrue(outcome.socket() != null || !outcome.reason().isEmpty(), outcome::toString);
            kernel.scripted.clear();
        }
        assertNull(find(Transport.TCP, APP, new InetSocketAddress("10.45.0.1", 54)).socket());
    }

    private SockDiag.Outcome find(Transport transport, InetSocketAddress app, InetSocketAddress peer) {
        return diag.find(transport, app, peer, Deadline.in(1_000_000_000L));
    }
}
