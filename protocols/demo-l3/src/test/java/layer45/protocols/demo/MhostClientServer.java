package layer45.protocols.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import layer45.mnet.HostAddress;
import layer45.mnet.HostConnection;
import layer45.mnet.HostDatagram;
import layer45.mnet.HostDatagramSocket;
import layer45.mnet.HostServerSocket;
import layer45.mnet.NetworkProtocolHandler;

/**
 * What the {@code mnet} module's test programs did (an mhost client and server, beside inet and inet6 ones), with
 * the results asserted, on a {@link StackPair} with demo plugged into both stacks: the same client code reaches the
 * same server by its host identifier over IPv4, IPv6 and demo, as the identifier's address order says; one server
 * port receives over all three and names the client by its identifier; when demo is cut, the client fails over.
 */
final class MhostClientServer {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SERVER4 = "10.88.0.2";
    private static final String SERVER6 = "fd88::2";
    private static final String SERVER_DEMO = "demo:fd4d::2";

    private MhostClientServer() {
    }

    /**
     * @param pair the stacks, demo plugged into both
     * @param demoA the demo handler plugged into {@code a}, to cut it
     */
    static void assertEveryProtocolAndFailover(StackPair pair, NetworkProtocolHandler demoA) throws Exception {
        pair.tableB.put("cli", addresses("10.88.0.1", "fd88::1", "demo:fd4d::1"));
        try (HostDatagramSocket server = pair.b.sockets().openDatagram(9000);
                HostServerSocket listener = pair.b.sockets().listen(9001)) {
            for (List<String> order : List.of(List.of(SERVER4, SERVER6, SERVER_DEMO),
                    List.of(SERVER6, SERVER_DEMO, SERVER4), List.of(SERVER_DEMO, SERVER4, SERVER6))) {
                pair.tableA.put("srv", addresses(order.toArray(String[]::new)));
                String expected = HostAddress.parse(order.getFirst()).protocol();
                assertEquals(expected, datagramRoundTrip(pair, server), "datagrams to srv, addresses " + order);
                assertEquals(expected, streamRoundTrip(pair, listener), "a connection to srv, addresses " + order);
            }

            pair.tableA.put("srv", addresses(SERVER_DEMO, SERVER6));
            assertTrue(pair.a.unplug(demoA), "demo cut on the client's stack");
            assertEquals(HostAddress.IPV6, datagramRoundTrip(pair, server), "demo cut: datagrams fail over");
            assertEquals(HostAddress.IPV6, streamRoundTrip(pair, listener), "demo cut: connections fail over");
        }
    }

    /** @return the protocol the server heard the client over; asserts the client is named and answered */
    private static String datagramRoundTrip(StackPair pair, HostDatagramSocket server) throws Exception {
        try (HostDatagramSocket client = pair.a.sockets().openDatagram(0)) {
            client.send("srv", 9000, ByteBuffer.wrap("ping".getBytes(UTF_8)));
            HostDatagram request = server.receive(WAIT);
            assertEquals("cli", request.from().name(), "the server names the client by its identifier");
            assertEquals("ping", new String(request.bytes(), UTF_8));
            server.send(request.from(), ByteBuffer.wrap("pong".getBytes(UTF_8)));
            HostDatagram answer = client.receive(WAIT);
            assertEquals("srv", answer.from().name());
            assertEquals("pong", new String(answer.bytes(), UTF_8));
            assertEquals(request.from().protocol(), answer.from().protocol(), "answered the way it came");
            return request.from().protocol();
        }
    }

    /** @return the protocol the connection runs over; asserts bytes cross both ways and the client is named */
    private static String streamRoundTrip(StackPair pair, HostServerSocket listener) throws Exception {
        byte[] request = new byte[200_000];
        new java.util.Random(7).nextBytes(request);
        java.util.concurrent.CompletableFuture<String> served = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (HostConnection accepted = listener.accept(WAIT)) {
                boolean whole = java.util.Arrays.equals(request, accepted.input().readAllBytes());
                accepted.output().write((whole ? "whole" : "damaged").getBytes(UTF_8));
                served.complete(accepted.remote().name());
            } catch (Exception | AssertionError e) {
                served.completeExceptionally(e);
            }
        });
        try (HostConnection client = pair.a.sockets().connect("srv", 9001, Duration.ofSeconds(1))) {
            client.output().write(request);
            client.shutdownOutput();
            assertEquals("cli", served.get(10, java.util.concurrent.TimeUnit.SECONDS), "the server names the client");
            assertEquals("whole", new String(client.input().readAllBytes(), UTF_8), "the request, as the server got it");
            return client.remote().protocol();
        }
    }

    private static List<HostAddress> addresses(String... texts) {
        return java.util.Arrays.stream(texts).map(HostAddress::parse).toList();
    }
}
