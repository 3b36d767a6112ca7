package layer45.mnet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.mnet.HostIdentifier;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.mhost.MhostSettings;
import layer45.mnet.mhost.TranslatedFlow;
import org.junit.jupiter.api.Test;

/**
 * A host identifier's addresses tried in order, on the host's loopback: a black-holed port or an ICMP error moves on
 * to the next address, a refusal does not, and each choice is reported with its reason.
 */
class FailoverTest {

    private static final InetAddress V4 = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress V6 = InetAddress.ofLiteral("::1");
    private static final InetSocketAddress APP = new InetSocketAddress("10.45.0.2", 40000);
    private static final Duration PER_ADDRESS = Duration.ofMillis(300);

    private final HostTable table = new HostTable(MhostSettings.defaults(Path.of("/tmp")));

    @Test
    void tcpMovesOnFromAnAddressThatDoesNotAnswer() throws Exception {
        try (BlackHole hole = BlackHole.on(V6); ServerSocket server = new ServerSocket(0, 5, V4)) {
            TranslatedFlow flow = flow("tcp", "[::1]:" + hole.port(), "127.0.0.1:" + server.getLocalPort());
            HostStream stream = new FailoverConnector(flow, PER_ADDRESS).connect(opened -> true);
            try (Socket accepted = server.accept()) {
                stream.write(ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)));
                assertEquals("hi", new String(accepted.getInputStream().readNBytes(2), StandardCharsets.US_ASCII));
            }
            HostChoice choice = table.flows().getFirst();
            assertEquals(HostAddress.parse("127.0.0.1:" + server.getLocalPort()), choice.chosen());
            assertEquals("[::1]:" + hole.port() + " no answer within 300 ms; 127.0.0.1:" + server.getLocalPort()
                    + " connected", choice.reason());
            assertEquals(List.of("srv", "tcp", "10.45.0.2:40000"), List.of(choice.identifier(), choice.transport(),
                    choice.application()));
            stream.close();
            assertEquals(List.of(), table.flows(), "a closed flow leaves the open flows");
            assertEquals(choice, table.lastChoice("srv").orElseThrow());
        }
    }

    @Test
    void tcpStopsAtARefusalBecauseTheHostAnswered() throws Exception {
        int closed = freePort();
        try (ServerSocket server = new ServerSocket(0, 5, V4)) {
            TranslatedFlow flow = flow("tcp", "127.0.0.1:" + closed, "127.0.0.1:" + server.getLocalPort());
            assertThrows(ConnectException.class, () -> new FailoverConnector(flow, PER_ADDRESS).connect(o -> true));
            HostChoice choice = table.lastChoice("srv").orElseThrow();
            assertNull(choice.chosen());
            assertEquals("127.0.0.1:" + closed + " refused (the host answered: no failover)", choice.reason());
            assertEquals(List.of(), table.flows());
        }
    }

    @Test
    void tcpThatReachesNoAddressSaysSoAndHowEachFailed() throws Exception {
        try (BlackHole a = BlackHole.on(V4); BlackHole b = BlackHole.on(V6)) {
            TranslatedFlow flow = flow("tcp", "127.0.0.1:" + a.port(), "[::1]:" + b.port());
            IOException e = assertThrows(IOException.class,
                    () -> new FailoverConnector(flow, PER_ADDRESS).connect(o -> true));
            assertEquals(layer45.mnet.iface.Unreachable.HOST, HostErrors.unreachable(e), "the program gets ICMP");
            assertEquals("127.0.0.1:" + a.port() + " no answer within 300 ms; [::1]:" + b.port()
                    + " no answer within 300 ms; every address failed", table.lastChoice("srv").orElseThrow().reason());
        }
    }

    @Test
    void anAbortedAttemptTriesNoFurther() throws Exception {
        try (BlackHole a = BlackHole.on(V4); ServerSocket server = new ServerSocket(0, 5, V4)) {
            TranslatedFlow flow = flow("tcp", "127.0.0.1:" + a.port(), "127.0.0.1:" + server.getLocalPort());
            assertThrows(IOException.class, () -> new FailoverConnector(flow, PER_ADDRESS).connect(opened -> false));
            assertTrue(table.lastChoice("srv").isEmpty(), "nothing was chosen");
        }
    }

    @Test
    void udpMovesOnAfterPortUnreachableAndSendsTheDatagramAgain() throws Exception {
        int closed = freeUdpPort(V6);
        try (DatagramSocket server = new DatagramSocket(0, V4)) {
            server.setSoTimeout(5_000);
            TranslatedFlow flow = flow("udp", "[::1]:" + closed, "127.0.0.1:" + server.getLocalPort());
            FailoverDatagrams host = new FailoverDatagrams(flow);
            host.open();
            assertEquals("[::1]:" + closed + " first usable address", table.flows().getFirst().reason());
            host.send(ByteBuffer.wrap("query".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer in = ByteBuffer.allocate(100);
            Thread receiver = Thread.ofVirtual().start(() -> {
                try {
                    host.receive(in);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            server.receive(p); // the datagram sent again to the next address, after the ICMP error of the first
            assertEquals("query", new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
            server.send(new DatagramPacket("answer".getBytes(StandardCharsets.US_ASCII), 6, p.getSocketAddress()));
            receiver.join(5_000);
            assertEquals("answer", new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
            HostChoice choice = table.flows().getFirst();
            assertEquals("[::1]:" + closed + " first usable address; [::1]:" + closed + " port unreachable (ICMP); "
                    + "127.0.0.1:" + server.getLocalPort() + " next address", choice.reason());
            host.close();
            assertEquals(List.of(), table.flows());
        }
    }

    @Test
    void udpThatRunsOutOfAddressesTellsTheProgram() throws Exception {
        int closed = freeUdpPort(V4);
        TranslatedFlow flow = flow("udp", "127.0.0.1:" + closed);
        FailoverDatagrams host = new FailoverDatagrams(flow);
        host.open();
        host.send(ByteBuffer.wrap(new byte[] {1}));
        assertThrows(PortUnreachableException.class, () -> host.receive(ByteBuffer.allocate(10)));
        assertTrue(table.lastChoice("srv").orElseThrow().reason().endsWith("port unreachable (ICMP); no address left"),
                table.lastChoice("srv").orElseThrow().reason());
        host.close();
    }

    private TranslatedFlow flow(String transport, String... addresses) {
        HostIdentifier id = table.put("srv", java.util.Arrays.stream(addresses).map(HostAddress::parse).toList());
        return new TranslatedFlow(table, table.translate(id.virtual4()), transport, "", APP,
                new InetSocketAddress(id.virtual4(), 80));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, V4)) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort(InetAddress address) throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, address)) {
            return s.getLocalPort();
        }
    }
}
