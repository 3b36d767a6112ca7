package layer45.mnet.owner;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import layer45.api.Transport;

/**
 * Encodes {@code SOCK_DIAG_BY_FAMILY} requests of {@code NETLINK_SOCK_DIAG} ({@code include/uapi/linux/netlink.h},
 * {@code sock_diag.h}, {@code inet_diag.h}): a {@code struct nlmsghdr}, then a {@code struct inet_diag_req_v2}
 * (56 bytes), then for dumps a bytecode filter attribute.
 *
 * <p>Header fields and {@code idiag_states} are in host byte order; ports and addresses in network byte order, the
 * IPv4 address in the first 4 of its 16 bytes.
 *
 * <h2>The argument order of an exact lookup</h2>
 * For TCP the kernel looks the socket up as {@code inet_lookup(dst, dport, src, sport)}: {@code idiag_src} is the
 * socket's own (local) side, as in the replies. UDP's {@code udp_dump_one} calls {@code __udp4_lib_lookup(src,
 * sport, dst, dport)}, whose first pair is a received packet's source: {@code idiag_src} must hold the peer and
 * {@code idiag_dst} the socket's own side ("src and dst are swapped for historical reasons", says the kernel).
 * In the natural order a UDP lookup finds the wrong socket, or none (checked against kernel 6.18 by
 * {@code DiagRequestTest} and {@code OwnerLookupNamespaceTest}). Being the receive path's lookup, the UDP one also
 * finds unconnected and wildcard-bound sockets (a DNS server's), and IPv6 sockets that accept IPv4 (dual-stack).
 */
final class DiagRequest {

    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 0x1;
    /** {@code NLM_F_ROOT | NLM_F_MATCH}. */
    static final int NLM_F_DUMP = 0x300;
    static final int SOCK_DIAG_BY_FAMILY = 20;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_UDP = 17;
    /** {@code sizeof(struct inet_diag_req_v2)}. */
    static final int REQ_V2_LENGTH = 56;
    /** {@code enum inet_diag_req_attrs}: the filter program of a dump. */
    static final int INET_DIAG_REQ_BYTECODE = 1;
    /** {@code INET_DIAG_BC_S_EQ}, {@code INET_DIAG_BC_D_EQ}: local or remote port equals the next op's {@code no}. */
    static final int BC_S_EQ = 11;
    static final int BC_D_EQ = 12;
    /** Every TCP state, and UDP's two (established for connected, close for the others). */
    static final int ALL_STATES = 0xFFFFFFFF;
    /** {@code INET_DIAG_NOCOOKIE}: any socket, whatever its cookie. */
    private static final int NO_COOKIE = 0xFFFFFFFF;
    /** Largest request: header, request, and an attribute holding two port comparisons of 8 bytes each. */
    static final int MAX_LENGTH = NLMSG_HDRLEN + REQ_V2_LENGTH + 4 + 16;

    private DiagRequest() {
    }

    /**
     * Writes an exact lookup of one socket.
     *
     * @param out where, from position 0; its limit is set to the request's end
     * @param sequence the request's {@code nlmsg_seq}, which the reply repeats
     * @param transport TCP or UDP
     * @param local the socket's own address and port (the program's side)
     * @param remote its peer's address and port; for a TCP listening socket the unspecified address and port 0
     * @return {@code out}, ready to send
     * @throws IllegalArgumentException if the addresses are not of one family
     */
    static ByteBuffer exact(ByteBuffer out, int sequence, Transport transport, InetSocketAddress local,
            InetSocketAddress remote) {
        int family = familyOf(local.getAddress(), remote.getAddress());
        header(out, NLMSG_HDRLEN + REQ_V2_LENGTH, NLM_F_REQUEST, sequence);
        request(out, family, transport, ALL_STATES);
        // The UDP lookup takes the peer first: see the class comment.
        boolean swapped = transport == Transport.UDP;
        InetSocketAddress src = swapped ? remote : local;
        InetSocketAddress dst = swapped ? local : remote;
        out.putShort((short) src.getPort()).putShort((short) dst.getPort());
        address(out, src.getAddress());
        address(out, dst.getAddress());
        out.putInt(0); // idiag_if: any interface
        out.putInt(NO_COOKIE).putInt(NO_COOKIE);
        return out.flip();
    }

    /**
     * Writes a dump of one family's sockets of a transport, filtered in the kernel by ports.
     *
     * @param out where, from position 0; its limit is set to the request's end
     * @param sequence the request's {@code nlmsg_seq}
     * @param family {@link #AF_INET} or {@link #AF_INET6}
     * @param transport TCP or UDP
     * @param localPort only sockets with this local port
     * @param remotePort and with this remote port, or -1 for any
     * @return {@code out}, ready to send
     */
    static ByteBuffer dump(ByteBuffer out, int sequence, int family, Transport transport, int localPort,
            int remotePort) {
        int program = remotePort < 0 ? 8 : 16;
        header(out, NLMSG_HDRLEN + REQ_V2_LENGTH + 4 + program, NLM_F_REQUEST | NLM_F_DUMP, sequence);
        request(out, family, transport, ALL_STATES);
        for (int i = 0; i < 40; i++) {
            out.put((byte) 0); // ports, addresses, interface: unused by a dump
        }
        out.putInt(NO_COOKIE).putInt(NO_COOKIE);
        out.order(ByteOrder.nativeOrder()).putShort((short) (4 + program)).putShort((short) INET_DIAG_REQ_BYTECODE);
        // inet_diag_bc_op {code, yes, no}: "yes" jumps to the next op, "no" past the end (the socket is left
        // out); reaching exactly the end keeps the socket. A comparison's port sits in the next op's "no".
        int reject = program + 4;
        comparison(out, BC_S_EQ, 8, reject, localPort);
        if (remotePort >= 0) {
            comparison(out, BC_D_EQ, 8, reject - 8, remotePort);
        }
        return out.flip();
    }

    /** @return {@link #AF_INET} or {@link #AF_INET6}, the family both addresses share */
    static int familyOf(InetAddress local, InetAddress remote) {
        boolean v4 = local instanceof Inet4Address;
        if (v4 != remote instanceof Inet4Address) {
            throw new IllegalArgumentException("the addresses " + local.getHostAddress() + " and "
                    + remote.getHostAddress() + " are of different families; a flow has one");
        }
        return v4 ? AF_INET : AF_INET6;
    }

    /** @return the {@code sdiag_protocol} of a transport */
    static int protocol(Transport transport) {
        return transport == Transport.TCP ? IPPROTO_TCP : IPPROTO_UDP;
    }

    private static void header(ByteBuffer out, int length, int flags, int sequence) {
        out.clear().order(ByteOrder.nativeOrder());
        out.putInt(length).putShort((short) SOCK_DIAG_BY_FAMILY).putShort((short) flags).putInt(sequence).putInt(0);
    }

    private static void request(ByteBuffer out, int family, Transport transport, int states) {
        out.put((byte) family).put((byte) protocol(transport)).put((byte) 0).put((byte) 0).putInt(states);
        out.order(ByteOrder.BIG_ENDIAN); // the socket id: ports and addresses
    }

    private static void address(ByteBuffer out, InetAddress address) {
        byte[] bytes = address.getAddress();
        out.put(bytes);
        for (int i = bytes.length; i < 16; i++) {
            out.put((byte) 0);
        }
    }

    private static void comparison(ByteBuffer out, int code, int yes, int no, int port) {
        out.order(ByteOrder.nativeOrder());
        out.put((byte) code).put((byte) yes).putShort((short) no);
        out.put((byte) 0).put((byte) 0).putShort((short) port); // host byte order, as the kernel compares it
    }
}
