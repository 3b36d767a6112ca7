package layer45.mnet.iface;

import java.nio.ByteBuffer;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.wire.Icmpv4Packet;
import layer45.mnet.wire.Icmpv4Type;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv4Packet;
import layer45.mnet.wire.WireCheck;

/**
 * ICMP for IPv4 (RFC 792): answers echo requests to the stack's own addresses, counts what else arrives, and sends
 * error messages for the IPv4 layer within the rules of RFC 1122, section 3.2.2, and a rate limit.
 */
final class Icmpv4 {

    /**
     * An error quotes as much of the offending datagram as keeps the whole message within 576 bytes
     * (RFC 1812, 4.3.2.3), after its 20-byte IP header and 8-byte ICMP header.
     */
    static final int MAX_QUOTED = 576 - Ipv4Packet.MIN_HEADER_LENGTH - Icmpv4Packet.HEADER_LENGTH;

    private final Ipv4Layer ip;
    private final TokenBucket errorLimit;
    private final EnumCounters<IcmpEvent> events = new EnumCounters<>(IcmpEvent.class);
    private final Icmpv4Packet rx = new Icmpv4Packet();
    private final EchoReplyWriter echoReply = new EchoReplyWriter();
    private final ErrorWriter error = new ErrorWriter();
    private final EchoRequestWriter echoRequest = new EchoRequestWriter();
    private EchoListener echoListener;

    Icmpv4(Ipv4Layer ip, TokenBucket errorLimit) {
        this.ip = ip;
        this.errorLimit = errorLimit;
    }

    EnumCounters<IcmpEvent> events() {
        return events;
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
            case Icmpv4Type.ECHO_REQUEST -> {
                if (ownDestination) {
                    echoReply.set(buffer, offset);
                    ip.send(0, dst & 0xFFFF_FFFFL, 0, src & 0xFFFF_FFFFL, IpProtocol.ICMP, length, echoReply);
                    events.increment(IcmpEvent.ECHO_ANSWERED);
                } else {
                    events.increment(IcmpEvent.ECHO_NOT_FOR_US);
                }
            }
            case Icmpv4Type.ECHO_REPLY -> echoReplied(src & 0xFFFF_FFFFL, buffer);
            case Icmpv4Type.DEST_UNREACHABLE, Icmpv4Type.SOURCE_QUENCH, Icmpv4Type.REDIRECT,
                    Icmpv4Type.TIME_EXCEEDED, Icmpv4Type.PARAMETER_PROBLEM ->
                events.increment(IcmpEvent.ERROR_RECEIVED);
            default -> events.increment(IcmpEvent.IGNORED);
        }
    }

    /** @param listener told about echo replies to the stack's own pings; {@code null} to stop */
    void echoListener(EchoListener listener) {
        this.echoListener = listener;
    }

    /** Sends an echo request (a ping). */
    boolean echoRequest(int from, int to, int ident, int sequence, ByteBuffer data) {
        echoRequest.set(ident, sequence, data);
        return ip.send(0, from & 0xFFFF_FFFFL, 0, to & 0xFFFF_FFFFL, IpProtocol.ICMP, Icmpv4Packet.HEADER_LENGTH + data.remaining(), echoRequest);
    }

    private void echoReplied(long srcLow, ByteBuffer buffer) {
        events.increment(IcmpEvent.ECHO_REPLY_RECEIVED);
        if (echoListener != null) {
            int position = buffer.position();
            int limit = buffer.limit();
            try {
                buffer.limit(rx.payloadOffset() + rx.payloadLength()).position(rx.payloadOffset());
                echoListener.reply(0, srcLow, rx.echoIdent(), rx.echoSeq(), buffer);
            } finally {
                buffer.limit(limit).position(position);
            }
        }
    }

    /** Sends destination unreachable with {@code code} about a datagram, from {@code from} to {@code to}. */
    void unreachable(int code, int from, int to, int protocol, ByteBuffer header, int headerOffset,
            int headerLength, ByteBuffer payload, int payloadOffset, int payloadLength) {
        send(Icmpv4Type.DEST_UNREACHABLE, code, from, to, protocol, header, headerOffset, headerLength, payload,
                payloadOffset, payloadLength);
    }

    /** Sends time exceeded with {@code code} about a datagram. */
    void timeExceeded(int code, int from, int to, int protocol, ByteBuffer header, int headerOffset,
            int headerLength, ByteBuffer payload, int payloadOffset, int payloadLength) {
        send(Icmpv4Type.TIME_EXCEEDED, code, from, to, protocol, header, headerOffset, headerLength, payload,
                payloadOffset, payloadLength);
    }

    private void send(int type, int code, int from, int to, int protocol, ByteBuffer header, int headerOffset,
            int headerLength, ByteBuffer payload, int payloadOffset, int payloadLength) {
        if (protocol == IpProtocol.ICMP && (payloadLength < 1 || !isQuery(payload.get(payloadOffset) & 0xFF))
                || from == 0) {
            events.increment(IcmpEvent.ERROR_SUPPRESSED);
            return;
        }
        if (!errorLimit.tryTake()) {
            events.increment(IcmpEvent.ERROR_RATE_LIMITED);
            return;
        }
        int quotedHeader = Math.min(headerLength, MAX_QUOTED);
        int quotedPayload = Math.min(payloadLength, MAX_QUOTED - quotedHeader);
        error.set(type, code, header, headerOffset, quotedHeader, payload, payloadOffset, quotedPayload);
        if (ip.send(0, from & 0xFFFF_FFFFL, 0, to & 0xFFFF_FFFFL, IpProtocol.ICMP,
                Icmpv4Packet.HEADER_LENGTH + quotedHeader + quotedPayload, error)) {
            events.increment(IcmpEvent.ERROR_SENT);
        }
    }

    /** Errors are never sent about errors; only about queries (echo, timestamp, …: RFC 1122, 3.2.2). */
    private static boolean isQuery(int type) {
        return type == Icmpv4Type.ECHO_REQUEST || type == Icmpv4Type.ECHO_REPLY || type == Icmpv4Type.TIMESTAMP
                || type == Icmpv4Type.TIMESTAMP_REPLY || type == Icmpv4Type.ROUTER_ADVERTISEMENT
                || type == Icmpv4Type.ROUTER_SOLICITATION;
    }

    /** Copies an echo request as the reply: same identifier, sequence and data (RFC 792), type 0. */
    private static final class EchoReplyWriter implements TransportWriter {

        private final Icmpv4Packet tx = new Icmpv4Packet();
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
            tx.setType(Icmpv4Type.ECHO_REPLY);
            tx.setCode(0);
            tx.fillChecksum();
        }
    }

    /** Writes an error message: header, then the quoted IP header and the start of its payload. */
    private static final class ErrorWriter implements TransportWriter {

        private final Icmpv4Packet tx = new Icmpv4Packet();
        private int type;
        private int code;
        private ByteBuffer header;
        private int headerOffset;
        private int headerLength;
        private ByteBuffer payload;
        private int payloadOffset;
        private int payloadLength;

        void set(int type, int code, ByteBuffer header, int headerOffset, int headerLength, ByteBuffer payload,
                int payloadOffset, int payloadLength) {
            this.type = type;
            this.code = code;
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
            tx.setRestOfHeader(0);
            int data = offset + Icmpv4Packet.HEADER_LENGTH;
            buffer.put(data, header, headerOffset, headerLength);
            buffer.put(data + headerLength, payload, payloadOffset, payloadLength);
            tx.fillChecksum();
        }
    }

    /** Writes an echo request: identifier, sequence number, and the data. */
    private static final class EchoRequestWriter implements TransportWriter {

        private final Icmpv4Packet tx = new Icmpv4Packet();
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
            tx.setType(Icmpv4Type.ECHO_REQUEST);
            tx.setCode(0);
            tx.setEchoIdent(ident);
            tx.setEchoSeq(sequence);
            buffer.put(offset + Icmpv4Packet.HEADER_LENGTH, data, data.position(), data.remaining());
            tx.fillChecksum();
        }
    }
}
