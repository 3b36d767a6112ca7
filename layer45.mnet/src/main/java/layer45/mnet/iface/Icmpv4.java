package layer45.mnet.iface;

import java.nio.ByteBuffer;
import layer45.mnet.wire.Icmpv4Packet;
import layer45.mnet.wire.Icmpv4Type;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv4Packet;
import layer45.mnet.wire.WireCheck;

/**
 * ICMP for IPv4 (RFC 792): answers echo requests to the stack's own addresses, counts what else arrives, and sends
 * error messages for the IPv4 layer within the rules of RFC 1122, section 3.2.2, and a rate limit.
 */
final class Icmpv4 extends Icmp {

    /**
     * An error quotes as much of the offending datagram as keeps the whole message within 576 bytes
     * (RFC 1812, 4.3.2.3), after its 20-byte IP header and 8-byte ICMP header.
     */
    static final int MAX_QUOTED = 576 - Ipv4Packet.MIN_HEADER_LENGTH - Icmpv4Packet.HEADER_LENGTH;
    private static final long MASK = 0xFFFF_FFFFL;

    private final Ipv4Layer ip;
    private final Icmpv4Packet rx = new Icmpv4Packet();

    Icmpv4(Ipv4Layer ip, TokenBucket errorLimit) {
        super(errorLimit, MAX_QUOTED, IpProtocol.ICMP, Icmpv4Type.ECHO_REQUEST, Icmpv4Type.ECHO_REPLY, false);
        this.ip = ip;
    }

    void receive(int src, int dst, boolean ownDestination, ByteBuffer buffer, int offset, int length) {
        rx.wrap(buffer, offset, length);
        if (rx.check() != WireCheck.VALID) {
            events.increment(IcmpEvent.MALFORMED);
            return;
        }
        if (!rx.verifyChecksum()) {
            events.increment(IcmpEvent.BAD_CHECKSUM);
            return;
        }
        switch (rx.type()) {
            case Icmpv4Type.ECHO_REQUEST ->
                echoRequested(0, src & MASK, 0, dst & MASK, ownDestination, buffer, offset, length);
            case Icmpv4Type.ECHO_REPLY -> echoReplied(0, src & MASK, rx.echoIdent(), rx.echoSeq(), buffer,
                    rx.payloadOffset(), rx.payloadLength());
            case Icmpv4Type.DEST_UNREACHABLE -> unreachableReceived(rx.code(), buffer, rx.payloadOffset(),
                    rx.payloadLength());
            case Icmpv4Type.SOURCE_QUENCH, Icmpv4Type.REDIRECT,
                    Icmpv4Type.TIME_EXCEEDED, Icmpv4Type.PARAMETER_PROBLEM ->
                events.increment(IcmpEvent.ERROR_RECEIVED);
            default -> events.increment(IcmpEvent.IGNORED);
        }
    }

    /** Reads the datagram a destination-unreachable error quotes: its IPv4 header, then at least 8 bytes. */
    private void unreachableReceived(int code, ByteBuffer buffer, int offset, int length) {
        int headerLength = length < Ipv4Packet.MIN_HEADER_LENGTH ? 0 : (buffer.get(offset) & 0x0F) * 4;
        if (headerLength < Ipv4Packet.MIN_HEADER_LENGTH || (buffer.get(offset) & 0xF0) != 0x40
                || length < headerLength + 8) {
            events.increment(IcmpEvent.ERROR_RECEIVED);
            return;
        }
        int protocol = buffer.get(offset + 9) & 0xFF;
        long quotedSrc = buffer.getInt(offset + 12) & MASK;
        long quotedDst = buffer.getInt(offset + 16) & MASK;
        unreachableReceived(ip, layer45.mnet.iface.Unreachable.ofIcmpv4(code), 0, quotedSrc, 0, quotedDst, protocol,
                buffer, offset + headerLength, length - headerLength);
    }

    /** Sends destination unreachable with {@code code} about a datagram, from {@code from} to {@code to}. */
    void unreachable(int code, int from, int to, int protocol, ByteBuffer header, int headerOffset,
            int headerLength, ByteBuffer payload, int payloadOffset, int payloadLength) {
        error(Icmpv4Type.DEST_UNREACHABLE, code, from, to, protocol, header, headerOffset, headerLength, payload,
                payloadOffset, payloadLength);
    }

    /** Sends time exceeded with {@code code} about a datagram. */
    void timeExceeded(int code, int from, int to, int protocol, ByteBuffer header, int headerOffset,
            int headerLength, ByteBuffer payload, int payloadOffset, int payloadLength) {
        error(Icmpv4Type.TIME_EXCEEDED, code, from, to, protocol, header, headerOffset, headerLength, payload,
                payloadOffset, payloadLength);
    }

    @Override
    boolean send(long fromHigh, long fromLow, long toHigh, long toLow, int length, TransportWriter writer) {
        return ip.send(fromHigh, fromLow, toHigh, toLow, IpProtocol.ICMP, length, writer);
    }

    /** Never about an ICMP error (only about queries: RFC 1122, 3.2.2), and never from nowhere. */
    private void error(int type, int code, int from, int to, int protocol, ByteBuffer header, int headerOffset,
            int headerLength, ByteBuffer payload, int payloadOffset, int payloadLength) {
        if (protocol == IpProtocol.ICMP && (payloadLength < 1 || !isQuery(payload.get(payloadOffset) & 0xFF))
                || from == 0) {
            events.increment(IcmpEvent.ERROR_SUPPRESSED);
            return;
        }
        sendError(type, code, 0, 0, from & MASK, 0, to & MASK, header, headerOffset, headerLength, payload,
                payloadOffset, payloadLength);
    }

    private static boolean isQuery(int type) {
        return type == Icmpv4Type.ECHO_REQUEST || type == Icmpv4Type.ECHO_REPLY || type == Icmpv4Type.TIMESTAMP
                || type == Icmpv4Type.TIMESTAMP_REPLY || type == Icmpv4Type.ROUTER_ADVERTISEMENT
                || type == Icmpv4Type.ROUTER_SOLICITATION;
    }

    @Override
    java.net.InetAddress address(long high, long low) {
        return ip.toInetAddress(high, low);
    }
}
