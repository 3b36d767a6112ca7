package layer45.mnet.owner;

import static layer45.mnet.owner.TestPrograms.APP_V4;
import static layer45.mnet.owner.TestPrograms.APP_V6;
import static layer45.mnet.owner.TestPrograms.DROPPED_V4;
import static layer45.mnet.owner.TestPrograms.DROPPED_V6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import layer45.api.ProcessOwner;
import layer45.api.Transport;
import layer45.mnet.owner.TestPrograms.Program;
import layer45.mnet.phy.linux.NetlinkSocket;

/**
 * Owners of real sockets of python3 programs in a namespace of the test's own (root only; skipped otherwise):
 * TCP clients, servers and connections not accepted yet, connected and unconnected UDP sockets, IPv4, IPv6 and
 * dual-stack, threads with names of their own blocked on the socket, {@code dig}'s network thread waiting in
 * epoll, sockets that are gone or shared by two processes, and a socket bound to a device (found by the dump
 * fallback).
 */
@Timeout(60)
class OwnerLookupNamespaceTest {

    private TestPrograms programs;
    private OwnerLookup lookup;

    @BeforeEach
    void createNamespace() throws IOException {
        programs = TestPrograms.create();
        lookup = OwnerLookup.forNamespace(programs.name(), OwnerLimits.DEFAULTS);
    }

    @AfterEach
    void deleteNamespace() {
        try {
            if (lookup != null) {
                lookup.close();
            }
        } finally {
            if (programs != null) {
                programs.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {APP_V4, APP_V6})
    void findsTheTcpClientAndTheServerOfAConnection(String address) throws Exception {
        Program server = programs.start("""
                name('l45-server')
                listener = socket.socket(socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET)
                listener.bind((sys.argv[1], 7001)); listener.listen()
                say('listening')
                connection, peer = listener.accept()
                say('accepted', 'port=%d' % peer[1], 'inode=%d' % ino(connection))
                wait()
                """.replace("sys.argv[1]", "'" + address + "'"));
        server.expect("listening");
        Program client = programs.start("""
                name('l45-client')
                s = socket.create_connection(('%s', 7001))
                say('connected', 'port=%%d' %% s.getsockname()[1], 'inode=%%d' %% ino(s))
                wait()
                """.formatted(address));
        Map<String, String> connected = client.expect("connected");
        Map<String, String> accepted = server.expect("accepted");
        int clientPort = Integer.parseInt(connected.get("port"));

        OwnerResult ofClient = lookup.find(Transport.TCP, at(address, clientPort), at(address, 7001));
        assertEquals(new ProcessOwner(client.pid(), client.pid(), "l45-client", "l45-client", 0), ofClient.owner(),
                ofClient::toString);
        assertEquals("", ofClient.reason());
        assertEquals(Long.parseLong(connected.get("inode")), ofClient.inode());

        OwnerResult ofServer = lookup.find(Transport.TCP, at(address, 7001), at(address, clientPort));
        assertEquals(new ProcessOwner(server.pid(), server.pid(), "l45-server", "l45-server", 0), ofServer.owner(),
                ofServer::toString);
        assertEquals(Long.parseLong(accepted.get("inode")), ofServer.inode());
    }

    @Test
    void attributesAConnectionNotAcceptedYetToItsListener() throws Exception {
        Program server = programs.start("""
                name('l45-lazy')
                listener = socket.socket(); listener.bind(('%s', 7002)); listener.listen()
                say('listening', 'inode=%%d' %% ino(listener))
                wait()
                """.formatted(APP_V4));
        Map<String, String> listening = server.expect("listening");
        Program client = programs.start("""
                s = socket.create_connection(('%s', 7002))
                say('connected', 'port=%%d' %% s.getsockname()[1])
                wait()
                """.formatted(APP_V4));
        int clientPort = Integer.parseInt(client.expect("connected").get("port"));

        OwnerResult result = lookup.find(Transport.TCP, at(APP_V4, 7002), at(APP_V4, clientPort));
        assertEquals(server.pid(), result.owner().tgid(), result::toString);
        assertEquals("l45-lazy", result.owner().processName());
        assertEquals("not accepted yet: owner of its listening socket", result.reason());
        assertEquals(Long.parseLong(listening.get("inode")), result.inode());
    }

    @ParameterizedTest
    @ValueSource(strings = {APP_V4, APP_V6})
    void findsConnectedAndUnconnectedUdpSockets(String address) throws Exception {
        Program program = programs.start("""
                name('l45-udp')
                family = socket.AF_INET6 if ':' in '%1$s' else socket.AF_INET
                server = socket.socket(family, socket.SOCK_DGRAM); server.bind(('%1$s', 5353))
                client = socket.socket(family, socket.SOCK_DGRAM); client.bind(('%1$s', 0))
                client.connect(('%2$s', 53))
                say('bound', 'server=%%d' %% ino(server), 'client=%%d' %% ino(client),
                    'port=%%d' %% client.getsockname()[1])
                wait()
                """.formatted(address, address.equals(APP_V4) ? DROPPED_V4 : DROPPED_V6));
        Map<String, String> bound = program.expect("bound");
        String peer = address.equals(APP_V4) ? DROPPED_V4 : DROPPED_V6;

        OwnerResult server = lookup.find(Transport.UDP, at(address, 5353), at(peer, 40000));
        assertEquals(new ProcessOwner(program.pid(), program.pid(), "l45-udp", "l45-udp", 0), server.owner(),
                server::toString);
        assertEquals(Long.parseLong(bound.get("server")), server.inode());

        int port = Integer.parseInt(bound.get("port"));
        OwnerResult client = lookup.find(Transport.UDP, at(address, port), at(peer, 53));
        assertEquals(program.pid(), client.owner().tgid(), client::toString);
        assertEquals(Long.parseLong(bound.get("client")), client.inode());

        OwnerResult otherPeer = lookup.find(Transport.UDP, at(address, port), at(peer, 54));
        assertEquals(ProcessOwner.UNKNOWN, otherPeer.owner(), "a connected socket takes only its peer's datagrams");
        assertEquals("no socket for this 5-tuple", otherPeer.reason());
    }

    @Test
    void findsDualStackSocketsTalkingIpv4() throws Exception {
        Program program = programs.start("""
                name('l45-dual')
                udp = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
                udp.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); udp.bind(('::', 5354))
                listener = socket.socket(socket.AF_INET6)
                listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); listener.bind(('::', 7003))
                listener.listen()
                client = socket.create_connection(('%s', 7003))
                connection, peer = listener.accept()
                say('ready', 'udp=%%d' %% ino(udp), 'connection=%%d' %% ino(connection), 'port=%%d' %% peer[1])
                wait()
                """.formatted(APP_V4));
        Map<String, String> ready = program.expect("ready");

        OwnerResult udp = lookup.find(Transport.UDP, at(APP_V4, 5354), at(DROPPED_V4, 53));
        assertEquals(Long.parseLong(ready.get("udp")), udp.inode(), udp::toString);
        assertEquals("l45-dual", udp.owner().processName());

        OwnerResult tcp = lookup.find(Transport.TCP, at(APP_V4, 7003), at(APP_V4, Integer.parseInt(ready.get("port"))));
        assertEquals(Long.parseLong(ready.get("connection")), tcp.inode(), tcp::toString);
        assertEquals(program.pid(), tcp.owner().tgid());
    }

    @Test
    void findsTheThreadBlockedInConnectByItsOwnName() throws Exception {
        Program program = programs.start("""
                name('l45-app')
                s = socket.socket(); s.bind(('%s', 0))
                decoy = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); decoy.bind(('%1$s', 0))
                def send():
                    thread_name('l45-sender')
                    say('connecting', 'tid=%%d' %% threading.get_native_id(), 'port=%%d' %% s.getsockname()[1])
                    s.connect(('%s', 80))
                def receive():
                    thread_name('l45-decoy')
                    decoy.recv(10)
                threading.Thread(target=receive, daemon=True).start()
                threading.Thread(target=send, daemon=True).start()
                wait()
                """.formatted(APP_V4, DROPPED_V4));
        Map<String, String> connecting = program.expect("connecting");
        int tid = Integer.parseInt(connecting.get("tid"));

        OwnerResult result = awaitThread(Transport.TCP, at(APP_V4, Integer.parseInt(connecting.get("port"))),
                at(DROPPED_V4, 80));
        assertEquals(new ProcessOwner(tid, program.pid(), "l45-sender", "l45-app", 0), result.owner(),
                result::toString);
        assertEquals("", result.reason());
    }

    @Test
    void findsTheThreadBlockedInRecv() throws Exception {
        Program program = programs.start("""
                name('l45-app')
                s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(('%s', 0))
                def receive():
                    thread_name('l45-receiver')
                    say('receiving', 'tid=%%d' %% threading.get_native_id(), 'port=%%d' %% s.getsockname()[1])
                    s.recv(10)
                threading.Thread(target=receive, daemon=True).start()
                wait()
                """.formatted(APP_V6));
        Map<String, String> receiving = program.expect("receiving");

        OwnerResult result = awaitThread(Transport.UDP, at(APP_V6, Integer.parseInt(receiving.get("port"))),
                at(DROPPED_V6, 53));
        assertEquals(Integer.parseInt(receiving.get("tid")), result.owner().pid(), result::toString);
        assertEquals("l45-receiver", result.owner().threadName());
        assertEquals("l45-app", result.owner().processName());
    }

    @Test
    void findsDigAndItsNetworkThreadWaitingInEpoll() throws Exception {
        Assumptions.assumeTrue(TestPrograms.onPath("dig"), "needs dig (apt-get install bind9-dnsutils)");
        // The query goes to an address nobody answers, so dig waits for the answer: its main thread in sigwait,
        // its isc-net threads in epoll_wait, one of them on an epoll instance that watches the socket.
        Program dig = programs.run("dig", "@" + DROPPED_V4, "-b", APP_V4 + "#5399", "example.org", "+timeout=8",
                "+tries=1");

        OwnerResult result = awaitThread(Transport.UDP, at(APP_V4, 5399), at(DROPPED_V4, 53));
        assertEquals(dig.pid(), result.owner().tgid(), result::toString);
        assertEquals("dig", result.owner().processName());
        assertTrue(result.owner().threadName().startsWith("isc-net-"), result::toString);
        assertEquals(1, lookup.counters().get("thread-epoll"), lookup.counters()::toString);
    }

    @Test
    void leavesTheThreadUnknownWhenNoneIsBlockedOnTheSocket() throws Exception {
        Program program = programs.start("""
                name('l45-idle')
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('%s', 5355))
                for i in range(6):
                    threading.Thread(target=lambda: time.sleep(60), daemon=True).start()
                say('ready', 'fd=%%d' %% s.fileno())
                wait()
                """.formatted(APP_V4));
        String fd = program.expect("ready").get("fd");

        OwnerResult result = lookup.find(Transport.UDP, at(APP_V4, 5355), at(DROPPED_V4, 53));
        assertEquals(new ProcessOwner(-1, program.pid(), "", "l45-idle", 0), result.owner(), result::toString);
        assertEquals("thread not determinable: 7 threads, none blocked on fd " + fd, result.reason());
    }

    @Test
    void saysWhenTheSocketIsGone() throws Exception {
        Program program = programs.start("""
                udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); udp.bind(('%1$s', 5356))
                listener = socket.socket(); listener.bind(('%1$s', 7004)); listener.listen()
                tcp = socket.create_connection(('%1$s', 7004)); connection, peer = listener.accept()
                say('open', 'port=%%d' %% tcp.getsockname()[1])
                sys.stdin.readline()
                udp.close(); tcp.close()
                say('closed')
                wait()
                """.formatted(APP_V4));
        int tcpPort = Integer.parseInt(program.expect("open").get("port"));
        assertTrue(lookup.find(Transport.UDP, at(APP_V4, 5356), at(DROPPED_V4, 53)).owner().isKnown());
        assertTrue(lookup.find(Transport.TCP, at(APP_V4, tcpPort), at(APP_V4, 7004)).owner().isKnown());
        program.send("close");
        program.expect("closed");

        OwnerResult udp = lookup.find(Transport.UDP, at(APP_V4, 5356), at(DROPPED_V4, 53));
        assertEquals(OwnerResult.unknown("no socket for this 5-tuple", 0), udp);
        OwnerResult tcp = lookup.find(Transport.TCP, at(APP_V4, tcpPort), at(APP_V4, 7004));
        assertEquals(ProcessOwner.UNKNOWN, tcp.owner());
        assertTrue(tcp.reason().matches("socket closed by its program \\((FIN-WAIT-1|FIN-WAIT-2|TIME-WAIT)\\); "
                + "no process holds it"), tcp.reason());
    }

    @Test
    void reportsASocketSharedByTwoProcessesAsAmbiguous() throws Exception {
        Program program = programs.start("""
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('%s', 5357))
                child = os.fork()
                if child == 0:
                    time.sleep(60); os._exit(0)
                say('forked', 'child=%%d' %% child)
                wait()
                os.kill(child, 9)
                """.formatted(APP_V4));
        int child = Integer.parseInt(program.expect("forked").get("child"));

        OwnerResult result = lookup.find(Transport.UDP, at(APP_V4, 5357), at(DROPPED_V4, 53));
        assertEquals(ProcessOwner.UNKNOWN, result.owner(), result::toString);
        assertTrue(result.reason().equals("socket held by several processes: " + program.pid() + ", " + child)
                || result.reason().equals("socket held by several processes: " + child + ", " + program.pid()),
                result.reason());
        assertEquals(1, lookup.counters().get("several-processes"));
    }

    @Test
    void findsASocketBoundToADeviceThroughTheDump() throws Exception {
        Program program = programs.start("""
                name('l45-bound')
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'd0'); s.bind(('0.0.0.0', 5358))
                say('bound', 'inode=%d' % ino(s))
                wait()
                """);
        long inode = Long.parseLong(program.expect("bound").get("inode"));

        OwnerResult result = lookup.find(Transport.UDP, at(APP_V4, 5358), at(DROPPED_V4, 53));
        assertEquals(inode, result.inode(), result::toString);
        assertEquals("l45-bound", result.owner().processName());
        assertTrue(lookup.counters().get("netlink-fallback-dumps") > 0, lookup.counters()::toString);
    }

    @Test
    void answersFromTheCacheAndTheIndexOnceASocketWasScanned() throws Exception {
        Program program = programs.start("""
                a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); a.bind(('%1$s', 5359))
                b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); b.bind(('%1$s', 5360))
                say('bound')
                wait()
                """.formatted(APP_V4));
        program.expect("bound");

        assertTrue(lookup.find(Transport.UDP, at(APP_V4, 5359), at(DROPPED_V4, 53)).owner().isKnown());
        assertTrue(lookup.find(Transport.UDP, at(APP_V4, 5359), at(DROPPED_V4, 54)).owner().isKnown());
        assertTrue(lookup.find(Transport.UDP, at(APP_V4, 5360), at(DROPPED_V4, 53)).owner().isKnown());
        Map<String, Long> counters = lookup.counters();
        assertEquals(0, counters.get("scans"), "no full scan: " + counters);
        assertEquals(1, counters.get("cache-hits"), counters::toString);
        assertEquals(2, counters.get("index-hits"), "the second socket came from the index: " + counters);
        assertEquals(1, counters.get("scanned-namespace-processes"),
                "the first update indexed both sockets; the second listed nothing again: " + counters);
        assertEquals(3, counters.get("found"), counters::toString);
    }

    @Test
    void udpExactLookupsTakeThePeerFirstAsTheKernelExpects() throws Exception {
        Program program = programs.start("""
                server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); server.bind(('%1$s', 5361))
                client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); client.bind(('%1$s', 40001))
                client.connect(('%1$s', 5361))
                say('bound', 'server=%%d' %% ino(server), 'client=%%d' %% ino(client))
                wait()
                """.formatted(APP_V4));
        Map<String, String> bound = program.expect("bound");
        try (NetlinkSocket netlink = NetlinkSocket.open(NetlinkSocket.NETLINK_SOCK_DIAG,
                OwnerLookup.NETNS_DIRECTORY.resolve(programs.name()), SockDiag.BUFFER_SIZE)) {
            ByteBuffer request = ByteBuffer.allocate(DiagRequest.MAX_LENGTH);
            DiagRequest.exact(request, 1, Transport.UDP, at(APP_V4, 40001), at(APP_V4, 5361));
            assertEquals(Long.parseLong(bound.get("client")), inodeOfAnswer(netlink, request, 1));

            // The client's flow in the natural order (its own side first, as for TCP) names the server's socket:
            // the one that would receive a datagram from 40001 to 5361.
            DiagRequest.exact(request, 2, Transport.TCP, at(APP_V4, 40001), at(APP_V4, 5361));
            request.put(17, (byte) DiagRequest.IPPROTO_UDP);
            assertEquals(Long.parseLong(bound.get("server")), inodeOfAnswer(netlink, request, 2));
        }
    }

    private static long inodeOfAnswer(NetlinkSocket netlink, ByteBuffer request, int sequence) throws IOException {
        netlink.send(request);
        ByteBuffer reply = ByteBuffer.allocate(SockDiag.BUFFER_SIZE);
        int length = netlink.receive(reply, 1_000_000_000L);
        DiagReplies replies = new DiagReplies(sequence, false, 1, new OwnerCounters());
        replies.accept(reply.flip(), length);
        assertEquals(1, replies.sockets().size(), () -> "errno " + replies.errno());
        return replies.sockets().getFirst().inode();
    }

    /** Looks up until the thread is known: the program's thread gets into its call a moment after saying so. */
    private OwnerResult awaitThread(Transport transport, InetSocketAddress app, InetSocketAddress peer)
            throws InterruptedException {
        OwnerResult result = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            result = lookup.find(transport, app, peer);
            if (result.threadKnown()) {
                return result;
            }
            Thread.sleep(20);
        }
        return result;
    }

    private static InetSocketAddress at(String address, int port) {
        return new InetSocketAddress(address, port);
    }
}
