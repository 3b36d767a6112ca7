package layer45.runtime.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import layer45.cli.ControlClient;
import layer45.cli.protocol.ControlProtocol;
import layer45.cli.protocol.Frame;
import layer45.cli.protocol.FrameReader;
import layer45.cli.protocol.FrameType;
import layer45.cli.protocol.FrameWriter;
import layer45.runtime.testing.Poll;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket with a scripted shell, driven by the client as {@code ./layer45 exec} and {@code run} are. */
class ControlServerTest {

    @TempDir
    Path dir;

    private final ScriptShell shell = new ScriptShell();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private Path socket() {
        return dir.resolve("run").resolve("l45.sock");
    }

    private ControlServer start() throws IOException {
        return start(ControlServer.MAX_CONNECTIONS, ControlServer.REQUEST_TIMEOUT);
    }

    private ControlServer start(int maxConnections, Duration requestTimeout) throws IOException {
        ControlServer server = ControlServer.start(socket(), shell, maxConnections, requestTimeout);
        toClose.add(server);
        return server;
    }

    private ControlClient connect() throws IOException {
        ControlClient client = ControlClient.connect(socket());
        toClose.add(client);
        return client;
    }

    /** What one command line gave the client. */
    private record Reply(int status, String out, String err) {
    }

    private Reply run(String line) throws IOException {
        ControlClient client = connect();
        client.send(line, null);
        client.endInput();
        return copy(client);
    }

    private static Reply copy(ControlClient client) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = client.copyTo(out, err);
        return new Reply(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void whatACommandPrintsAndReturnsReachesTheClientThenStatus0() throws IOException {
        start();
        assertEquals(new Reply(0, "hello\n", "warning: hello\n"), run("print hello"));
        assertEquals(new Reply(0, "a result\n", ""), run("echo a result"));
        assertEquals(new Reply(0, "", ""), run("echo"), "an empty result prints nothing");
    }

    @Test
    void aCommandThatThrowsGivesStatus1AndItsMessageOnStandardError() throws IOException {
        start();
        assertEquals(new Reply(ControlProtocol.FAILED, "", "no module named 'x' is loaded\n"),
                run("fail no module named 'x' is loaded"));
        assertEquals(new Reply(ControlProtocol.FAILED, "", "Command not found: lsmodd\n"), run("lsmodd"));
    }

    @Test
    void theClientsInputReachesTheCommandUntilTheClientHalfCloses() throws IOException {
        start();
        ControlClient client = connect();
        client.send("cat", null);
        byte[] big = "0123456789abcdef".repeat(10_000).getBytes(StandardCharsets.US_ASCII); // more than the buffer
        client.input(big, 0, big.length);
        client.endInput();
        assertEquals(new Reply(0, new String(big, StandardCharsets.US_ASCII) + "\n", ""), copy(client));
    }

    @Test
    void aClientThatDisconnectsMidCommandEndsItsInputAndItsSession() throws IOException {
        start();
        ControlClient client = connect();
        client.send("hold", null);
        Frame first = client.next();
        assertEquals("holding\n", first.text());
        client.close();
        Poll.until("the session to be closed", () -> shell.events.contains("closed"));
        assertEquals(List.of("input ended", "closed"), shell.events);
    }

    @Test
    void theClientsDirectoryIsTheSessions() throws IOException {
        start();
        ControlClient client = connect();
        client.send("pwd", dir);
        client.endInput();
        assertEquals(new Reply(0, dir + "\n", ""), copy(client));
    }

    @Test
    void theSocketIsForItsOwnerOnlyInAFolderOfItsOwnAndGoesAtClose() throws IOException {
        ControlServer server = start();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket().getParent())));
        try (var files = Files.list(socket().getParent())) {
            assertEquals(List.of(socket()), files.toList(), "the staging folder is gone");
        }
        server.close();
        assertFalse(Files.exists(socket()), "removed at stop");
    }

    @Test
    void aStaleSocketIsReplacedButALiveRuntimesIsNot() throws IOException {
        Files.createDirectories(socket().getParent());
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket())); // closed below without removing its file: stale
        }
        assertTrue(Files.exists(socket()));
        start();
        assertEquals(0, run("echo replaced").status());
        IOException refused = assertThrows(IOException.class, () -> ControlServer.start(socket(), new ScriptShell()));
        assertTrue(refused.getMessage().startsWith("another layer45 runtime is listening on " + socket()
                + "; stop it first"), refused.getMessage());
        assertEquals(0, run("echo still served").status(), "the live runtime keeps its socket");
    }

    @Test
    void somethingElseAtThePathIsLeftAlone() throws IOException {
        Files.createDirectories(socket().getParent());
        Files.writeString(socket(), "not a socket");
        IOException e = assertThrows(IOException.class, this::start);
        assertEquals(socket() + " exists and is not a socket; remove it, or set control.socket to another path",
                e.getMessage());
        assertEquals("not a socket", Files.readString(socket()));
    }

    @Test
    void closingTheServerEndsTheCommandsRunning() throws IOException {
        ControlServer server = start();
        ControlClient client = connect();
        client.send("hold", null);
        assertEquals("holding\n", client.next().text());
        server.close();
        Poll.until("the session to be closed", () -> shell.events.contains("closed"));
        assertThrows(IOException.class, () -> copy(client), "no status: the connection just ends");
        Poll.until("the connection to be over", () -> server.connections() == 0);
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedWithTheReason() throws IOException {
        ControlServer server = start(1, ControlServer.REQUEST_TIMEOUT);
        ControlClient holder = connect();
        holder.send("hold", null);
        assertEquals("holding\n", holder.next().text());
        Reply busy = run("echo me too");
        assertEquals(ControlProtocol.REFUSED, busy.status());
        assertTrue(busy.err().startsWith("the layer45 runtime is busy: 1 control connections are open"), busy.err());
        holder.endInput();
        assertEquals(new Reply(0, "released\n", ""), copy(holder));
        Poll.until("the slot to be free", () -> server.connections() == 0);
        assertEquals(new Reply(0, "me too\n", ""), run("echo me too"));
    }

    @Test
    void aCommandLineOverTheLimitIsRefusedUnrun() throws IOException {
        start();
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            byte[] line = ("echo " + "x".repeat(ControlProtocol.MAX_COMMAND)).getBytes(StandardCharsets.US_ASCII);
            new FrameWriter(raw).write(FrameType.COMMAND, line, 0, line.length);
            FrameReader reader = new FrameReader(raw);
            assertEquals("request refused: the command line is 16389 bytes, more than the 16384 allowed\n",
                    reader.read(ControlProtocol.MAX_DATA).text());
            assertEquals(ControlProtocol.REFUSED, reader.read(ControlProtocol.MAX_DATA).status());
        }
    }

    @Test
    void aFrameOutOfOrderAfterTheCommandLineEndsTheInput() throws IOException {
        start();
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            FrameWriter writer = new FrameWriter(raw);
            writer.write(Frame.text(FrameType.COMMAND, "cat"));
            writer.write(Frame.text(FrameType.INPUT, "before"));
            writer.write(Frame.text(FrameType.COMMAND, "echo sneaked in"));
            writer.write(Frame.text(FrameType.INPUT, "after"));
            FrameReader reader = new FrameReader(raw);
            assertEquals("before\n", reader.read(ControlProtocol.MAX_DATA).text());
            assertEquals(0, reader.read(ControlProtocol.MAX_DATA).status());
        }
    }

    @Test
    void aClientThatSendsNoCommandLineIsToldAndLetGo() throws IOException {
        start(ControlServer.MAX_CONNECTIONS, Duration.ofMillis(200));
        try (SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            FrameReader reader = new FrameReader(raw);
            assertEquals("request refused: no command line within 200 ms of connecting\n",
                    reader.read(ControlProtocol.MAX_DATA).text());
            assertEquals(ControlProtocol.REFUSED, reader.read(ControlProtocol.MAX_DATA).status());
            assertNull(reader.read(ControlProtocol.MAX_DATA));
        }
    }
}
