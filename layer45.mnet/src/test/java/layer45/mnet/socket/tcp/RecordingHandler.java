package layer45.mnet.socket.tcp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection's user for tests: remembers what it was told, reads everything (unless {@link #reading} is off),
 * and writes what it is given to send as the send buffer takes it.
 */
final class RecordingHandler implements TcpHandler {

    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    /** Whether readable data is read at once. */
    boolean reading = true;
    /** Whether to close once the peer has finished and everything was read. */
    boolean closeOnFinish;
    TcpStream stream;
    boolean opened;
    String closedReason;
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private boolean finishAfterPending;

    /** @return one that leaves readable data unread, as a slow application does */
    static RecordingHandler notReading() {
        RecordingHandler h = new RecordingHandler();
        h.reading = false;
        return h;
    }

    @Override
    public void opened(TcpStream c) {
        stream = c;
        opened = true;
        events.add("opened");
        flushPending(c);
    }

    @Override
    public void readable(TcpStream c) {
        events.add("readable");
        if (reading) {
            drain(c);
        }
    }

    @Override
    public void writable(TcpStream c) {
        flushPending(c);
    }

    @Override
    public void closed(TcpStream c, String reason) {
        events.add("closed: " + reason);
        closedReason = reason;
    }

    /** Reads everything readable now. */
    void drain(TcpStream c) {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (c.readable() > 0) {
            buf.clear();
            int n = c.read(buf);
            received.write(buf.array(), 0, n);
        }
        if (closeOnFinish && c.finished()) {
            c.close();
        }
    }

    /** Queues bytes to send, now as far as the send buffer takes them and the rest as room appears. */
    void send(byte[] data) {
        ByteBuffer more = ByteBuffer.allocate(pending.remaining() + data.length);
        more.put(pending).put(data).flip();
        pending = more;
        if (stream != null) {
            flushPending(stream);
        }
    }

    /** Finishes sending once everything queued by {@link #send} is written. */
    void finish() {
        finishAfterPending = true;
        if (stream != null) {
            flushPending(stream);
        }
    }

    /** @return bytes given to {@link #send} and not yet taken by the connection */
    int unsent() {
        return pending.remaining();
    }

    private void flushPending(TcpStream c) {
        while (pending.hasRemaining() && c.write(pending) > 0) {
            // the connection takes what fits
        }
        if (finishAfterPending && !pending.hasRemaining()) {
            finishAfterPending = false;
            c.shutdownOutput();
        }
    }

    byte[] bytes() {
        return received.toByteArray();
    }
}
