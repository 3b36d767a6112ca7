package layer45.mnet.service;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import layer45.mnet.socket.tcp.TcpAcceptor;
import layer45.mnet.socket.tcp.TcpConnection;
import layer45.mnet.socket.tcp.TcpHandler;
import layer45.mnet.socket.tcp.TcpStream;

/**
 * Answers every connection with the same bytes once it has read a request, then finishes: an HTTP/1.0 server with one
 * page, for {@code curl}. The body is a seeded pattern of a configured size, so a client can check it byte for byte.
 * Reading waits for the end of the request's headers (an empty line), or for the peer to finish.
 */
public final class TcpFixedReply implements TcpAcceptor {

    private final ByteBuffer reply;

    /** @param body the body to serve */
    public TcpFixedReply(byte[] body) {
        byte[] head = ("HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer all = ByteBuffer.allocateDirect(head.length + body.length);
        all.put(head).put(body).flip();
        this.reply = all.asReadOnlyBuffer();
    }

    /**
     * @param size the body's size in bytes
     * @return the body {@link #TcpFixedReply(byte[])} serves for a size: bytes {@code i * 31 + (i >> 8)} modulo 256
     */
    public static byte[] patternBody(int size) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) (i * 31 + (i >> 8));
        }
        return body;
    }

    @Override
    public TcpHandler accept(TcpConnection connection) {
        return new Handler(reply.duplicate());
    }

    private static final class Handler implements TcpHandler {

        private final ByteBuffer left;
        private final ByteBuffer scratch = ByteBuffer.allocate(4096);
        /** The last four bytes read, to spot the empty line that ends the request's headers. */
        private int tail;
        private boolean answering;

        Handler(ByteBuffer reply) {
            this.left = reply;
        }

        @Override
        public void readable(TcpStream c) {
            while (c.readable() > 0) {
                scratch.clear();
                int n = c.read(scratch);
                for (int i = 0; i < n && !answering; i++) {
                    tail = tail << 8 | scratch.get(i) & 0xFF;
                    answering = tail == 0x0D0A0D0A || (tail & 0xFFFF) == 0x0A0A;
                }
            }
            if (c.finished()) {
                answering = true;
            }
            writable(c);
        }

        @Override
        public void writable(TcpStream c) {
            if (!answering) {
                return;
            }
            c.write(left);
            if (!left.hasRemaining()) {
                c.shutdownOutput();
            }
        }

        @Override
        public void closed(TcpStream c, String reason) {
        }
    }
}
