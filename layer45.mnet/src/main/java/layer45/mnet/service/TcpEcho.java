package layer45.mnet.service;

import java.nio.ByteBuffer;

import layer45.mnet.socket.tcp.TcpAcceptor;
import layer45.mnet.socket.tcp.TcpConnection;
import layer45.mnet.socket.tcp.TcpHandler;
import layer45.mnet.socket.tcp.TcpStream;

/**
 * TCP echo (RFC 862): sends back every byte it reads, and finishes when the peer has finished and everything was
 * echoed. It reads only what it can write back, so a peer that does not read its echo is slowed down by TCP's flow
 * control rather than by memory growing here.
 */
public final class TcpEcho implements TcpAcceptor {

    private final ByteBuffer scratch;

    /** @param chunk bytes moved per step, 64 KiB is plenty */
    public TcpEcho(int chunk) {
        this.scratch = ByteBuffer.allocateDirect(chunk);
    }

    @Override
    public TcpHandler accept(TcpConnection connection) {
        return new Handler();
    }

    private final class Handler implements TcpHandler {

        @Override
        public void readable(TcpStream c) {
            pump(c);
        }

        @Override
        public void writable(TcpStream c) {
            pump(c);
        }

        private void pump(TcpStream c) {
            while (true) {
                // As much as can be written back, not only what readable() says: a customization may hand over more
                // than it was given, and one read then echoes it in one piece.
                int n = Math.min(c.writable(), scratch.capacity());
                if (n <= 0 || c.readable() == 0) {
                    break;
                }
                scratch.clear().limit(n);
                if (c.read(scratch) == 0) {
                    break;
                }
                scratch.flip();
                c.write(scratch);
            }
            if (c.finished()) {
                c.shutdownOutput();
            }
        }

        @Override
        public void closed(TcpStream c, String reason) {
        }
    }
}
