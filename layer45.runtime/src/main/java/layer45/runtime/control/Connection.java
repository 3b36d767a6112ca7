package layer45.runtime.control;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import layer45.cli.protocol.ControlProtocol;
import layer45.cli.protocol.Frame;
import layer45.cli.protocol.FrameReader;
import layer45.cli.protocol.FrameType;
import layer45.cli.protocol.FrameWriter;
import layer45.cli.protocol.ProtocolException;

/**
 * One client's connection: reads its command line, runs it in a session of its own while streaming the client's
 * input to the session and the session's output to the client, and ends with the exit status. The package
 * documentation describes the exchange.
 */
final class Connection implements Runnable {

    private static final System.Logger LOG = System.getLogger("layer45.control");

    /** What the client asked for: one command line, or a session of them ({@code line} is then {@code null}). */
    private record Request(Path directory, String line) {

        boolean session() {
            return line == null;
        }
    }

    private final SocketChannel channel;
    private final Shell shell;
    private final Consumer<Connection> ended;
    private final ScheduledExecutorService timer;
    private final Duration requestTimeout;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final SessionInput input = new SessionInput();
    private volatile boolean requestRead;
    private volatile boolean late;
    private volatile boolean closed;
    private volatile Shell.Session session;

    /**
     * @param channel the accepted connection
     * @param shell runs the command line
     * @param ended told once when the connection is over
     * @param timer ends a request that is late
     * @param requestTimeout how long the client has to send its command line
     */
    Connection(SocketChannel channel, Shell shell, Consumer<Connection> ended, ScheduledExecutorService timer,
            Duration requestTimeout) {
        this.channel = channel;
        this.timer = timer;
        this.requestTimeout = requestTimeout;
        this.shell = shell;
        this.ended = ended;
        this.reader = new FrameReader(channel);
        this.writer = new FrameWriter(channel);
    }

    @Override
    public void run() {
        try {
            ScheduledFuture<?> deadline = timer.schedule(this::requestTimedOut, requestTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            Request request;
            try {
                request = readRequest();
            } finally {
                deadline.cancel(false);
            }
            if (request != null) {
                serve(request);
            }
        } catch (ProtocolException e) {
            refuse("request refused: " + e.getMessage());
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "layer45: control connection lost: {0}", e.toString());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "layer45: control connection failed: {0}", e.toString());
        } finally {
            close();
            ended.accept(this);
        }
    }

    /** Ends a connection whose command line has not arrived in time; the client is told why. */
    private void requestTimedOut() {
        if (!requestRead) {
            late = true;
            try {
                channel.shutdownInput(); // wakes the read of the request, which then refuses it
            } catch (IOException e) {
                close();
            }
        }
    }

    /** Ends the connection: the session is closed (a running command is interrupted) and its input ends. */
    void close() {
        closed = true;
        input.close();
        Shell.Session current = session;
        if (current != null) {
            current.close();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private Request readRequest() throws IOException {
        Path directory = null;
        Frame frame = reader.read(ControlProtocol.MAX_COMMAND);
        if (frame != null && frame.type() == FrameType.DIRECTORY) {
            directory = directory(frame);
            frame = reader.read(ControlProtocol.MAX_COMMAND);
        }
        if (frame == null) {
            if (late) {
                long millis = requestTimeout.toMillis();
                refuse("request refused: no command line within " + (millis % 1000 == 0 ? millis / 1000 + " s"
                        : millis + " ms") + " of connecting");
            }
            return null; // the client left without asking anything
        }
        if (frame.type() != FrameType.COMMAND && frame.type() != FrameType.SESSION) {
            throw new ProtocolException("expected the command line or a session, got a " + frame);
        }
        requestRead = true;
        return new Request(directory, frame.type() == FrameType.SESSION ? null : frame.text());
    }

    private static Path directory(Frame frame) throws ProtocolException {
        try {
            Path directory = Path.of(frame.text());
            if (directory.isAbsolute()) {
                return directory;
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        throw new ProtocolException("the directory '" + frame.text() + "' is not an absolute path");
    }

    private void serve(Request request) throws IOException {
        FrameOutputStream out = new FrameOutputStream(writer, FrameType.STDOUT, input::end);
        FrameOutputStream err = new FrameOutputStream(writer, FrameType.STDERR, input::end);
        Shell.Session opened = shell.open(input, out, err);
        session = opened;
        if (closed) {
            opened.close(); // the server stopped while the session opened
            return;
        }
        if (request.directory() != null) {
            opened.currentDir(request.directory());
        }
        if (request.session()) {
            input.end(); // a session's commands read no input: the connection carries its command lines
            serveSession(opened, out, err);
            return;
        }
        Thread.ofVirtual().name("layer45-control-input").start(this::pumpInput);
        Integer status = execute(opened, request.line(), out, err);
        if (status != null) {
            writer.write(Frame.exit(status));
        }
    }

    /** Runs the session's command lines one after the other, each answered by its exit status, until the client ends. */
    private void serveSession(Shell.Session opened, FrameOutputStream out, FrameOutputStream err) throws IOException {
        for (Frame frame = reader.read(ControlProtocol.MAX_COMMAND); frame != null;
                frame = reader.read(ControlProtocol.MAX_COMMAND)) {
            if (frame.type() != FrameType.COMMAND) {
                throw new ProtocolException("a " + frame + " in a session, where only command lines may come");
            }
            Integer status = execute(opened, frame.text(), out, err);
            if (status == null) {
                return;
            }
            writer.write(Frame.exit(status));
        }
    }

    /**
     * @return the command's exit status, after its result or its error went out; {@code null} if the connection was
     *         closed meanwhile (the server stopped, the client left), so nobody hears it
     */
    private Integer execute(Shell.Session opened, String line, FrameOutputStream out, FrameOutputStream err)
            throws IOException {
        try {
            String result = opened.execute(line);
            if (closed) {
                return null; // the server stopped: the command ended because its input did
            }
            if (result != null && !result.isEmpty()) {
                out.write((result + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return ControlProtocol.OK;
        } catch (Exception e) {
            if (closed) {
                return null; // interrupted by the end of the connection: nobody to tell
            }
            err.write((message(e) + "\n").getBytes(StandardCharsets.UTF_8));
            return ControlProtocol.FAILED;
        }
    }

    /** Feeds the client's input frames to the session until the client half-closes, leaves or breaks the rules. */
    private void pumpInput() {
        try {
            for (Frame frame = reader.read(ControlProtocol.MAX_DATA); frame != null;
                    frame = reader.read(ControlProtocol.MAX_DATA)) {
                if (frame.type() != FrameType.INPUT) {
                    throw new ProtocolException("a " + frame + " after the command line, where only input may come");
                }
                input.feed(frame.payload());
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "layer45: control connection input ended: {0}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            input.end();
        }
    }

    private void refuse(String reason) {
        try {
            writer.write(Frame.text(FrameType.STDERR, reason + "\n"));
            writer.write(Frame.exit(ControlProtocol.REFUSED));
        } catch (IOException e) {
            // the client has gone already
        }
    }

    /** @return an exception as the client reads it: its message, or its type when it has none */
    static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }
}
