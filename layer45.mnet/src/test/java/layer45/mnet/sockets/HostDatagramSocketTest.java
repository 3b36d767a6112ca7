package layer45.mnet.sockets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import layer45.api.Initiator;
import layer45.api.spi.Direction;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.mnet.HostDatagram;
import layer45.mnet.HostDatagramSocket;
import layer45.mnet.HostEndpoint;
import layer45.mnet.testing.RecordingTap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The datagram sockets of programs in the runtime, as the {@code mnet} module's {@code inet}, {@code inet6} and
 * {@code mhost} client and server test programs used theirs: the same client reaches the same server over IPv4,
 * IPv6 and a plugged-in protocol, chosen by the identifier's address order, and fails over when one is cut.
 */
class HostDatagramSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final RecordingTap clientTap = new RecordingTap();
    private final TwoStacks stacks = new TwoStacks(() -> clientTap, () -> null);
    private final List<HostEndpoint> serverHeard = new CopyOnWriteArrayList<>();
    private Thread echo;

    @AfterEach
    void close() throws InterruptedException {
        stacks.close();
        if (echo != null) {
            echo.join(WAIT.toMillis());
        }
    }

    /** The original's server: prints (here: records) what it receives, and answers it. */
    private HostDatagramSocket echoServer(int port) throws IOException {
        HostDatagramSocket server = stacks.serverSockets().openDatagram(port);
        echo = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    HostDatagram d = server.receive(Duration.ofSeconds(30));
                    serverHeard.add(d.from());
                    server.send(d.from(), d.payload());
                }
            } catch (IOException e) {
                // closed: the test ended
            }
        });
        return server;
    }

    /** The original's client: sends a string to the server by name and reads the answer. */
    private static HostDatagram ask(HostDatagramSocket client, String text) throws IOException {
        client.send("srv", 7, ByteBuffer.wrap(text.getBytes(UTF_8)));
        return client.receive(WAIT);
    }

    @ParameterizedTest(name = "{0} first")
    @CsvSource({"ipv4, 10.0.0.2, fd00::2, toy:fd4d::2", "ipv6, fd00::2, toy:fd4d::2, 10.0.0.2",
            "toy, toy:fd4d::2, 10.0.0.2, fd00::2"})
    void theSameClientReachesTheServerOverTheFirstAddressOfItsIdentifier(String protocol, String first,
            String second, String third) throws IOException {
        echoServer(7);
        stacks.server(first, second, third);

        try (HostDatagramSocket client = stacks.clientSockets().openDatagram(0)) {
            HostDatagram answer = ask(client, "hello over " + protocol);

            assertEquals("hello over " + protocol, new String(answer.bytes(), UTF_8));
            assertEquals("srv", answer.from().identifier());
            assertEquals(protocol, answer.from().protocol());
            assertEquals(7, answer.from().port());
            HostChoice choice = client.choice("srv", 7).orElseThrow();
            assertEquals(HostAddress.parse(first), choice.chosen());
            assertEquals("udp", choice.transport());
            assertEquals("srv:7", choice.peer());
            assertEquals(List.of(new HostEndpoint("cli", new HostAddress(protocol, HostAddress.parse(
                    clientAddress(protocol)).address(), client.port()))), serverHeard);
            assertTrue(stacks.clientTable.flows().contains(choice), "listed with the flows to host identifiers");
        }
        assertTrue(stacks.clientTable.flows().isEmpty(), "a closed socket's flows leave the list");
    }

    private static String clientAddress(String protocol) {
        return switch (protocol) {
            case "ipv4" -> TwoStacks.CLIENT4;
            case "ipv6" -> TwoStacks.CLIENT6;
            default -> TwoStacks.CLIENT_TOY;
        };
    }

    @Test
    void oneServerPortReceivesOverEveryProtocolAtOnceAndNamesTheClient() throws IOException {
        try (HostDatagramSocket server = stacks.serverSockets().openDatagram(9);
                HostDatagramSocket client = stacks.clientSockets().openDatagram(4000)) {
            for (String to : List.of(TwoStacks.SERVER4, TwoStacks.SERVER6, TwoStacks.SERVER_TOY)) {
                client.send(HostAddress.parse(to), 9, ByteBuffer.wrap(to.getBytes(UTF_8)));
            }
            Set<String> heard = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                HostDatagram d = server.receive(WAIT);
                assertEquals("cli", d.from().identifier());
                assertEquals(4000, d.from().port());
                heard.add(d.from().protocol() + " " + new String(d.bytes(), UTF_8));
            }
            assertEquals(Set.of("ipv4 10.0.0.2", "ipv6 fd00::2", "toy toy:fd4d::2"), heard);
        }
    }

    @Test
    void aSenderNoIdentifierListsIsReportedByItsAddress() throws IOException {
        stacks.serverTable.remove("cli");
        try (HostDatagramSocket server = stacks.serverSockets().openDatagram(9);
                HostDatagramSocket client = stacks.clientSockets().openDatagram(4001)) {
            client.send(HostAddress.parse(TwoStacks.SERVER6), 9, ByteBuffer.wrap(new byte[] {1}));

            HostEndpoint from = server.receive(WAIT).from();

            assertNull(from.identifier());
            assertEquals(HostAddress.parse("[fd00::1]:4001"), from.address());
            assertEquals("[fd00::1]:4001", from.name());
        }
    }

    @Test
    void anUnreachableAddressMovesTheSendsOnToTheNextAndTheRequestIsNotLost() throws IOException {
        echoServer(7);
        // 10.0.0.9 is not the server's: its stack answers host unreachable; port 9999 has nobody: port unreachable
        stacks.server("10.0.0.9", "10.0.0.2:9999", TwoStacks.SERVER6);

        try (HostDatagramSocket client = stacks.clientSockets().openDatagram(0)) {
            HostDatagram answer = ask(client, "once");

            assertEquals("once", new String(answer.bytes(), UTF_8), "the datagram the errors answered, sent again");
            assertEquals("ipv6", answer.from().protocol());
            HostChoice choice = client.choice("srv", 7).orElseThrow();
            assertEquals(HostAddress.parse(TwoStacks.SERVER6), choice.chosen());
            assertEquals("10.0.0.9:7 first usable address; 10.0.0.9:7 host unreachable (ICMP); 10.0.0.2:9999 next"
                    + " address; 10.0.0.2:9999 port unreachable (ICMP); [fd00::2]:7 next address", choice.reason());
            assertEquals("two", new String(ask(client, "two").bytes(), UTF_8), "later sends go there at once");
        }
    }

    @Test
    void whenEveryAddressFailedTheNextSendSaysSoAndTheOneAfterStartsAgain() throws Exception {
        stacks.server("10.0.0.9", "fd00::9");
        try (HostDatagramSocket client = stacks.clientSockets().openDatagram(0)) {
            client.send("srv", 7, ByteBuffer.wrap(new byte[] {1}));
            HostStreamsAssertions.waitFor(() -> client.choice("srv", 7).orElseThrow().chosen() == null);

            NoRouteToHostException failed = assertThrows(NoRouteToHostException.class,
                    () -> client.send("srv", 7, ByteBuffer.wrap(new byte[] {2})));

            assertTrue(failed.getMessage().contains("every address of host identifier srv failed for port 7:"
                    + " 10.0.0.9:7 first usable address; 10.0.0.9:7 host unreachable (ICMP); [fd00::9]:7 next"
                    + " address; [fd00::9]:7 host unreachable (ICMP)"), failed.getMessage());
            stacks.server("10.0.0.9", TwoStacks.SERVER6);
            echoServer(7);
            assertEquals("back", new String(ask(client, "back").bytes(), UTF_8));
        }
    }

    @Test
    void anUnpluggedProtocolsAddressesAreSkipped() throws IOException {
        echoServer(7);
        stacks.server(TwoStacks.SERVER_TOY, TwoStacks.SERVER4);
        stacks.client.unplug(stacks.clientToy);

        try (HostDatagramSocket client = stacks.clientSockets().openDatagram(0)) {
            assertEquals("ipv4", ask(client, "x").from().protocol());
            assertEquals("toy:fd4d::2 skipped (protocol toy not in this stack); 10.0.0.2:7 first usable address",
                    client.choice("srv", 7).orElseThrow().reason());
            assertEquals(List.of("ipv4", "ipv6"), stacks.clientSockets().protocols());

            stacks.client.plug(stacks.clientToy, List.of(layer45.mnet.wire.Ipv6Address.parse("fd4d::1")),
                    List.of(layer45.mnet.wire.IpCidr.parse("fd4d::/16")));
            assertEquals("toy", ask(client, "y").from().protocol(), "plugged in again: its address is first again");
        }
    }

    @Test
    void anUnknownIdentifierIsAnUnknownHost() throws IOException {
        try (HostDatagramSocket client = stacks.clientSockets().openDatagram(0)) {
            UnknownHostException unknown = assertThrows(UnknownHostException.class,
                    () -> client.send("nosuch", 7, ByteBuffer.allocate(1)));
            assertTrue(unknown.getMessage().contains("l45:mhost add nosuch"), unknown.getMessage());
        }
    }

    @Test
    void aTakenPortIsABindErrorAndAClosedSocketSaysSo() throws Exception {
        try (HostDatagramSocket first = stacks.clientSockets().openDatagram(5000)) {
            assertThrows(java.net.BindException.class, () -> stacks.clientSockets().openDatagram(5000));
            Thread waiting = Thread.ofVirtual().start(() -> assertThrows(SocketException.class,
                    () -> first.receive(Duration.ofSeconds(30))));
            Thread.sleep(50);
            first.close();
            waiting.join(WAIT.toMillis());
            assertThrows(SocketException.class, () -> first.send("srv", 7, ByteBuffer.allocate(1)));
            assertThrows(SocketTimeoutException.class,
                    () -> stacks.clientSockets().openDatagram(5000).receive(Duration.ofMillis(20)),
                    "the port is free again");
        }
    }

    @Test
    void theProgramIsTheFlowsApplicationForCustomizations() throws IOException {
        echoServer(7);
        stacks.server(TwoStacks.SERVER4);
        try (HostDatagramSocket client = stacks.clientSockets().openDatagram(4002)) {
            ask(client, "hi");
        }
        RecordingTap.Flow flow = clientTap.flows().getFirst();
        assertEquals(new java.net.InetSocketAddress(TwoStacks.CLIENT4, 4002), flow.info().local());
        assertEquals(new java.net.InetSocketAddress(TwoStacks.SERVER4, 7), flow.info().remote());
        assertEquals(Initiator.LOCAL, flow.info().initiator());
        assertEquals(List.of("SEND:hi", "RECV:hi"), clientTap.chunkLog());
    }

    @Test
    void aCustomizationRuntimeThatFailsIsAnErrorOfThatSendOnly() throws IOException {
        echoServer(7);
        stacks.server(TwoStacks.SERVER4);
        try (HostDatagramSocket client = stacks.clientSockets().openDatagram(0)) {
            clientTap.failOpenWith(new IllegalStateException("module bug"));
            IOException refused = assertThrows(IOException.class, () -> client.send("srv", 7, ByteBuffer.allocate(1)));
            assertTrue(refused.getMessage().contains("customization runtime could not open the flow"),
                    refused.getMessage());

            clientTap.failOpenWith(null);
            assertEquals("fine", new String(ask(client, "fine").bytes(), UTF_8));
        }
    }

    @Test
    void aCustomizationThatAbortsTheFlowDoesNotBreakTheSocket() throws IOException {
        echoServer(7);
        stacks.server(TwoStacks.SERVER4);
        try (HostDatagramSocket client = stacks.clientSockets().openDatagram(0)) {
            clientTap.abortReason("module gave up");
            clientTap.customize(Direction.SEND, (direction, input, sink) -> layer45.api.spi.Outcome.ABORTED);
            client.send("srv", 7, ByteBuffer.allocate(1));
            assertThrows(SocketTimeoutException.class, () -> client.receive(Duration.ofMillis(200)));

            clientTap.customize(RecordingTap.ORIGINAL);
            assertEquals("again", new String(ask(client, "again").bytes(), UTF_8));
        }
    }
}
