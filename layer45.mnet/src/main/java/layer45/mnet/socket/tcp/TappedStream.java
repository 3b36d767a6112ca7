package layer45.mnet.socket.tcp;

import java.nio.ByteBuffer;

import layer45.api.spi.ChunkResult;
import layer45.api.spi.ChunkSink;
import layer45.api.spi.Direction;
import layer45.api.spi.Outcome;
import layer45.api.spi.TappedFlow;

/**
 * A TCP connection seen through the customization chain: what its user (a service, the relay) reads has gone through
 * the chain in the {@link Direction#SEND} direction (the application in the namespace sent it), and what the user
 * writes goes through {@link Direction#RECV} before it is queued toward the application. When the user is the
 * application itself (a socket of a program in the runtime), the directions are the other way round.
 *
 * <p>Flow control stays end to end: a chunk is taken from the connection only when the user reads, and the user may
 * write only what the connection can queue, so a slow reader on either side still closes TCP's window rather than
 * growing memory here. What a module adds beyond that (a tag longer than the input) waits in a small overflow
 * buffer, and nothing more is read or accepted until it has drained. A FIN passes the chain as its end of stream, so
 * a module holding bytes gives them back before the stream ends. A chunk the chain aborts resets the connection.
 *
 * <p>It is the connection's handler and the user's stream at once. Loop thread only; the chain's input is the
 * layer's shared scratch buffer, so nothing is allocated per chunk.
 */
final class TappedStream implements TcpStream, TcpHandler {

    /** The most bytes a module's output may run ahead of what the other side takes. */
    private static final int OVERFLOW_LIMIT = 4 << 20;

    private final TcpConnection connection;
    private final TappedFlow flow;
    private final TcpHandler user;
    private final ByteBuffer input;
    private final ByteBuffer discard;
    private final Overflow toUser = new Overflow();
    private final Overflow toApplication = new Overflow();
    private final ChunkSink userSink = this::deliverToUser;
    private final ChunkSink applicationSink = this::deliverToApplication;
    /** The direction of what the user reads from the connection: SEND, or RECV when the user is the application. */
    private final Direction fromConnection;
    private final Direction toConnection;
    private ByteBuffer userTarget;
    private int delivered;
    private boolean sendEnded;
    private boolean recvEnded;
    private boolean shutdownPending;
    private boolean closed;
    /**
     * Set when the connection closed cleanly while the peer's last bytes waited to be read: the chain stays open
     * until the user has read them (TCP keeps them readable after CLOSED, as a kernel socket does).
     */
    private boolean closingAfterRead;

    /**
     * @param connection the connection
     * @param flow its flow in the customization runtime
     * @param user the service or relay that reads and writes it
     * @param input the layer's scratch for the chain's input
     * @param discard the layer's scratch for bytes a user consumes unread
     */
    TappedStream(TcpConnection connection, TappedFlow flow, TcpHandler user, ByteBuffer input, ByteBuffer discard) {
        this.connection = connection;
        this.flow = flow;
        this.user = user;
        this.input = input;
        this.discard = discard;
        this.fromConnection = connection.applicationInStack ? Direction.RECV : Direction.SEND;
        this.toConnection = connection.applicationInStack ? Direction.SEND : Direction.RECV;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The user's stream
    // ---------------------------------------------------------------------------------------------------------

    @Override
    public long id() {
        return connection.id();
    }

    /** @return the flow's identifier in the customization runtime */
    long flowId() {
        return flow.id();
    }

    @Override
    public int readable() {
        return toUser.size() + connection.readable();
    }

    @Override
    public int read(ByteBuffer dst) {
        int n = toUser.drainTo(dst);
        if (!dst.hasRemaining() || toUser.size() > 0 || closed) {
            return n;
        }
        int chunk = Math.min(connection.readable(), input.capacity());
        if (chunk > 0) {
            connection.peek(0, input, 0, chunk);
            input.limit(chunk).position(0);
            userTarget = dst;
            delivered = 0;
            ChunkResult result = flow.process(fromConnection, input, userSink);
            userTarget = null;
            input.clear();
            n += delivered;
            if (aborted(result)) {
                return n;
            }
            connection.consume(chunk);
        }
        if (connection.finished() && !sendEnded) {
            endSend(dst);
            n += delivered;
        }
        closeFlowOnceRead();
        return n;
    }

    @Override
    public void consume(int n) {
        // The chain still sees every byte: a module may count or hold them even if the user throws them away.
        for (int left = n, rounds = 0; left > 0 && readable() > 0 && rounds < 1 << 20; rounds++) {
            int before = readable();
            discard.clear();
            read(discard);
            left -= Math.max(1, before - readable());
        }
        discard.clear();
    }

    @Override
    public boolean finished() {
        if (connection.finished() && !sendEnded) {
            endSend(null);
        }
        boolean finished = sendEnded && toUser.size() == 0 && connection.finished();
        closeFlowOnceRead();
        return finished;
    }

    private void endSend(ByteBuffer dst) {
        sendEnded = true;
        userTarget = dst;
        delivered = 0;
        ChunkResult result = flow.endOfStream(fromConnection, userSink);
        userTarget = null;
        if (!aborted(result) && toUser.size() > 0) {
            connection.tellReadableAgain(); // the chain's last bytes wait for the user's next read
        }
    }

    @Override
    public int writable() {
        return toApplication.size() == 0 && !recvEnded ? Math.min(connection.writable(), input.capacity()) : 0;
    }

    @Override
    public int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), writable());
        if (n <= 0) {
            return 0;
        }
        int start = src.position();
        int limit = src.limit();
        src.limit(start + n);
        ChunkResult result = flow.process(toConnection, src, applicationSink);
        src.limit(limit).position(start + n);
        aborted(result);
        return n;
    }

    @Override
    public void shutdownOutput() {
        if (recvEnded || closed) {
            return;
        }
        recvEnded = true;
        ChunkResult result = flow.endOfStream(toConnection, applicationSink);
        if (aborted(result)) {
            return;
        }
        if (toApplication.size() == 0) {
            connection.shutdownOutput();
        } else {
            shutdownPending = true;
        }
    }

    @Override
    public void close() {
        shutdownOutput();
        if (!shutdownPending) {
            connection.close();
        }
    }

    @Override
    public void abort(String reason) {
        connection.abort(reason);
    }

    private boolean aborted(ChunkResult result) {
        if (result.outcome() != Outcome.ABORTED) {
            return false;
        }
        connection.abort("aborted by its customization: " + result.abortReason());
        if (closingAfterRead) {
            closeFlow(); // the connection is gone already: nothing more to read through the chain
        }
        return true;
    }

    private void deliverToUser(ByteBuffer bytes) {
        int start = bytes.position();
        if (userTarget != null && userTarget.hasRemaining()) {
            int n = Math.min(bytes.remaining(), userTarget.remaining());
            userTarget.put(userTarget.position(), bytes, start, n);
            userTarget.position(userTarget.position() + n);
            delivered += n;
            bytes.position(start + n);
        }
        if (bytes.hasRemaining() && !toUser.append(bytes)) {
            connection.abort("its customizations' output ran " + OVERFLOW_LIMIT + " bytes ahead of the reader");
        }
        bytes.position(start);
    }

    private void deliverToApplication(ByteBuffer bytes) {
        int start = bytes.position();
        if (toApplication.size() == 0) {
            connection.write(bytes);
        }
        if (bytes.hasRemaining() && !toApplication.append(bytes)) {
            connection.abort("its customizations' output ran " + OVERFLOW_LIMIT + " bytes ahead of the application");
        }
        bytes.position(start);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The connection's handler
    // ---------------------------------------------------------------------------------------------------------

    @Override
    public void opened(TcpStream stream) {
        user.opened(this);
    }

    @Override
    public void readable(TcpStream stream) {
        user.readable(this);
    }

    @Override
    public void writable(TcpStream stream) {
        toApplication.drainTo(connection);
        if (toApplication.size() > 0) {
            return;
        }
        if (shutdownPending) {
            shutdownPending = false;
            connection.shutdownOutput();
        }
        user.writable(this);
    }

    @Override
    public void closed(TcpStream stream, String reason) {
        toApplication.release();
        if ("closed".equals(reason) && !allRead()) {
            closingAfterRead = true;
        } else {
            closeFlow();
        }
        user.closed(this, reason);
    }

    private boolean allRead() {
        return sendEnded && toUser.size() == 0 && connection.readable() == 0;
    }

    /** Closes the chain once the user read what arrived before a clean close. */
    private void closeFlowOnceRead() {
        if (closingAfterRead && allRead()) {
            closeFlow();
        }
    }

    private void closeFlow() {
        if (!closed) {
            closed = true;
            closingAfterRead = false;
            flow.close();
            toUser.release();
        }
    }

    /** Bytes the chain produced beyond what their destination took; allocated only when a module expands. */
    private static final class Overflow {

        private ByteBuffer bytes;

        int size() {
            return bytes == null ? 0 : bytes.position();
        }

        /** @return false if the bytes would pass the limit (nothing is added then) */
        boolean append(ByteBuffer more) {
            int needed = size() + more.remaining();
            if (needed > OVERFLOW_LIMIT) {
                return false;
            }
            if (bytes == null || bytes.capacity() < needed) {
                ByteBuffer grown = ByteBuffer.allocateDirect(Math.min(OVERFLOW_LIMIT,
                        Math.max(needed, bytes == null ? 16384 : 2 * bytes.capacity())));
                if (bytes != null) {
                    grown.put(bytes.flip());
                }
                bytes = grown;
            }
            bytes.put(bytes.position(), more, more.position(), more.remaining());
            bytes.position(bytes.position() + more.remaining());
            return true;
        }

        int drainTo(ByteBuffer dst) {
            if (size() == 0) {
                return 0;
            }
            bytes.flip();
            int n = Math.min(bytes.remaining(), dst.remaining());
            dst.put(dst.position(), bytes, 0, n);
            dst.position(dst.position() + n);
            bytes.position(n);
            bytes.compact();
            return n;
        }

        void drainTo(TcpConnection connection) {
            if (size() == 0) {
                return;
            }
            bytes.flip();
            connection.write(bytes);
            bytes.compact();
        }

        void clear() {
            if (bytes != null) {
                bytes.clear();
            }
        }

        void release() {
            bytes = null;
        }
    }
}
