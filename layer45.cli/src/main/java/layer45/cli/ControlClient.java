package layer45.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;

import layer45.cli.protocol.ControlProtocol;
import layer45.cli.protocol.Frame;
import layer45.cli.protocol.FrameReader;
import layer45.cli.protocol.FrameType;
import layer45.cli.protocol.FrameWriter;
import layer45.cli.protocol.ProtocolException;
import layer45.cli.protocol.SocketPaths;

/**
 * A connection to a runtime's control socket, which runs one Gogo command line: {@link #send} it, stream the
 * command's input with {@link #input} and end it with {@link #endInput}, and read its output with {@link #next} or
 * {@link #copyTo}, up to the exit status. Closing the connection ends the command's input, as a client that exits
 * does.
 */
public final class ControlClient implements Closeable {

    private final SocketChannel channel;
    private final FrameReader reader;
    private final FrameWriter writer;
    /** Why the command line could not be sent, if it could not. */
    private IOException sendFailure;

    private ControlClient(SocketChannel channel) {
        this.channel = channel;
        this.reader = new FrameReader(channel);
        this.writer = new FrameWriter(channel);
    }

    /**
     * Connects to a runtime.
     *
     * @param socket the control socket's path
     * @return the connection
     * @throws IOException saying, for the user, that no runtime listens there, that the socket is not theirs, or
     *         what else went wrong
     */
    public static ControlClient connect(Path socket) throws IOException {
        Objects.requireNonNull(socket, "socket");
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new ControlClient(channel);
        } catch (IOException e) {
            channel.close();
            throw connectProblem(socket, e);
        }
    }

    /**
     * How to start a runtime, for the message that none is running: the launcher sets {@value #START_HINT} (the
     * installed package says {@code sudo systemctl start layer45}); the source checkout's is the default.
     */
    static final String START_HINT = "layer45.start.hint";

    /** @return what a failed connection means to the user, and what to do, with the exit status that says it */
    static UnreachableRuntimeException connectProblem(Path socket, IOException e) {
        String reason = String.valueOf(e.getMessage());
        if (reason.contains("Permission denied")) {
            return new UnreachableRuntimeException("permission denied on " + socket + ": the control socket is for"
                    + " the user who started the runtime only (root for the system daemon); run this as that user,"
                    + " with sudo", ExitStatus.DENIED, e);
        }
        if (reason.contains("No such file") || reason.contains("Connection refused")
                || reason.contains("Not a directory")) {
            String hint = socket.equals(SocketPaths.SYSTEM) || SocketPaths.runningAsRoot() ? ""
                    : " (a runtime started with sudo listens on " + SocketPaths.SYSTEM + ", for root: use sudo)";
            return new UnreachableRuntimeException("no layer45 runtime is listening on " + socket
                    + "; start one with `" + System.getProperty(START_HINT, "sudo ./layer45 start") + "`" + hint,
                    ExitStatus.NOT_RUNNING, e);
        }
        return new UnreachableRuntimeException("cannot connect to the layer45 runtime's control socket " + socket
                + ": " + reason, ExitStatus.CLIENT, e);
    }

    /**
     * Opens a session ({@code layer45 shell}): every {@link #command} after it runs in the same Gogo session.
     *
     * @param directory the directory relative paths in the commands are taken from
     * @throws IOException if the runtime cannot be reached
     */
    public void openSession(Path directory) throws IOException {
        writer.write(Frame.text(FrameType.DIRECTORY, directory.toAbsolutePath().toString()));
        writer.write(new Frame(FrameType.SESSION, new byte[0]));
    }

    /**
     * Runs one command line of a session opened with {@link #openSession}, copying its output.
     *
     * @param commandLine a Gogo command line
     * @param out receives its standard output
     * @param err receives its standard error
     * @return its exit status
     * @throws IOException if the line is too long, or the runtime went away
     */
    public int command(String commandLine, OutputStream out, OutputStream err) throws IOException {
        Frame command = commandFrame(commandLine);
        writer.write(command);
        return copyTo(out, err);
    }

    /**
     * Sends the command line; the runtime starts running it. A runtime that refuses the connection (it is busy)
     * may answer and close before the line is out: then the line is dropped, and {@link #next} reads the answer.
     *
     * @param commandLine a Gogo command line, such as {@code l45:lsmod}
     * @param directory the directory relative paths in it are taken from; {@code null} for the runtime's own
     * @throws IOException if the command line is longer than the runtime takes
     */
    public void send(String commandLine, Path directory) throws IOException {
        Frame command = commandFrame(commandLine);
        try {
            if (directory != null) {
                writer.write(Frame.text(FrameType.DIRECTORY, directory.toAbsolutePath().toString()));
            }
            writer.write(command);
        } catch (IOException e) {
            sendFailure = e; // what the runtime said before it closed is still to be read
        }
    }

    private static Frame commandFrame(String commandLine) throws IOException {
        Frame command = Frame.text(FrameType.COMMAND, commandLine);
        if (command.payload().length > ControlProtocol.MAX_COMMAND) {
            throw new IOException("the command line is " + command.payload().length + " bytes of UTF-8, more than"
                    + " the " + ControlProtocol.MAX_COMMAND + " the runtime takes");
        }
        return command;
    }

    /**
     * Streams bytes to the command's session input.
     *
     * @param bytes holds the bytes
     * @param offset where they start
     * @param length how many
     * @throws IOException if the runtime cannot be reached
     */
    public void input(byte[] bytes, int offset, int length) throws IOException {
        writer.write(FrameType.INPUT, bytes, offset, length);
    }

    /**
     * Ends the command's session input (a half-close): the command reads end of file; its output still arrives.
     *
     * @throws IOException if the connection is broken
     */
    public void endInput() throws IOException {
        if (sendFailure == null) {
            channel.shutdownOutput();
        }
    }

    /**
     * @return the next frame from the runtime ({@link FrameType#STDOUT}, {@link FrameType#STDERR}, last
     *         {@link FrameType#EXIT}), or {@code null} if the runtime closed the connection
     * @throws IOException if the connection broke or the runtime broke the protocol
     */
    public Frame next() throws IOException {
        Frame frame = reader.read(ControlProtocol.MAX_DATA);
        if (frame == null && sendFailure != null) {
            throw new IOException("the runtime closed the connection before it took the command line: "
                    + sendFailure.getMessage(), sendFailure);
        }
        return frame;
    }

    /**
     * Copies the command's output and error output until its exit status.
     *
     * @param out receives its standard output
     * @param err receives its standard error
     * @return its exit status ({@link ControlProtocol#OK}, {@link ControlProtocol#FAILED},
     *         {@link ControlProtocol#REFUSED})
     * @throws IOException if the connection ended before the status (the runtime stopped), or broke
     */
    public int copyTo(OutputStream out, OutputStream err) throws IOException {
        for (Frame frame = next(); frame != null; frame = next()) {
            switch (frame.type()) {
                case STDOUT -> {
                    out.write(frame.payload());
                    out.flush();
                }
                case STDERR -> {
                    err.write(frame.payload());
                    err.flush();
                }
                case EXIT -> {
                    return frame.status();
                }
                default -> throw new ProtocolException("the runtime sent a " + frame + ", which only clients send");
            }
        }
        throw new IOException("the runtime closed the connection before the command ended (is it stopping?)");
    }

    /** Closes the connection: the command's input ends, and output still on its way is lost. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
