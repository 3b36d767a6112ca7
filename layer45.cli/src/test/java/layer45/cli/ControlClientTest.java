package layer45.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import layer45.cli.protocol.ControlProtocol;
import layer45.cli.protocol.Frame;
import layer45.cli.protocol.FrameType;
import layer45.cli.protocol.FrameWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's side of the control socket: what it makes of a runtime that is missing, or refuses it early. */
class ControlClientTest {

    @TempDir
    Path dir;

    @Test
    void withoutARuntimeTheClientSaysHowToStartOne() {
        Path socket = dir.resolve("layer45.sock");
        IOException e = assertThrows(IOException.class, () -> ControlClient.connect(socket));
        assertTrue(e.getMessage().startsWith("no layer45 runtime is listening on " + socket
                + "; start one with `sudo ./layer45 start`"), e.getMessage());
    }

    @Test
    void aRefusalSentBeforeTheCommandLineWasTakenIsStillRead() throws Exception {
        Path socket = dir.resolve("busy.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread busy = Thread.ofPlatform().start(() -> {
                try (SocketChannel refused = server.accept()) {
                    FrameWriter writer = new FrameWriter(refused);
                    writer.write(Frame.text(FrameType.STDERR, "the layer45 runtime is busy\n"));
                    writer.write(Frame.exit(ControlProtocol.REFUSED));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            try (ControlClient client = ControlClient.connect(socket)) {
                busy.join(); // answered and closed, unread: sending now breaks the pipe
                client.send("l45:lsmod " + "x".repeat(ControlProtocol.MAX_COMMAND - 20), dir);
                client.endInput();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                assertEquals(ControlProtocol.REFUSED, client.copyTo(out, err));
                assertEquals("the layer45 runtime is busy\n", err.toString(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void aCommandLineLongerThanTheRuntimeTakesIsNotSent() throws IOException {
        Path socket = dir.resolve("l.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (ControlClient client = ControlClient.connect(socket)) {
                IOException e = assertThrows(IOException.class,
                        () -> client.send("∆".repeat(ControlProtocol.MAX_COMMAND), null));
                assertEquals("the command line is 49152 bytes of UTF-8, more than the 16384 the runtime takes",
                        e.getMessage());
            }
        }
    }
}
