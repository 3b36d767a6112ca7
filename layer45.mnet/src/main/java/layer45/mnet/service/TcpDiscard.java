package layer45.mnet.service;

import layer45.mnet.socket.tcp.TcpAcceptor;
import layer45.mnet.socket.tcp.TcpConnection;
import layer45.mnet.socket.tcp.TcpHandler;
import layer45.mnet.socket.tcp.TcpStream;

/**
 * TCP discard (RFC 863): reads and forgets everything, and finishes when the peer has. The fastest consumer there is:
 * what a bulk sender measures against it is the stack.
 */
public final class TcpDiscard implements TcpAcceptor, TcpHandler {

    @Override
    public TcpHandler accept(TcpConnection connection) {
        return this; // no state per connection
    }

    @Override
    public void readable(TcpStream c) {
        c.consume(c.readable());
        if (c.finished()) {
            c.shutdownOutput();
        }
    }

    @Override
    public void closed(TcpStream c, String reason) {
    }
}
