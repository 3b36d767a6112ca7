package layer45.mnet.sockets;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import layer45.api.Initiator;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.mnet.HostConnection;
import layer45.mnet.HostEndpoint;
import layer45.mnet.HostServerSocket;
import layer45.mnet.testing.RecordingTap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The stream sockets of programs in the runtime: the same client connects to the same server over IPv4, IPv6 and a
 * plugged-in protocol by the identifier's address order, fails over past unreachable and silent addresses, hears a
 * refusal, and moves megabytes byte-exact both ways with flow control, half-close, close and timeouts.
 */
class HostConnectionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration CONNECT = Duration.ofMillis(400);

    private final RecordingTap serverTap = new RecordingTap();
    private final TwoStacks stacks = new TwoStacks(() -> null, () -> serverTap);

    @AfterEach
    void close() {
        stacks.close();
    }

    /** Accepts one connection on another thread. */
    private CompletableFuture<HostConnection> acceptOne(HostServerSocket server) {
        CompletableFuture<HostConnection> accepted = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                accepted.complete(server.accept(WAIT));
            } catch (IOException e) {
                accepted.completeExceptionally(e);
            }
        });
        return accepted;
    }

    /** A server listening, a client connected to it by name, and the server's side of that connection. */
    private record Connected(HostServerSocket server, HostConnection client, HostConnection served)
            implements AutoCloseable {

        @Override
        public void close() {
            client.close();
            served.close();
            server.close();
        }
    }

    /** The original's client and server, connected: listens on a port and connects to {@code srv} there. */
    private Connected connect(int port) throws Exception {
        HostServerSocket server = stacks.serverSockets().listen(port);
        CompletableFuture<HostConnection> accepted = acceptOne(server);
        HostConnection client = stacks.clientSockets().connect("srv", port, CONNECT);
        return new Connected(server, client, get(accepted));
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0} first")
    @CsvSource({"ipv4, 10.0.0.2, fd00::2, toy:fd4d::2", "ipv6, fd00::2, toy:fd4d::2, 10.0.0.2",
            "toy, toy:fd4d::2, 10.0.0.2, fd00::2"})
    void theSameClientConnectsToTheServerOverTheFirstAddressOfItsIdentifier(String protocol, String first,
            String second, String third) throws Exception {
        stacks.server(first, second, third);
        try (HostServerSocket server = stacks.serverSockets().listen(8080)) {
            CompletableFuture<HostConnection> accepted = acceptOne(server);

            try (HostConnection client = stacks.clientSockets().connect("srv", 8080, CONNECT);
                    HostConnection served = get(accepted)) {
                client.output().write("request".getBytes(UTF_8));
                client.shutdownOutput();
                assertEquals("request", new String(served.input().readAllBytes(), UTF_8));
                served.output().write("reply".getBytes(UTF_8));
                served.close();
                assertEquals("reply", new String(client.input().readAllBytes(), UTF_8));

                HostAddress firstAddress = HostAddress.parse(first);
                assertEquals(new HostEndpoint("srv", new HostAddress(firstAddress.protocol(), firstAddress.address(),
                        8080)), client.remote());
                assertEquals(protocol, client.local().protocol());
                assertEquals("cli", served.remote().identifier());
                assertEquals(protocol, served.remote().protocol());
                assertEquals(client.local().port(), served.remote().port());
                HostChoice choice = client.choice().orElseThrow();
                assertEquals(HostAddress.parse(first), choice.chosen());
                assertEquals("tcp", choice.transport());
                assertTrue(choice.reason().endsWith("connected"), choice.reason());
            }
        }
    }

    @Test
    void connectingFailsOverPastASilentAndAnUnreachableAddress() throws Exception {
        // fd4d::9 on the toy protocol is nobody's and the protocol has no error messages: silence;
        // 10.0.0.9 is not the server's: its stack answers host unreachable
        stacks.server("toy:fd4d::9", "10.0.0.9", TwoStacks.SERVER6);
        try (HostServerSocket server = stacks.serverSockets().listen(8080)) {
            CompletableFuture<HostConnection> accepted = acceptOne(server);

            try (HostConnection client = stacks.clientSockets().connect("srv", 8080, CONNECT)) {
                get(accepted).close();
                assertEquals("ipv6", client.remote().protocol());
                HostChoice choice = client.choice().orElseThrow();
                assertEquals("[fd4d::9]:8080 no answer within 400 ms; 10.0.0.9:8080 connection failed: host"
                        + " unreachable (ICMP); [fd00::2]:8080 connected", choice.reason());
                assertTrue(stacks.clientTable.flows().contains(choice));
            }
        }
        HostStreamsAssertions.waitFor(() -> stacks.clientTable.flows().isEmpty());
    }

    @Test
    void aRefusalIsAnAnswerAndNotFailedOver() throws IOException {
        stacks.server(TwoStacks.SERVER4, TwoStacks.SERVER6);

        ConnectException refused = assertThrows(ConnectException.class,
                () -> stacks.clientSockets().connect("srv", 8081, CONNECT));

        assertTrue(refused.getMessage().contains("connection refused by host identifier srv at 10.0.0.2 port 8081"),
                refused.getMessage());
        HostChoice choice = stacks.clientTable.lastChoice("srv").orElseThrow();
        assertEquals(null, choice.chosen());
        assertEquals("10.0.0.2:8081 refused (the host answered: no failover)", choice.reason());
    }

    @Test
    void whenEveryAddressFailsTheProgramHearsEachOutcome() {
        stacks.server("10.0.0.9", "fd00::9");

        NoRouteToHostException failed = assertThrows(NoRouteToHostException.class,
                () -> stacks.clientSockets().connect("srv", 8080, CONNECT));

        assertTrue(failed.getMessage().contains("10.0.0.9:8080 connection failed: host unreachable (ICMP);"
                + " [fd00::9]:8080 connection failed: host unreachable (ICMP)"), failed.getMessage());
    }

    @Test
    void megabytesGoBothWaysByteExactWithASlowReader() throws Exception {
        stacks.server(TwoStacks.SERVER_TOY);
        byte[] upload = new byte[3 << 20];
        byte[] download = new byte[2 << 20];
        new Random(45).nextBytes(upload);
        new Random(46).nextBytes(download);
        try (Connected c = connect(9000)) {
            HostConnection client = c.client();
            HostConnection served = c.served();
            CompletableFuture<byte[]> uploaded = readSlowly(served.input());
            CompletableFuture<byte[]> downloaded = readSlowly(client.input());
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> write(served, download),
                    command -> Thread.ofVirtual().start(command));

            write(client, upload);
            client.shutdownOutput();

            assertArrayEquals(upload, get(uploaded));
            get(sending);
            assertArrayEquals(download, get(downloaded));
        }
    }

    /** Reads to the end in small pieces with pauses: a reader slower than the link. */
    private static CompletableFuture<byte[]> readSlowly(InputStream in) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                byte[] piece = new byte[16 << 10];
                int reads = 0;
                for (int n; (n = in.read(piece)) >= 0; ) {
                    all.write(piece, 0, n);
                    if (++reads % 16 == 0) {
                        Thread.sleep(2);
                    }
                }
                result.complete(all.toByteArray());
            } catch (IOException | InterruptedException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static void write(HostConnection c, byte[] bytes) {
        try {
            c.output().write(bytes);
            c.shutdownOutput();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aPeerThatDoesNotReadStopsTheWriterWithinBoundedBuffers() throws Exception {
        stacks.server(TwoStacks.SERVER4);
        try (Connected c = connect(9001)) {
            HostConnection client = c.client();
            HostConnection served = c.served();
            client.writeTimeout(Duration.ofMillis(300));
            byte[] chunk = new byte[64 << 10];
            long written = 0;
            SocketTimeoutException full = null;
            while (full == null && written < (64 << 20)) {
                try {
                    client.output().write(chunk);
                    written += chunk.length;
                } catch (SocketTimeoutException e) {
                    full = e;
                }
            }

            assertTrue(full != null, "the writer waits once the buffers between it and the idle reader are full");
            assertTrue(written < (8 << 20), "buffered at most the rings and TCP's windows, not " + written);
            assertTrue(full.getMessage().contains("it reads slower than this program writes"), full.getMessage());
            assertTrue(served.input().read(new byte[1]) == 1, "what was buffered is there to read");
        }
    }

    @Test
    void halfCloseLetsTheOtherSideAnswerAfterTheEnd() throws Exception {
        stacks.server(TwoStacks.SERVER6);
        try (Connected c = connect(7000)) {
            HostConnection client = c.client();
            HostConnection served = c.served();
            client.output().write("to the end".getBytes(UTF_8));
            client.shutdownOutput();
            assertThrows(SocketException.class, () -> client.output().write(1), "nothing after the end");

            assertEquals("to the end", new String(served.input().readAllBytes(), UTF_8));
            served.output().write("answer after it".getBytes(UTF_8));
            served.shutdownOutput();

            assertEquals("answer after it", new String(client.input().readAllBytes(), UTF_8));
            assertEquals(-1, served.input().read());
        }
    }

    @Test
    void readTimeoutCloseAndResetAreClearErrors() throws Exception {
        stacks.server(TwoStacks.SERVER4);
        try (HostServerSocket server = stacks.serverSockets().listen(7001)) {
            CompletableFuture<HostConnection> accepted = acceptOne(server);
            HostConnection client = stacks.clientSockets().connect("srv", 7001, CONNECT);
            HostConnection served = get(accepted);

            client.readTimeout(Duration.ofMillis(100));
            SocketTimeoutException quiet = assertThrows(SocketTimeoutException.class, () -> client.input().read());
            assertTrue(quiet.getMessage().contains("within 100 ms"), quiet.getMessage());

            client.readTimeout(Duration.ZERO);
            CompletableFuture<Throwable> reader = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> reader.complete(assertThrows(IOException.class,
                    () -> client.input().read())));
            served.abort();
            Throwable reset = get(reader);
            assertTrue(reset instanceof SocketException && reset.getMessage().contains("connection reset"),
                    String.valueOf(reset));
            assertFalse(client.isOpen());
            SocketException writeAfter = assertThrows(SocketException.class, () -> client.output().write(1));
            assertTrue(writeAfter.getMessage().contains("nothing more can be written"), writeAfter.getMessage());

            client.close();
            SocketException closed = assertThrows(SocketException.class, () -> client.input().read());
            assertTrue(closed.getMessage().contains("closed by this program"), closed.getMessage());
        }
    }

    @Test
    void aListenerClosedWhileWaitingAndAClosedStackSaySo() throws Exception {
        HostServerSocket server = stacks.serverSockets().listen(0);
        assertTrue(server.port() >= 32768, "an ephemeral port");
        assertThrows(java.net.BindException.class, () -> stacks.serverSockets().listen(server.port()));
        CompletableFuture<HostConnection> waiting = acceptOne(server);
        server.close();
        ExecutionException closed = assertThrows(ExecutionException.class, () -> get(waiting));
        assertTrue(closed.getCause() instanceof SocketException, String.valueOf(closed.getCause()));

        stacks.server.close();
        SocketException off = assertThrows(SocketException.class, () -> stacks.serverSockets().listen(7002));
        assertTrue(off.getMessage().startsWith("the network stack is off"), off.getMessage());
    }

    @Test
    void theProgramIsTheApplicationOfItsConnectionsForCustomizations() throws Exception {
        stacks.server(TwoStacks.SERVER4);
        try (Connected c = connect(7003)) {
            HostConnection client = c.client();
            HostConnection served = c.served();
            served.output().write("from the server".getBytes(UTF_8));
            served.shutdownOutput();
            assertEquals("from the server", new String(client.input().readAllBytes(), UTF_8));
            client.output().write("from the client".getBytes(UTF_8));
            client.shutdownOutput();
            assertEquals("from the client", new String(served.input().readAllBytes(), UTF_8));
        }
        RecordingTap.Flow flow = serverTap.flows().getFirst();
        assertEquals(7003, flow.info().local().getPort(), "the server program's end is the flow's local end");
        assertEquals(Initiator.REMOTE, flow.info().initiator(), "the peer opened it");
        assertEquals(List.of("SEND:from the server", "RECV:from the client"), serverTap.chunkLog().stream()
                .filter(line -> !line.endsWith(":")).toList());
    }

    @Test
    void aCustomizationRuntimeThatFailsResetsTheConnectionAndTheListenerGoesOn() throws Exception {
        stacks.server(TwoStacks.SERVER4);
        try (HostServerSocket server = stacks.serverSockets().listen(7004)) {
            serverTap.failOpenWith(new IllegalStateException("module bug"));
            CompletableFuture<HostConnection> accepted = acceptOne(server);
            HostConnection client = stacks.clientSockets().connect("srv", 7004, CONNECT);
            client.readTimeout(WAIT);
            SocketException reset = assertThrows(SocketException.class, () -> client.input().read());
            assertTrue(reset.getMessage().contains("connection reset"), reset.getMessage());
            client.close();

            serverTap.failOpenWith(null);
            try (HostConnection again = stacks.clientSockets().connect("srv", 7004, CONNECT)) {
                HostConnection served = get(accepted);
                served.output().write(42);
                served.close();
                assertEquals(42, again.input().read());
            }
        } catch (TimeoutException e) {
            throw new AssertionError("the listener stopped accepting", e);
        }
    }
}
