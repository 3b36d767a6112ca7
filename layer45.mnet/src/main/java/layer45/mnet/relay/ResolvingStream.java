package layer45.mnet.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.LinkedBlockingQueue;
import layer45.mnet.mhost.NameService;
import layer45.mnet.wire.DnsResponse;

/**
 * DNS over TCP to the stack's own address (RFC 1035, section 4.2.2; RFC 7766): each message the program sends is
 * answered by the {@link NameService} when it asks for a host identifier, and otherwise sent to the upstream
 * resolver over a connection opened at the first such message. Answers and upstream messages reach the program
 * whole, in the order they are ready.
 */
final class ResolvingStream implements HostStream {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    /** A DNS message with its length: the most a frame can be. */
    private static final int MAX_FRAME = 2 + 65535;

    private final NameService names;
    private final HostConnector upstream;
    /** Whole messages for the program, with their lengths, then {@link #END}. */
    private final LinkedBlockingQueue<ByteBuffer> toProgram = new LinkedBlockingQueue<>();
    /** What the program sent that is not a whole message yet; writer thread only. */
    private ByteBuffer partial;
    private ByteBuffer answer;
    /** The message being read by the program; reader thread only. */
    private ByteBuffer reading;
    private volatile HostStream upstreamStream;
    private volatile boolean closed;
    private boolean upstreamFailed;

    /**
     * @param names the name service
     * @param upstream connects to the upstream resolver, or {@code null} when there is none
     */
    ResolvingStream(NameService names, HostConnector upstream) {
        this.names = names;
        this.upstream = upstream;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        if (reading == null || !reading.hasRemaining()) {
            try {
                reading = toProgram.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted waiting for DNS answers");
            }
            if (reading == END) {
                toProgram.offer(END); // stays at the end for any later read
                return -1;
            }
        }
        int n = Math.min(into.remaining(), reading.remaining());
        into.put(into.position(), reading, reading.position(), n);
        into.position(into.position() + n);
        reading.position(reading.position() + n);
        return n;
    }

    @Override
    public void write(ByteBuffer from) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (partial == null) {
            partial = ByteBuffer.allocate(MAX_FRAME);
            answer = ByteBuffer.allocate(2 + DnsResponse.MAX_LENGTH);
        }
        while (from.hasRemaining()) {
            int n = Math.min(from.remaining(), partial.remaining());
            partial.put(partial.position(), from, from.position(), n);
            partial.position(partial.position() + n);
            from.position(from.position() + n);
            takeMessages();
        }
    }

    /** Handles every whole message at the start of {@link #partial}, keeping the rest. */
    private void takeMessages() throws IOException {
        partial.flip();
        while (partial.remaining() >= 2 && partial.remaining() >= 2 + (partial.getShort(partial.position()) & 0xFFFF)) {
            int length = partial.getShort(partial.position()) & 0xFFFF;
            ByteBuffer message = partial.slice(partial.position() + 2, length);
            answer.clear().position(2);
            NameService.Outcome outcome = names.answer(message, answer);
            if (outcome == NameService.Outcome.ANSWERED) {
                queue(answer);
            } else {
                toUpstream(partial.slice(partial.position(), 2 + length));
            }
            partial.position(partial.position() + 2 + length);
        }
        partial.compact();
    }

    /** Sends one message, with its length, upstream; or answers it REFUSED or SERVFAIL when that cannot be. */
    private void toUpstream(ByteBuffer frame) throws IOException {
        HostStream stream = upstreamStream;
        if (stream == null && upstream != null && !upstreamFailed) {
            try {
                stream = upstream.connect(opened -> {
                    upstreamStream = opened; // so that closing this closes the attempt too
                    return !closed;
                });
                HostStream reader = stream;
                Thread.ofVirtual().name("layer45-relay-dns-upstream").start(() -> pump(reader));
            } catch (IOException e) {
                upstreamStream = null;
                upstreamFailed = true;
                LOG.log(System.Logger.Level.DEBUG, "mnet:relay: DNS over TCP upstream: " + e.getMessage());
            }
        }
        answer.clear().position(2);
        if (stream != null) {
            names.relayed();
            stream.write(frame);
        } else if (upstream == null ? names.refuse(answer) : names.serverFailure(answer)) {
            queue(answer);
        }
    }

    /** Queues a response written from index 2 of {@code buffer}, with its length in front. */
    private void queue(ByteBuffer buffer) {
        int length = buffer.position() - 2;
        ByteBuffer frame = ByteBuffer.allocate(2 + length);
        frame.putShort((short) length).put(buffer.flip().position(2)).flip();
        toProgram.add(frame);
    }

    /** Upstream reader: copies the upstream's messages, whole, toward the program. */
    private void pump(HostStream stream) {
        ByteBuffer in = ByteBuffer.allocate(MAX_FRAME);
        try {
            while (stream.read(in) >= 0) {
                in.flip();
                while (in.remaining() >= 2 && in.remaining() >= 2 + (in.getShort(in.position()) & 0xFFFF)) {
                    int frameLength = 2 + (in.getShort(in.position()) & 0xFFFF);
                    ByteBuffer frame = ByteBuffer.allocate(frameLength);
                    frame.put(0, in, in.position(), frameLength);
                    toProgram.add(frame);
                    in.position(in.position() + frameLength);
                }
                in.compact();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "mnet:relay: DNS over TCP upstream ended: " + e.getMessage());
        } finally {
            toProgram.add(END);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        HostStream stream = upstreamStream;
        if (stream != null) {
            stream.shutdownOutput(); // the upstream's end ends the program's stream
        } else {
            toProgram.add(END);
        }
    }

    @Override
    public void reset() {
        HostStream stream = upstreamStream;
        if (stream != null) {
            stream.reset();
        }
        close();
    }

    @Override
    public void close() {
        closed = true;
        HostStream stream = upstreamStream;
        if (stream != null) {
            stream.close();
        }
        toProgram.add(END);
    }

    @Override
    public String toString() {
        return "the stack's name service";
    }
}
