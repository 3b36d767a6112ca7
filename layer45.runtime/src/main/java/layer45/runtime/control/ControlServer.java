package layer45.runtime.control;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;

import layer45.cli.protocol.ControlProtocol;
import layer45.cli.protocol.Frame;
import layer45.cli.protocol.FrameType;
import layer45.cli.protocol.FrameWriter;

/**
 * Serves the control socket: accepts connections, each on a virtual thread of its own, up to a limit, and gives a
 * connection a fixed time to send its command line. Closing it ends every connection (their sessions are closed and
 * their commands interrupted) and removes the socket file.
 */
final class ControlServer implements Closeable {

    /** How many connections are served at once; more are refused with the reason. */
    static final int MAX_CONNECTIONS = 16;

    /** How long a client has to send its command line after connecting. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger("layer45.control");

    private final SocketFile socket;
    private final Shell shell;
    private final int maxConnections;
    private final Duration requestTimeout;
    private final Semaphore slots;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(SocketFile socket, Shell shell, int maxConnections, Duration requestTimeout) {
        this.socket = socket;
        this.shell = shell;
        this.maxConnections = maxConnections;
        this.requestTimeout = requestTimeout;
        this.slots = new Semaphore(maxConnections);
        this.timer = new ScheduledThreadPoolExecutor(1,
                task -> Thread.ofPlatform().daemon().name("layer45-control-timer").unstarted(task));
        timer.setRemoveOnCancelPolicy(true);
        this.acceptor = Thread.ofPlatform().daemon().name("layer45-control").unstarted(this::acceptLoop);
    }

    /**
     * Binds the socket ({@link SocketFile#bind}) and starts serving it with the default limits.
     *
     * @param path where the socket goes, absolute
     * @param shell runs the command lines
     * @return the running server
     * @throws IOException if the socket cannot be bound; the message says why and what to do
     */
    static ControlServer start(Path path, Shell shell) throws IOException {
        return start(path, shell, MAX_CONNECTIONS, REQUEST_TIMEOUT);
    }

    /**
     * Like {@link #start(Path, Shell)}, with other limits (for tests).
     *
     * @param path where the socket goes
     * @param shell runs the command lines
     * @param maxConnections how many connections are served at once
     * @param requestTimeout how long a client has to send its command line
     * @return the running server
     * @throws IOException if the socket cannot be bound
     */
    static ControlServer start(Path path, Shell shell, int maxConnections, Duration requestTimeout)
            throws IOException {
        ControlServer server = new ControlServer(SocketFile.bind(path), shell, maxConnections, requestTimeout);
        server.acceptor.start();
        return server;
    }

    /** @return the socket's path */
    Path path() {
        return socket.path();
    }

    private void acceptLoop() {
        long failures = 0;
        while (!closed) {
            SocketChannel channel;
            try {
                channel = socket.channel().accept();
                failures = 0;
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // Out of file descriptors, say: back off rather than spin, and keep serving once it passes.
                LOG.log(failures++ == 0 ? Level.WARNING : Level.DEBUG, "layer45: control socket {0} cannot accept"
                        + " a connection: {1}", socket.path(), e.getMessage());
                pause(Math.min(1000, 10 * failures));
                continue;
            }
            if (!slots.tryAcquire()) {
                Thread.ofVirtual().name("layer45-control-busy").start(() -> refuseBusy(channel));
                continue;
            }
            serve(channel);
        }
    }

    private void serve(SocketChannel channel) {
        Connection connection = new Connection(channel, shell, this::ended, timer, requestTimeout);
        connections.add(connection);
        if (closed) {
            connection.close(); // close() may have taken its snapshot before this one was added
        }
        Thread.ofVirtual().name("layer45-control-connection").start(connection);
    }

    private void ended(Connection connection) {
        if (connections.remove(connection)) {
            slots.release();
        }
    }

    private void refuseBusy(SocketChannel channel) {
        try (channel) {
            FrameWriter writer = new FrameWriter(channel);
            writer.write(Frame.text(FrameType.STDERR, "the layer45 runtime is busy: " + maxConnections
                    + " control connections are open, the most it serves at once; try again when one has ended\n"));
            writer.write(Frame.exit(ControlProtocol.REFUSED));
        } catch (IOException e) {
            // the client has gone already
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return how many connections are being served now */
    int connections() {
        return connections.size();
    }

    /** Stops accepting, ends every connection and removes the socket file. */
    @Override
    public void close() throws IOException {
        closed = true;
        try {
            socket.close();
        } finally {
            for (Connection connection : List.copyOf(connections)) {
                connection.close();
            }
            timer.shutdownNow();
        }
    }
}
