package layer45.mnet.owner;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One socket as sock_diag describes it ({@code struct inet_diag_msg}). An IPv6 socket's IPv4-mapped addresses
 * (a dual-stack program talking IPv4) come as IPv4 addresses.
 *
 * @param family {@code AF_INET} or {@code AF_INET6} of the socket itself
 * @param state its TCP state number ({@code include/net/tcp_states.h}); UDP uses 1 when connected and 7 otherwise
 * @param local its own address and port
 * @param remote its peer's, or the unspecified address and port 0 when it has none
 * @param uid the user that owns it
 * @param inode its inode number, the {@code N} of {@code socket:[N]} in {@code /proc/PID/fd}; 0 when no program
 *        holds it (a TCP connection not accepted yet, or closed and lingering)
 * @param v6Only 1 or 0 for an IPv6 socket that is listening or unconnected ({@code IPV6_V6ONLY}); -1 when the
 *        kernel did not say
 */
record DiagSocket(int family, int state, InetSocketAddress local, InetSocketAddress remote, int uid, long inode,
        int v6Only) {

    static final int ESTABLISHED = 1;
    static final int SYN_RECV = 3;
    static final int CLOSE = 7;
    static final int CLOSE_WAIT = 8;
    static final int LISTEN = 10;
    static final int NEW_SYN_RECV = 12;

    private static final String[] STATE_NAMES = {"UNKNOWN", "ESTABLISHED", "SYN-SENT", "SYN-RECEIVED",
        "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "CLOSED", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
        "NEW-SYN-RECEIVED"};

    /** @return the state's RFC 9293 name, or {@code state N} for a number the kernel does not define */
    String stateName() {
        return state > 0 && state < STATE_NAMES.length ? STATE_NAMES[state] : "state " + state;
    }

    /**
     * @return whether this TCP socket is a connection the kernel holds for a listening socket until the program
     *         accepts it: no inode yet, and still open
     */
    boolean awaitsAccept() {
        return inode == 0 && (state == ESTABLISHED || state == SYN_RECV || state == CLOSE_WAIT
                || state == NEW_SYN_RECV);
    }

    /** @return whether it has no peer: a listening or unconnected socket */
    boolean unconnected() {
        return remote.getPort() == 0 && remote.getAddress().isAnyLocalAddress();
    }

    /** @return whether its local address is the unspecified one (bound to every address) */
    boolean wildcard() {
        InetAddress address = local.getAddress();
        return address.isAnyLocalAddress();
    }

    @Override
    public String toString() {
        return (family == DiagRequest.AF_INET ? "inet " : "inet6 ") + stateName() + " " + local + " -> " + remote
                + " inode " + inode + " uid " + Integer.toUnsignedString(uid);
    }
}
