package layer45.mnet.service;

import java.nio.ByteBuffer;

import layer45.mnet.socket.tcp.TcpAcceptor;
import layer45.mnet.socket.tcp.TcpConnection;
import layer45.mnet.socket.tcp.TcpHandler;
import layer45.mnet.socket.tcp.TcpStream;

/**
 * A bulk source, like character generator (RFC 864) without its lines: sends a repeating pattern for as long as
 * the connection lasts, as fast as the peer takes it, and reads and forgets whatever the peer sends. When the peer
 * finishes, it finishes too. The fastest producer there is: what a bulk receiver measures against it is the stack.
 *
 * <p>The pattern is 64 KiB of bytes {@code i * 31 + (i >> 8)} modulo 256 ({@link TcpFixedReply#patternBody}),
 * repeated; a connection writes it from where it left off, so a receiver can check the stream at any offset.
 */
public final class TcpSource implements TcpAcceptor {

    /** The pattern's length: a power of two, so a position in the stream is a position in the pattern. */
    static final int PATTERN = 65536;

    private final ByteBuffer pattern;

    /** A source of the standard pattern. */
    public TcpSource() {
        ByteBuffer all = ByteBuffer.allocateDirect(PATTERN);
        all.put(TcpFixedReply.patternBody(PATTERN)).flip();
        this.pattern = all.asReadOnlyBuffer();
    }

    @Override
    public TcpHandler accept(TcpConnection connection) {
        return new Handler(pattern.duplicate());
    }

    private static final class Handler implements TcpHandler {

        private final ByteBuffer left;
        private boolean done;

        Handler(ByteBuffer pattern) {
            this.left = pattern;
        }

        @Override
        public void opened(TcpStream c) {
            writable(c);
        }

        @Override
        public void readable(TcpStream c) {
            c.consume(c.readable());
            if (c.finished() && !done) {
                done = true;
                c.shutdownOutput();
            }
        }

        @Override
        public void writable(TcpStream c) {
            while (!done && c.writable() > 0) {
                if (!left.hasRemaining()) {
                    left.clear();
                }
                if (c.write(left) == 0) {
                    break;
                }
            }
        }

        @Override
        public void closed(TcpStream c, String reason) {
            done = true;
        }
    }
}
