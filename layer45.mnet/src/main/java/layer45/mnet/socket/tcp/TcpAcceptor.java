package layer45.mnet.socket.tcp;

/** Decides what serves a connection a listener has accepted. Loop thread. */
@FunctionalInterface
public interface TcpAcceptor {

    /**
     * @param connection an established connection
     * @return who hears about it from now on, or {@code null} to refuse it (it is reset)
     */
    TcpHandler accept(TcpConnection connection);
}
