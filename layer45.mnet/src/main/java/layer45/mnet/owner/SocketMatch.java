package layer45.mnet.owner;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks, among the sockets a port-filtered dump listed, the one the kernel gives a flow's packets to, by the rules
 * of its own lookup: a connected socket whose peer is the flow's beats one bound to the flow's address, which beats
 * one bound to every address. Used only when the exact lookup found nothing (a socket bound to a device with
 * {@code SO_BINDTODEVICE}, which a lookup without the interface misses).
 */
final class SocketMatch {

    /**
     * What the choice came to.
     *
     * @param socket the socket, or {@code null}
     * @param candidates how many sockets shared the best score (more than 1: no socket is chosen)
     */
    record Choice(DiagSocket socket, int candidates) {
    }

    private SocketMatch() {
    }

    /**
     * @param sockets the dump's sockets
     * @param connection true for a TCP connection (only a socket whose peer is the flow's qualifies), false for
     *        UDP (connected or not) or a TCP listening socket (only listening sockets qualify)
     * @param listener true to look for the TCP listening socket of the flow's local address and port
     * @param app the program's side of the flow
     * @param peer the other side
     * @return the socket with the best score if it is the only one with it
     */
    static Choice best(List<DiagSocket> sockets, boolean connection, boolean listener, InetSocketAddress app,
            InetSocketAddress peer) {
        List<DiagSocket> best = new ArrayList<>();
        int bestScore = -1;
        for (DiagSocket socket : sockets) {
            if (listener != (socket.state() == DiagSocket.LISTEN)) {
                continue;
            }
            int score = score(socket, connection, app, peer);
            if (score > bestScore) {
                best.clear();
                bestScore = score;
            }
            if (score >= 0 && score == bestScore) {
                best.add(socket);
            }
        }
        return new Choice(best.size() == 1 ? best.getFirst() : null, best.size());
    }

    /** @return 0 to 3, higher for a closer match; -1 when the socket cannot receive the flow */
    static int score(DiagSocket socket, boolean connection, InetSocketAddress app, InetSocketAddress peer) {
        if (socket.local().getPort() != app.getPort()) {
            return -1;
        }
        boolean v4Flow = app.getAddress() instanceof Inet4Address;
        int local;
        if (socket.local().getAddress().equals(app.getAddress())) {
            local = 1;
        } else if (socket.wildcard() && acceptsFamily(socket, v4Flow)) {
            local = 0;
        } else {
            return -1;
        }
        int remote;
        if (socket.remote().equals(peer)) {
            remote = 2;
        } else if (socket.unconnected() && !connection) {
            remote = 0;
        } else {
            return -1;
        }
        return remote + local;
    }

    /** A wildcard IPv4 socket takes only IPv4; an IPv6 one takes IPv4 too unless it is IPv6-only. */
    private static boolean acceptsFamily(DiagSocket socket, boolean v4Flow) {
        if (socket.family() == DiagRequest.AF_INET) {
            return v4Flow;
        }
        return !v4Flow || socket.v6Only() != 1;
    }
}
