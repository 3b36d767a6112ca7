package layer45.mnet.socket.tcp;

/**
 * Decides what becomes of a connection that no listener takes: a SYN to a foreign address, or to an own address on a
 * port nobody listens on (the tun2socks pattern of gVisor's {@code tcp.Forwarder}, answered later). The SYN is held,
 * unanswered, while the relay tries the real destination; the relay then {@linkplain TcpConnectRequest#accept
 * accepts} the connection (the handshake completes with the application), {@linkplain TcpConnectRequest#refuse
 * refuses} it (RST) or reports it {@linkplain TcpConnectRequest#unreachable unreachable} (ICMP), as the real
 * destination answered. Called on the stack's loop thread, once per held SYN; must not block.
 */
@FunctionalInterface
public interface TcpForwarder {

    /**
     * @param request the held SYN; answer it from any thread, once
     * @return {@code false} to refuse at once (RST to an own address, ICMP host unreachable to a foreign one)
     */
    boolean connect(TcpConnectRequest request);
}
