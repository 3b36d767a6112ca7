package layer45.mnet.owner;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A scripted sock_diag kernel behind {@link SockDiag.Channel}: it decodes each request, answers exact lookups the
 * way the kernel's lookups do (TCP in the natural order, UDP with the peer first) and dumps filtered by port, from
 * a list of sockets. Faults can be scripted: a reply of given bytes, no reply, a failing send or open.
 */
final class FakeKernel implements SockDiag.Opener {

    final List<DiagSocket> sockets = new ArrayList<>();
    /** Sockets bound to a device: listed by dumps, missed by exact lookups. */
    final Set<DiagSocket> boundToDevice = new HashSet<>();
    private final Set<DiagSocket> tcpSockets = new HashSet<>();
    /** Replies to send instead of the real one, one per request, given the request's sequence number. */
    final Deque<IntFunction<byte[]>> scripted = new ArrayDeque<>();
    int opens;
    int openAttempts;
    int closes;
    int requests;
    int dumps;
    boolean failOpen;
    boolean failSend;

    private final Deque<byte[]> queued = new ArrayDeque<>();

    @Override
    public SockDiag.Channel open() throws IOException {
        openAttempts++;
        if (failOpen) {
            throw new IOException("cannot enter network namespace /run/netns/fake (setns): Operation not permitted");
        }
        opens++;
        queued.clear();
        return new SockDiag.Channel() {
            @Override
            public void send(ByteBuffer request) throws IOException {
                if (failSend) {
                    throw new IOException("netlink request failed: Bad file descriptor (EBADF)");
                }
                requests++;
                answer(request.duplicate().order(ByteOrder.nativeOrder()));
            }

            @Override
            public int receive(ByteBuffer into, long timeoutNanos) {
                byte[] datagram = queued.poll();
                if (datagram == null) {
                    return 0;
                }
                into.put(datagram, 0, Math.min(datagram.length, into.remaining()));
                return datagram.length;
            }

            @Override
            public int drain(int limit) {
                int drained = Math.min(limit, queued.size());
                for (int i = 0; i < drained; i++) {
                    queued.poll();
                }
                return drained;
            }

            @Override
            public void close() {
                closes++;
                queued.clear();
            }
        };
    }

    private void answer(ByteBuffer request) {
        int sequence = request.getInt(8);
        if (!scripted.isEmpty()) {
            byte[] reply = scripted.poll().apply(sequence);
            if (reply != null) {
                queued.add(reply);
            }
            return;
        }
        boolean dump = (request.getShort(6) & DiagRequest.NLM_F_DUMP) != 0;
        int at = DiagRequest.NLMSG_HDRLEN;
        int family = request.get(at);
        boolean tcp = request.get(at + 1) == DiagRequest.IPPROTO_TCP;
        if (dump) {
            dumps++;
            answerDump(request, sequence, family, tcp);
            return;
        }
        InetSocketAddress src = endpoint(request, at + 12, at + 8, family);
        InetSocketAddress dst = endpoint(request, at + 28, at + 10, family);
        DiagSocket found = tcp ? tcpLookup(src, dst) : udpLookup(dst, src);
        queued.add(found == null ? new DiagMessages().error(sequence, 2).bytes()
                : new DiagMessages().socket(sequence, found).bytes());
    }

    private void answerDump(ByteBuffer request, int sequence, int family, boolean tcp) {
        int program = DiagRequest.NLMSG_HDRLEN + DiagRequest.REQ_V2_LENGTH + 4;
        int localPort = Short.toUnsignedInt(request.getShort(program + 6));
        int remotePort = request.limit() > program + 8 ? Short.toUnsignedInt(request.getShort(program + 14)) : -1;
        DiagMessages messages = new DiagMessages();
        for (DiagSocket socket : sockets) {
            if (socket.family() == family && socket.local().getPort() == localPort
                    && (remotePort < 0 || socket.remote().getPort() == remotePort)
                    && tcp == isTcp(socket)) {
                messages.socket(sequence, socket);
            }
        }
        queued.add(messages.done(sequence).bytes());
    }


    private boolean isTcp(DiagSocket socket) {
        return tcpSockets.contains(socket);
    }

    /** Adds a TCP socket. */
    DiagSocket tcp(DiagSocket socket) {
        sockets.add(socket);
        tcpSockets.add(socket);
        return socket;
    }

    /** Adds a UDP socket. */
    DiagSocket udp(DiagSocket socket) {
        sockets.add(socket);
        return socket;
    }

    private DiagSocket tcpLookup(InetSocketAddress local, InetSocketAddress remote) {
        for (DiagSocket socket : sockets) {
            if (isTcp(socket) && !boundToDevice.contains(socket) && socket.local().equals(local)
                    && socket.remote().equals(remote) && socket.state() != DiagSocket.LISTEN) {
                return socket;
            }
        }
        for (DiagSocket socket : sockets) {
            if (isTcp(socket) && !boundToDevice.contains(socket) && socket.state() == DiagSocket.LISTEN
                    && socket.local().getPort() == local.getPort()
                    && (socket.wildcard() || socket.local().getAddress().equals(local.getAddress()))) {
                return socket;
            }
        }
        return null;
    }

    private DiagSocket udpLookup(InetSocketAddress local, InetSocketAddress remote) {
        DiagSocket best = null;
        int bestScore = -1;
        for (DiagSocket socket : sockets) {
            if (isTcp(socket) || boundToDevice.contains(socket)) {
                continue;
            }
            int score = SocketMatch.score(socket, false, local, remote);
            if (score > bestScore) {
                best = socket;
                bestScore = score;
            }
        }
        return best;
    }

    private static InetSocketAddress endpoint(ByteBuffer request, int address, int port, int family) {
        byte[] bytes = new byte[family == DiagRequest.AF_INET ? 4 : 16];
        request.get(address, bytes);
        int value = Short.toUnsignedInt(request.order(ByteOrder.BIG_ENDIAN).getShort(port));
        request.order(ByteOrder.nativeOrder());
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), value);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** @return a socket description */
    static DiagSocket socket(int family, int state, String local, int localPort, String remote, int remotePort,
            long inode) {
        return new DiagSocket(family, state, new InetSocketAddress(local, localPort),
                new InetSocketAddress(remote, remotePort), 1000, inode, -1);
    }
}
