package layer45.mnet.iface;

import java.nio.ByteBuffer;
import layer45.mnet.stats.EnumCounters;
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
final class Icmpv6 {

    /** An error carries as much of the invoking packet as fits in the minimum MTU (RFC 4443, 2.4 (c)). */
    static final int MAX_QUOTED = 1280 - Ipv6Packet.HEADER_LENGTH - Icmpv6Packet.HEADER_LENGTH;

    private final Ipv6Layer ip;
    private final TokenBucket errorLimit;
    private final EnumCounters<IcmpEvent> events = new EnumCounters<>(IcmpEvent.class);
    private final Icmpv6Packet rx = new Icmpv6Packet();
    private final EchoReplyWriter echoReply = new EchoReplyWriter();
    private final ErrorWriter error = new ErrorWriter();
    private final EchoRequestWriter echoRequest = new EchoRequestWriter();
    private EchoListener echoListener;

    Icmpv6(Ipv6Layer ip, TokenBucket errorLimit) {
        this.ip = ip;
        this.errorLimit = errorLimit;
    }

    EnumCounters<IcmpEvent> events() {
        return events;
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
            if (ownDestination) {
                echoReply.set(buffer, offset);
                ip.send(dstHigh, dstLow, srcHigh, srcLow, IpProtocol.ICMPV6, length, echoReply);
                events.increment(IcmpEvent.ECHO_ANSWERED);
            } else {
                events.increment(IcmpEvent.ECHO_NOT_FOR_US);
            }
        } else if (type == Icmpv6Type.ECHO_REPLY) {
            echoReplied(srcHigh, srcLow, buffer);
        } else if (type < 128) {
            events.increment(IcmpEvent.ERROR_RECEIVED);
        } else {
            events.increment(IcmpEvent.IGNORED);
        }
    }

    /** @param listener told about echo replies to the stack's own pings; {@code null} to stop */
    void echoListener(EchoListener listener) {
        this.echoListener = listener;
    }

    /** Sends an echo request (a ping). */
    boolean echoRequest(long fromHigh, long fromLow, long toHigh, long toLow, int ident, int sequence, ByteBuffer data) {
        echoRequest.set(ident, sequence, data);
        return ip.send(fromHigh, fromLow, toHigh, toLow, IpProtocol.ICMPV6, Icmpv6Packet.HEADER_LENGTH + data.remaining(), echoRequest);
    }

    private void echoReplied(long srcHigh, long srcLow, ByteBuffer buffer) {
        events.increment(IcmpEvent.ECHO_REPLY_RECEIVED);
        if (echoListener != null) {
            int position = buffer.position();
            int limit = buffer.limit();
            try {
                buffer.limit(rx.payloadOffset() + rx.payloadLength()).position(rx.payloadOffset());
                echoListener.reply(srcHigh, srcLow, rx.echoIdent(), rx.echoSeq(), buffer);
            } finally {
                buffer.limit(limit).position(position);
            }
        }
    }

    /**
     * Sends destination unreachable with {@code code} about a packet: its headers up to the upper layer, then the
     * upper-layer packet ({@code protocol}) from {@code payloadOffset}.
     */
    void unreachable(int code, long fromHigh, long fromLow, long toHigh, long toLow, int protocol, ByteBuffer header,
            int headerOffset, int headerLength, ByteBuffer payload, int payloadOffset, int payloadLength) {
        send(Icmpv6Type.DEST_UNREACHABLE, code, 0, fromHigh, fromLow, toHigh, toLow, protocol, header, headerOffset,
                headerLength, payload, payloadOffset, payloadLength);
    }

    /** Sends time exceeded with {@code code} about a packet, quoted as for {@link #unreachable}. */
    void timeExceeded(int code, long fromHigh, long fromLow, long toHigh, long toLow, int protocol, ByteBuffer header,
            int headerOffset, int headerLength, ByteBuffer payload, int payloadOffset, int payloadLength) {
        send(Icmpv6Type.TIME_EXCEEDED, code, 0, fromHigh, fromLow, toHigh, toLow, protocol, header, headerOffset,
                headerLength, payload, payloadOffset, payloadLength);
    }

    /**
     * Sends parameter problem with {@code code}, pointing at byte {@code pointer} of the quoted packet, whose
     * upper layer is unknown (its headers could not be walked).
     */
    void parameterProblem(int code, int pointer, long fromHigh, long fromLow, long toHigh, long toLow,
            ByteBuffer packet, int offset, int length) {
        send(Icmpv6Type.PARAMETER_PROBLEM, code, pointer, fromHigh, fromLow, toHigh, toLow, -1, packet, offset, length,
                packet, offset, 0);
    }

    private void send(int type, int code, int rest, long fromHigh, long fromLow, long toHigh, long toLow,
            int protocol, ByteBuffer header, int headerOffset, int headerLength, ByteBuffer payload,
            int payloadOffset, int payloadLength) {
        if (toHigh >>> 56 == 0xFF || toHigh == 0 && toLow == 0
                || protocol == IpProtocol.ICMPV6 && !isInformational(payload, payloadOffset, payloadLength)) {
            events.increment(IcmpEvent.ERROR_SUPPRESSED);
            return;
        }
        if (!errorLimit.tryTake()) {
            events.increment(IcmpEvent.ERROR_RATE_LIMITED);
            return;
        }
        int quotedHeader = Math.min(headerLength, MAX_QUOTED);
        int quotedPayload = Math.min(payloadLength, MAX_QUOTED - quotedHeader);
        error.set(type, code, rest, header, headerOffset, quotedHeader, payload, payloadOffset, quotedPayload);
        if (ip.send(fromHigh, fromLow, toHigh, toLow, IpProtocol.ICMPV6,
                Icmpv6Packet.HEADER_LENGTH + quotedHeader + quotedPayload, error)) {
            events.increment(IcmpEvent.ERROR_SENT);
        }
    }

    /** Errors are never sent about errors (types below 128: RFC 4443, 2.4 (e.1)). */
    private static boolean isInformational(ByteBuffer payload, int offset, int length) {
        return length > 0 && (payload.get(offset) & 0xFF) >= 128;
    }

    /** Copies an echo request as the reply: same identifier, sequence and data (RFC 4443, 4.2). */
    private static final class EchoReplyWriter implements TransportWriter {

        private final Icmpv6Packet tx = new Icmpv6Packet();
        private ByteBuffer request;
        private int requestOffset;

        void set(ByteBuffer request, int requestOffset) {
            this.request = request;
            this.requestOffset = requestOffset;
        }

        @Override
        public void write(ByteBuffer buffer, int offset, int length, long pseudoHeaderSum) {
            buffer.put(offset, request, requestOffset, length);
            tx.wrap(buffer, offset, length);
            tx.setType(Icmpv6Type.ECHO_REPLY);
            tx.setCode(0);
            tx.fillChecksum(pseudoHeaderSum);
        }
    }

    /** Writes an error message: header (with the pointer or MTU), then as much of the invoking packet as fits. */
    private static final class ErrorWriter implements TransportWriter {

        private final Icmpv6Packet tx = new Icmpv6Packet();
        private int type;
        private int code;
        private int rest;
        private ByteBuffer header;
        private int headerOffset;
        private int headerLength;
        private ByteBuffer payload;
        private int payloadOffset;
        private int payloadLength;

        void set(int type, int code, int rest, ByteBuffer header, int headerOffset, int headerLength,
                ByteBuffer payload, int payloadOffset, int payloadLength) {
            this.type = type;
            this.code = code;
            this.rest = rest;
            this.header = header;
            this.headerOffset = headerOffset;
            this.headerLength = headerLength;
            this.payload = payload;
            this.payloadOffset = payloadOffset;
            this.payloadLength = payloadLength;
        }

        @Override
        public void write(ByteBuffer buffer, int offset, int length, long pseudoHeaderSum) {
            tx.wrap(buffer, offset, length);
            tx.setType(type);
            tx.setCode(code);
            tx.setRestOfHeader(rest);
            int data = offset + Icmpv6Packet.HEADER_LENGTH;
            buffer.put(data, header, headerOffset, headerLength);
            buffer.put(data + headerLength, payload, payloadOffset, payloadLength);
            tx.fillChecksum(pseudoHeaderSum);
        }
    }

    /** Writes an echo request: identifier, sequence number, and the data. */
    private static final class EchoRequestWriter implements TransportWriter {

        private final Icmpv6Packet tx = new Icmpv6Packet();
        private int ident;
        private int sequence;
        private ByteBuffer data;

        void set(int ident, int sequence, ByteBuffer data) {
            this.ident = ident;
            this.sequence = sequence;
            this.data = data;
        }

        @Override
        public void write(ByteBuffer buffer, int offset, int length, long pseudoHeaderSum) {
            tx.wrap(buffer, offset, length);
            tx.setType(Icmpv6Type.ECHO_REQUEST);
            tx.setCode(0);
            tx.setEchoIdent(ident);
            tx.setEchoSeq(sequence);
            buffer.put(offset + Icmpv6Packet.HEADER_LENGTH, data, data.position(), data.remaining());
            tx.fillChecksum(pseudoHeaderSum);
        }
    }
}
