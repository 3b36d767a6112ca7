package layer45.mnet.owner;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The replies to one sock_diag request, parsed datagram by datagram as they arrive: a checked reader of untrusted
 * bytes. Every length is checked before it is used; anything malformed is counted under its {@code REPLY_*}
 * reason and left out, and nothing is thrown for any input.
 *
 * <p>A reply is a series of netlink messages, each a 16-byte {@code struct nlmsghdr} (length, type, flags,
 * sequence, port id, in host byte order) and a payload, each starting at a multiple of 4: {@code struct
 * inet_diag_msg} (72 bytes) and its attributes for a socket, a negative errno for an error, and the end of a dump.
 * Messages of another request (a late reply to one that timed out) are skipped.
 */
final class DiagReplies {

    /** {@code sizeof(struct inet_diag_msg)}. */
    static final int DIAG_MSG_LENGTH = 72;
    /** {@code INET_DIAG_SKV6ONLY}: one byte, sent with IPv6 sockets that listen or are unconnected. */
    static final int INET_DIAG_SKV6ONLY = 11;

    private final int sequence;
    private final boolean dump;
    private final int maxSockets;
    private final OwnerCounters counters;
    private final List<DiagSocket> sockets = new ArrayList<>();
    private int errno;
    private boolean complete;
    private String malformed;
    private boolean overflow;

    /**
     * @param sequence the request's sequence number
     * @param dump whether it was a dump (ends with {@code NLMSG_DONE}) rather than an exact lookup (one message)
     * @param maxSockets how many sockets to keep at most; more are counted and left out
     * @param counters where drops are counted
     */
    DiagReplies(int sequence, boolean dump, int maxSockets, OwnerCounters counters) {
        this.sequence = sequence;
        this.dump = dump;
        this.maxSockets = maxSockets;
        this.counters = counters;
    }

    /**
     * Parses one received datagram.
     *
     * @param datagram the bytes, from index 0 to its limit
     * @param length the datagram's real length, which exceeds the limit when it did not fit the buffer (then the
     *        whole datagram is dropped)
     */
    void accept(ByteBuffer datagram, int length) {
        ByteBuffer in = datagram.duplicate().order(ByteOrder.nativeOrder());
        if (length > in.limit()) {
            drop(OwnerEvent.REPLY_TRUNCATED); // the rest of the answer is lost: none of it is used
            return;
        }
        int at = 0;
        while (at < length && !complete) {
            if (length - at < DiagRequest.NLMSG_HDRLEN) {
                drop(OwnerEvent.REPLY_HEADER_TOO_SHORT);
                return;
            }
            long messageLength = Integer.toUnsignedLong(in.getInt(at));
            if (messageLength < DiagRequest.NLMSG_HDRLEN || messageLength > length - at) {
                drop(OwnerEvent.REPLY_BAD_LENGTH);
                return; // the framing is lost: nothing after this can be trusted
            }
            int type = Short.toUnsignedInt(in.getShort(at + 4));
            if (in.getInt(at + 8) != sequence) {
                counters.increment(OwnerEvent.REPLY_OTHER_SEQUENCE);
            } else {
                message(in, type, at + DiagRequest.NLMSG_HDRLEN, (int) messageLength - DiagRequest.NLMSG_HDRLEN);
            }
            at += (int) ((messageLength + 3) & ~3L);
        }
    }

    private void message(ByteBuffer in, int type, int payload, int payloadLength) {
        switch (type) {
            case DiagRequest.NLMSG_ERROR -> {
                if (payloadLength < 4) {
                    drop(OwnerEvent.REPLY_ERROR_TOO_SHORT);
                    return;
                }
                errno = -in.getInt(payload); // 0 is an acknowledgement
                complete = true;
            }
            case DiagRequest.NLMSG_DONE -> {
                if (payloadLength >= 4 && in.getInt(payload) < 0) {
                    errno = -in.getInt(payload);
                }
                complete = true;
            }
            case DiagRequest.SOCK_DIAG_BY_FAMILY -> {
                DiagSocket socket = socket(in, payload, payloadLength);
                if (socket == null) {
                    return;
                }
                if (sockets.size() < maxSockets) {
                    sockets.add(socket);
                } else if (!overflow) {
                    overflow = true;
                    counters.increment(OwnerEvent.REPLY_TOO_MANY_SOCKETS);
                }
                complete = !dump;
            }
            default -> counters.increment(OwnerEvent.REPLY_UNEXPECTED_TYPE);
        }
    }

    private DiagSocket socket(ByteBuffer in, int at, int length) {
        if (length < DIAG_MSG_LENGTH) {
            drop(OwnerEvent.REPLY_DIAG_TOO_SHORT);
            return null;
        }
        int family = Byte.toUnsignedInt(in.get(at));
        if (family != DiagRequest.AF_INET && family != DiagRequest.AF_INET6) {
            drop(OwnerEvent.REPLY_BAD_FAMILY);
            return null;
        }
        int v6Only = v6Only(in, at + DIAG_MSG_LENGTH, length - DIAG_MSG_LENGTH);
        if (v6Only == -2) {
            drop(OwnerEvent.REPLY_BAD_ATTRIBUTE);
            return null;
        }
        int state = Byte.toUnsignedInt(in.get(at + 1));
        int sport = Short.toUnsignedInt(in.order(ByteOrder.BIG_ENDIAN).getShort(at + 4));
        int dport = Short.toUnsignedInt(in.getShort(at + 6));
        in.order(ByteOrder.nativeOrder());
        InetSocketAddress local = new InetSocketAddress(address(in, at + 8, family), sport);
        InetSocketAddress remote = new InetSocketAddress(address(in, at + 24, family), dport);
        int uid = in.getInt(at + 64);
        long inode = Integer.toUnsignedLong(in.getInt(at + 68));
        return new DiagSocket(family, state, local, remote, uid, inode, v6Only);
    }

    /** @return the {@code INET_DIAG_SKV6ONLY} value, -1 if absent, -2 if the attributes are malformed */
    private static int v6Only(ByteBuffer in, int at, int length) {
        int value = -1;
        while (length >= 4) {
            int attributeLength = Short.toUnsignedInt(in.getShort(at));
            int type = Short.toUnsignedInt(in.getShort(at + 2)) & 0x3FFF; // without NLA_F_NESTED, NLA_F_NET_BYTEORDER
            if (attributeLength < 4 || attributeLength > length) {
                return -2;
            }
            if (type == INET_DIAG_SKV6ONLY && attributeLength >= 5) {
                value = in.get(at + 4) != 0 ? 1 : 0;
            }
            int aligned = (attributeLength + 3) & ~3;
            at += aligned;
            length -= aligned;
        }
        return value;
    }

    private static InetAddress address(ByteBuffer in, int at, int family) {
        byte[] bytes = new byte[family == DiagRequest.AF_INET ? 4 : 16];
        in.get(at, bytes);
        try {
            return InetAddress.getByAddress(bytes); // an IPv4-mapped IPv6 address becomes an Inet4Address
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    private void drop(OwnerEvent reason) {
        counters.increment(reason);
        if (malformed == null) {
            malformed = reason.name().substring("REPLY_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** @return whether the answer is whole: the socket or an error (exact), the end of the dump or an error */
    boolean complete() {
        return complete;
    }

    /** @return the sockets, in the order the kernel sent them */
    List<DiagSocket> sockets() {
        return sockets;
    }

    /** @return the errno the kernel answered with, 0 if none ({@code ENOENT}: no such socket) */
    int errno() {
        return errno;
    }

    /** @return the first reason something was dropped as malformed, or {@code null} */
    String malformed() {
        return malformed;
    }

    /** @return whether more sockets came than were kept */
    boolean overflow() {
        return overflow;
    }
}
