package layer45.mnet.sockets;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.mnet.HostConnection;
import layer45.mnet.HostEndpoint;
import layer45.mnet.mhost.TranslatedFlow;
import layer45.mnet.socket.ByteRing;
import layer45.mnet.socket.PagePool;
import layer45.mnet.socket.tcp.StreamRings;
import layer45.mnet.socket.tcp.TcpConnection;
import layer45.mnet.socket.tcp.TcpHandler;
import layer45.mnet.socket.tcp.TcpState;
import layer45.mnet.socket.tcp.TcpStream;

/**
 * A program's TCP connection: the connection's handler on the loop thread, and blocking streams on the program's.
 *
 * <p>Bytes pass through a {@link ByteRing} per direction, as the relay's do. The loop moves what arrived from the
 * connection into the "in" ring as far as it has room, and what the program wrote from the "out" ring into the
 * connection as far as its send buffer has room: a full "in" ring stops the loop from reading, so TCP's window
 * toward the peer closes; a full "out" ring makes {@code write} wait. Nothing grows without bound.
 */
final class StreamConnection implements HostConnection, TcpHandler {

    private static final int RING_BYTES = 256 << 10;

    private final LoopAccess loop;
    private final ByteRing in;
    private final ByteRing out;
    private final AtomicBoolean loopScheduled = new AtomicBoolean();
    private final Runnable loopTask = this::onLoop;
    private final ReentrantLock reading = new ReentrantLock();
    private final ReentrantLock writing = new ReentrantLock();
    private final Object openLock = new Object();
    private final Input input = new Input();
    private final Output output = new Output();
    private volatile HostAddress local;
    private final HostEndpoint remote;
    private volatile TranslatedFlow choice;
    private volatile java.util.function.Consumer<StreamConnection> whenOpened;
    private volatile long readTimeoutNanos;
    private volatile long writeTimeoutNanos;
    private volatile boolean established;
    /** Why the connection ended: "closed" after both sides closed; {@code null} while it runs. */
    private volatile String endReason;
    private volatile boolean closeRequested;
    private volatile boolean abortRequested;
    private volatile boolean outputShutRequested;
    /** Set by the loop when the in ring was full while the connection had more to read. */
    private final AtomicBoolean inBlocked = new AtomicBoolean();
    /** Set by the loop when it emptied the out ring and waits for more. */
    private final AtomicBoolean outWaiting = new AtomicBoolean(true);
    // loop thread only
    private TcpStream stream;
    private boolean outputShut;
    private boolean streamClosed;

    /**
     * @param loop the stack's loop
     * @param remote the peer
     * @param pages where the rings' pages come from: they hold memory only while bytes wait in them
     */
    StreamConnection(LoopAccess loop, HostEndpoint remote, PagePool pages) {
        this.loop = loop;
        this.remote = remote;
        this.in = new ByteRing(RING_BYTES, pages);
        this.out = new ByteRing(RING_BYTES, pages);
    }

    /** @param own the stack's end, once the stack picked it */
    void local(HostAddress own) {
        this.local = own;
    }

    // -------------------------------------------------------------------------------------------------------------
    // Opening (the connector's thread)
    // -------------------------------------------------------------------------------------------------------------

    /**
     * Waits until the handshake completed or the attempt ended.
     *
     * @param nanos the longest wait
     * @return {@code true} if established; {@code false} if it ended ({@link #endReason()}) or the time passed
     */
    boolean awaitOpen(long nanos) throws InterruptedIOException {
        long deadline = System.nanoTime() + nanos;
        synchronized (openLock) {
            while (!established && endReason == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(openLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    abort();
                    throw new InterruptedIOException("interrupted while connecting to " + remote);
                }
            }
            return established;
        }
    }

    /** @param action told once the connection is handed over, on the loop thread (an accepted one: queue it) */
    void whenOpened(java.util.function.Consumer<StreamConnection> action) {
        this.whenOpened = action;
    }

    /** @return why the connection ended, or {@code null} while it runs */
    String endReason() {
        return endReason;
    }

    /** @param flow how the address was chosen */
    void choice(TranslatedFlow flow) {
        this.choice = flow;
        if (endReason != null) {
            flow.ended();
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Loop side
    // -------------------------------------------------------------------------------------------------------------

    @Override
    public void opened(TcpStream opened) {
        stream = opened;
        synchronized (openLock) {
            established = true;
            openLock.notifyAll();
        }
        java.util.function.Consumer<StreamConnection> action = whenOpened;
        boolean refused = opened instanceof TcpConnection c && c.state() == TcpState.CLOSED; // reset as it opened
        if (action != null && !refused) {
            action.accept(this);
        }
        onLoop();
    }

    @Override
    public void readable(TcpStream s) {
        pull(s);
    }

    @Override
    public void writable(TcpStream s) {
        push(s);
    }

    @Override
    public void closed(TcpStream s, String reason) {
        synchronized (openLock) {
            endReason = reason;
            openLock.notifyAll();
        }
        if (cleanEnd() && stream != null) {
            pull(stream); // what the peer sent last stays readable (TCP keeps it); the in ring ends after it
        } else {
            in.finish();
        }
        in.wakeAll();
        out.wakeAll();
        TranslatedFlow flow = choice;
        if (flow != null) {
            flow.ended();
        }
    }

    private void onLoop() {
        loopScheduled.set(false);
        TcpStream s = stream;
        if (s == null) {
            return;
        }
        if (endReason != null) {
            if (cleanEnd() && !in.finished()) {
                pull(s); // the reader freed room for the peer's last bytes
            }
            return;
        }
        if (abortRequested) {
            s.abort("aborted by the program");
            return;
        }
        push(s);
        pull(s);
    }

    /** @return whether the connection ended by both sides closing, and the program still reads */
    private boolean cleanEnd() {
        return "closed".equals(endReason) && !closeRequested && !abortRequested;
    }

    /** Moves what the peer sent into the in ring, as far as it has room; drops it once the program closed. */
    private void pull(TcpStream s) {
        if (closeRequested) {
            if (s.readable() > 0) {
                s.consume(s.readable());
            }
            return;
        }
        if (endReason != null) {
            StreamRings.fillToEnd(s, in, inBlocked); // ended cleanly: the ring ends after the last bytes
        } else {
            StreamRings.fill(s, in, inBlocked);
        }
    }

    /** Moves what the program wrote into the connection; shuts its output, and closes it, when asked. */
    private void push(TcpStream s) {
        if (StreamRings.drain(out, s, outWaiting) && !outputShut) {
            outputShut = true;
            s.shutdownOutput();
        }
        if (closeRequested && outputShut && !streamClosed) {
            streamClosed = true;
            if (s.readable() > 0) {
                s.consume(s.readable());
            }
            s.close();
        }
    }

    private void scheduleLoop() {
        if (loopScheduled.compareAndSet(false, true)) {
            loop.execute(loopTask);
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // The program's side
    // -------------------------------------------------------------------------------------------------------------

    @Override
    public HostEndpoint remote() {
        return remote;
    }

    @Override
    public HostAddress local() {
        return local;
    }

    @Override
    public Optional<HostChoice> choice() {
        TranslatedFlow flow = choice;
        return Optional.ofNullable(flow == null ? null : flow.latest());
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public void readTimeout(Duration timeout) {
        readTimeoutNanos = nanos(timeout);
    }

    @Override
    public void writeTimeout(Duration timeout) {
        writeTimeoutNanos = nanos(timeout);
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (closeRequested || endReason != null && !"closed".equals(endReason)) {
            throw ended("its output cannot be shut down");
        }
        outputShutRequested = true;
        out.finish();
        scheduleLoop();
    }

    @Override
    public boolean isOpen() {
        return !closeRequested && !abortRequested && endReason == null;
    }

    @Override
    public void abort() {
        if (abortRequested) {
            return;
        }
        abortRequested = true;
        in.wakeAll();
        out.wakeAll();
        scheduleLoop();
    }

    @Override
    public void close() {
        if (closeRequested) {
            return;
        }
        closeRequested = true;
        out.finish();
        in.wakeAll();
        out.wakeAll();
        if (loop.running()) {
            scheduleLoop();
        }
    }

    private int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        reading.lock();
        try {
            long timeout = readTimeoutNanos;
            long deadline = System.nanoTime() + timeout;
            while (true) {
                if (closeRequested || abortRequested) {
                    throw ended("it was closed here; nothing more can be read");
                }
                int views = in.peekOrEnd();
                if (views > 0) {
                    int n = 0;
                    for (int i = 0; i < views && n < len; i++) {
                        ByteBuffer view = in.views()[i];
                        int take = Math.min(view.remaining(), len - n);
                        view.get(view.position(), b, off + n, take);
                        n += take;
                    }
                    in.consume(n);
                    if (inBlocked.compareAndSet(true, false)) {
                        scheduleLoop();
                    }
                    return n;
                }
                if (views == ByteRing.END) {
                    String reason = endReason;
                    if (reason != null && !"closed".equals(reason)) {
                        throw ended("nothing more can be read");
                    }
                    return -1;
                }
                long left = deadline - System.nanoTime();
                if (timeout > 0 && left <= 0) {
                    throw new SocketTimeoutException("nothing arrived from " + remote + " within "
                            + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms (the read timeout)");
                }
                in.awaitReadable(timeout > 0 ? left : 0);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading from " + remote);
                }
            }
        } finally {
            reading.unlock();
        }
    }

    private void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        writing.lock();
        try {
            ByteBuffer src = ByteBuffer.wrap(b, off, len);
            long timeout = writeTimeoutNanos;
            long deadline = System.nanoTime() + timeout;
            while (src.hasRemaining()) {
                if (closeRequested || abortRequested || endReason != null) {
                    throw ended("nothing more can be written");
                }
                if (outputShutRequested) {
                    throw new SocketException("the output to " + remote + " was shut down; nothing more can be"
                            + " written");
                }
                if (out.write(src) > 0) {
                    if (outWaiting.compareAndSet(true, false)) {
                        scheduleLoop();
                    }
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (timeout > 0 && left <= 0) {
                    throw new SocketTimeoutException("no room to write to " + remote + " within "
                            + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms (the write timeout): it reads slower than"
                            + " this program writes; " + (len - src.remaining()) + " of " + len
                            + " bytes were taken");
                }
                out.awaitWritable(src.remaining(), timeout > 0 ? left : 0);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while writing to " + remote);
                }
            }
        } finally {
            writing.unlock();
        }
    }

    /** @return the exception for a connection that ended, saying how */
    private SocketException ended(String consequence) {
        String reason = endReason;
        String how;
        if (closeRequested || abortRequested) {
            how = "was " + (abortRequested ? "aborted" : "closed") + " by this program";
        } else if (reason == null || "closed".equals(reason)) {
            how = "was closed";
        } else {
            how = "ended: " + reason;
        }
        return new SocketException("the connection to " + remote + " " + how + "; " + consequence);
    }

    private static long nanos(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout " + timeout + " is negative; use Duration.ZERO for none");
        }
        return timeout.toNanos();
    }

    @Override
    public String toString() {
        return "connection " + local + " -> " + remote;
    }

    /** The blocking input. */
    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return StreamConnection.this.read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return StreamConnection.this.read(b, off, len);
        }

        @Override
        public int available() {
            return in.readable();
        }

        @Override
        public void close() {
            StreamConnection.this.close();
        }
    }

    /** The blocking output. */
    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            StreamConnection.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            StreamConnection.this.write(b, off, len);
        }

        @Override
        public void close() {
            StreamConnection.this.close();
        }
    }
}
