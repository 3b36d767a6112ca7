package layer45.mnet.owner;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes netlink reply messages the way the kernel does, for tests: sockets, errors, the end of a dump. */
final class DiagMessages {

    private final ByteBuffer out = ByteBuffer.allocate(SockDiag.BUFFER_SIZE).order(ByteOrder.nativeOrder());

    /** Adds a {@code SOCK_DIAG_BY_FAMILY} message describing a socket. */
    DiagMessages socket(int sequence, DiagSocket socket) {
        int start = out.position();
        int length = DiagRequest.NLMSG_HDRLEN + DiagReplies.DIAG_MSG_LENGTH + (socket.v6Only() >= 0 ? 8 : 0);
        header(length, DiagRequest.SOCK_DIAG_BY_FAMILY, 0, sequence);
        boolean v4 = socket.family() == DiagRequest.AF_INET;
        out.put((byte) socket.family()).put((byte) socket.state()).put((byte) 0).put((byte) 0);
        out.order(ByteOrder.BIG_ENDIAN).putShort((short) socket.local().getPort())
                .putShort((short) socket.remote().getPort());
        address(socket.local(), v4);
        address(socket.remote(), v4);
        out.order(ByteOrder.nativeOrder());
        out.putInt(0).putInt(-1).putInt(-1); // interface, cookie
        out.putInt(0).putInt(0).putInt(0); // expires, rqueue, wqueue
        out.putInt(socket.uid()).putInt((int) socket.inode());
        if (socket.v6Only() >= 0) {
            out.putShort((short) 5).putShort((short) DiagReplies.INET_DIAG_SKV6ONLY).put((byte) socket.v6Only());
            out.put((byte) 0).put((byte) 0).put((byte) 0);
        }
        assert out.position() - start == length;
        return this;
    }

    /** Adds an {@code NLMSG_ERROR} message: {@code -errno} and the request's header. */
    DiagMessages error(int sequence, int errno) {
        header(DiagRequest.NLMSG_HDRLEN + 4 + DiagRequest.NLMSG_HDRLEN, DiagRequest.NLMSG_ERROR, 0, sequence);
        out.putInt(-errno);
        out.putInt(DiagRequest.NLMSG_HDRLEN + DiagRequest.REQ_V2_LENGTH).putShort((short) 20).putShort((short) 1)
                .putInt(sequence).putInt(0);
        return this;
    }

    /** Adds the {@code NLMSG_DONE} that ends a dump. */
    DiagMessages done(int sequence) {
        header(DiagRequest.NLMSG_HDRLEN + 4, DiagRequest.NLMSG_DONE, 2, sequence);
        out.putInt(0);
        return this;
    }

    /** Adds raw bytes. */
    DiagMessages raw(byte[] bytes) {
        out.put(bytes);
        return this;
    }

    /** @return the messages written so far, as one datagram */
    byte[] bytes() {
        byte[] bytes = new byte[out.position()];
        out.get(0, bytes);
        return bytes;
    }

    private void header(int length, int type, int flags, int sequence) {
        out.putInt(length).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(4242);
    }

    private void address(InetSocketAddress address, boolean v4) {
        byte[] bytes = address.getAddress().getAddress();
        if (!v4 && address.getAddress() instanceof Inet4Address) {
            out.put(new byte[10]).put((byte) 0xFF).put((byte) 0xFF).put(bytes); // IPv4-mapped
        } else {
            out.put(bytes).put(new byte[16 - bytes.length]);
        }
    }
}
