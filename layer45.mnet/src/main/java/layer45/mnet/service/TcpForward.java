package layer45.mnet.service;

import java.nio.ByteBuffer;

import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.socket.tcp.TcpAcceptor;
import layer45.mnet.socket.tcp.TcpConnection;
import layer45.mnet.socket.tcp.TcpHandler;
import layer45.mnet.socket.tcp.TcpStream;
import layer45.mnet.socket.tcp.TcpLayer;

/**
 * Splices each accepted connection to a new connection the stack opens toward a fixed destination: a port forward
 * inside the stack, so both of TCP's roles (passive and active open) face the same peer. Bytes move only as fast as
 * the slower side takes them; a finish is passed on once everything before it was; a reset on either side resets
 * the other.
 */
public final class TcpForward implements TcpAcceptor {

    private final TcpLayer tcp;
    private final NetworkLayer network;
    private final long high;
    private final long low;
    private final int port;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(65536);

    /**
     * @param tcp the TCP layer that opens the outgoing connections
     * @param network the network layer toward the destination
     * @param high the destination's high 64 bits
     * @param low its low 64 bits
     * @param port its port
     */
    public TcpForward(TcpLayer tcp, NetworkLayer network, long high, long low, int port) {
        this.tcp = tcp;
        this.network = network;
        this.high = high;
        this.low = low;
        this.port = port;
    }

    @Override
    public TcpHandler accept(TcpConnection incoming) {
        Side in = new Side();
        Side out = new Side();
        in.other = out;
        out.other = in;
        try {
            out.pending = tcp.connect(network, high, low, port, out);
        } catch (IllegalStateException e) {
            return null; // refused: the accepted connection is reset
        }
        return in;
    }

    /** One end of a splice; moves what it reads to the other end. */
    private final class Side implements TcpHandler {

        /** The stream, once open. */
        TcpStream connection;
        /** The outgoing connection while it opens, to reset it if the other side goes first. */
        TcpConnection pending;
        Side other;
        boolean open;
        boolean done;

        @Override
        public void opened(TcpStream c) {
            connection = c;
            pending = null;
            open = true;
            other.pump(); // what the other end read while this one was opening
        }

        @Override
        public void readable(TcpStream c) {
            pump();
        }

        @Override
        public void writable(TcpStream c) {
            other.pump();
        }

        /** Moves this end's received bytes to the other end, as far as it takes them. */
        void pump() {
            if (!open || !other.open || done) {
                return;
            }
            TcpStream from = connection;
            TcpStream to = other.connection;
            while (true) {
                int n = Math.min(Math.min(from.readable(), to.writable()), scratch.capacity());
                if (n <= 0) {
                    break;
                }
                scratch.clear().limit(n);
                from.read(scratch);
                scratch.flip();
                to.write(scratch);
            }
            if (from.finished()) {
                done = true;
                to.shutdownOutput();
            }
        }

        @Override
        public void closed(TcpStream c, String reason) {
            done = true;
            if (!"closed".equals(reason)) {
                TcpStream peer = other.connection != null ? other.connection : other.pending;
                if (peer != null) {
                    peer.abort("the other side of the forward: " + reason);
                }
            }
        }
    }
}
