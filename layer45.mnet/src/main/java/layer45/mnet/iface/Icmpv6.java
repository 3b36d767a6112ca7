package layer45.mnet.iface;

import java.nio.ByteBuffer;
import layer45.mnet.wire.Icmpv6Packet;
import layer45.mnet.wire.Icmpv6Type;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv6Packet;
import layer45.mnet.wire.WireCheck;

/**
 * ICMPv6 (RFC 4443): answers echo requests to the stack's own addresses, counts what else arrives (neighbour and
 * router discovery and MLD are ignored: a TUN link is point to point), and sends error messages for the IPv6 layer
 * within the rules of RFC 4443, section 2.4, and a rate limit.
 */
final class Icmpv6 extends Icmp {

    /** An error carries as much of the invoking packet as fits in the minimum MTU (RFC 4443, 2.4 (c)). */
    static final int MAX_QUOTED = 1280 - Ipv6Packet.HEADER_LENGTH - Icmpv6Packet.HEADER_LENGTH;

    /** The fixed IPv6 header an error quotes first. */
    private static final int QUOTED_HEADER = 40;

    private final Ipv6Layer ip;
    private final Icmpv6Packet rx = new Icmpv6Packet();

    Icmpv6(Ipv6Layer ip, TokenBucket errorLimit) {
        super(errorLimit, MAX_QUOTED, IpProtocol.ICMPV6, Icmpv6Type.ECHO_REQUEST, Icmpv6Type.ECHO_REPLY, true);
        this.ip = ip;
    }

    void receive(long srcHigh, long srcLow, long dstHigh, long dstLow, boolean ownDestination, ByteBuffer buffer,
            int offset, int length, long pseudoHeaderSum) {
        rx.wrap(buffer, offset, length);
        if (rx.check() != WireCheck.VALID) {
            events.increment(IcmpEvent.MALFORMED);
            return;
        }
        if (!rx.verifyChecksum(pseudoHeaderSum)) {
            events.increment(IcmpEvent.BAD_CHECKSUM);
            return;
        }
        int type = rx.type();
        if (type == Icmpv6Type.ECHO_REQUEST) {
            echoRequested(srcHigh, srcLow, dstHigh, dstLow, ownDestination, buffer, offset, length);
        } else if (type == Icmpv6Type.ECHO_REPLY) {
            echoReplied(srcHigh, srcLow, rx.echoIdent(), rx.echoSeq(), buffer, rx.payloadOffset(),
                    rx.payloadLength());
        } else if (type == Icmpv6Type.DEST_UNREACHABLE) {
            unreachableReceived(rx.code(), buffer, rx.payloadOffset(), rx.payloadLength());
        } else if (type < 128) {
            events.increment(IcmpEvent.ERROR_RECEIVED);
        } else {
            events.increment(IcmpEvent.IGNORED);
        }
    }

    /**
     * Reads the packet a destination-unreachable error quotes: its IPv6 header, then at least 8 bytes of the upper
     * layer (a packet with extension headers before it is counted, not followed).
     */
    private void unreachableReceived(int code, ByteBuffer buffer, int offset, int length) {
        if (length < QUOTED_HEADER + 8 || (buffer.get(offset) & 0xF0) != 0x60) {
            events.increment(IcmpEvent.ERROR_RECEIVED);
            return;
        }
        int protocol = buffer.get(offset + 6) & 0xFF;
        unreachableReceived(ip, Unreachable.ofIcmpv6(code), buffer.getLong(offset + 8), buffer.getLong(offset + 16),
                buffer.getLong(offset + 24), buffer.getLong(offset + 32), protocol, buffer, offset + QUOTED_HEADER,
                length - QUOTED_HEADER);
    }

    /**
     * Sends destination unreachable with {@code code} about a packet: its headers up to the upper layer, then the
     * upper-layer packet ({@code protocol}) from {@code payloadOffset}.
     */
    void unreachable(int code, long fromHigh, long fromLow, long toHigh, long toLow, int protocol, ByteBuffer header,
            int headerOffset, int headerLength, ByteBuffer payload, int payloadOffset, int payloadLength) {
        error(Icmpv6Type.DEST_UNREACHABLE, code, 0, fromHigh, fromLow, toHigh, toLow, protocol, header, headerOffset,
                headerLength, payload, payloadOffset, payloadLength);
    }

    /** Sends time exceeded with {@code code} about a packet, quoted as for {@link #unreachable}. */
    void timeExceeded(int code, long fromHigh, long fromLow, long toHigh, long toLow, int protocol, ByteBuffer header,
            int headerOffset, int headerLength, ByteBuffer payload, int payloadOffset, int payloadLength) {
        error(Icmpv6Type.TIME_EXCEEDED, code, 0, fromHigh, fromLow, toHigh, toLow, protocol, header, headerOffset,
                headerLength, payload, payloadOffset, payloadLength);
    }

    /**
     * Sends parameter problem with {@code code}, pointing at byte {@code pointer} of the quoted packet, whose
     * upper layer is unknown (its headers could not be walked).
     */
    void parameterProblem(int code, int pointer, long fromHigh, long fromLow, long toHigh, long toLow,
            ByteBuffer packet, int offset, int length) {
        error(Icmpv6Type.PARAMETER_PROBLEM, code, pointer, fromHigh, fromLow, toHigh, toLow, -1, packet, offset,
                length, packet, offset, 0);
    }

    @Override
    boolean send(long fromHigh, long fromLow, long toHigh, long toLow, int length, TransportWriter writer) {
        return ip.send(fromHigh, fromLow, toHigh, toLow, IpProtocol.ICMPV6, length, writer);
    }

    /** Never to a multicast or unspecified address, never about an ICMPv6 error (RFC 4443, 2.4 (e)). */
    private void error(int type, int code, int rest, long fromHigh, long fromLow, long toHigh, long toLow,
            int protocol, ByteBuffer header, int headerOffset, int headerLength, ByteBuffer payload,
            int payloadOffset, int payloadLength) {
        if (toHigh >>> 56 == 0xFF || toHigh == 0 && toLow == 0
                || protocol == IpProtocol.ICMPV6 && !isInformational(payload, payloadOffset, payloadLength)) {
            events.increment(IcmpEvent.ERROR_SUPPRESSED);
            return;
        }
        sendError(type, code, rest, fromHigh, fromLow, toHigh, toLow, header, headerOffset, headerLength, payload,
                payloadOffset, payloadLength);
    }

    /** Errors are never sent about errors (types below 128: RFC 4443, 2.4 (e.1)). */
    private static boolean isInformational(ByteBuffer payload, int offset, int length) {
        return length > 0 && (payload.get(offset) & 0xFF) >= 128;
    }

    @Override
    java.net.InetAddress address(long high, long low) {
        return ip.toInetAddress(high, low);
    }
}
