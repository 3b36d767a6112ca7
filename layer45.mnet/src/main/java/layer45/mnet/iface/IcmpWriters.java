package layer45.mnet.iface;

import java.nio.ByteBuffer;
import layer45.mnet.wire.Checksum;

/**
 * The ICMP messages the stack writes, for ICMPv4 and ICMPv6 alike: the header layout is the same (RFC 792,
 * RFC 4443: type, code, checksum, four bytes of rest), only the checksum differs (ICMPv6 covers the IPv6
 * pseudo-header too). Each writer is reused for every message; nothing is allocated.
 */
final class IcmpWriters {

    static final int HEADER_LENGTH = 8;

    private IcmpWriters() {
    }

    /** Fills the checksum of the message at {@code offset}: with the pseudo-header for ICMPv6, without for v4. */
    private static void fillChecksum(ByteBuffer buffer, int offset, int length, long pseudoHeaderSum,
            boolean coversPseudoHeader) {
        buffer.putShort(offset + 2, (short) 0);
        long sum = Checksum.add(buffer, offset, length, coversPseudoHeader ? pseudoHeaderSum : 0);
        buffer.putShort(offset + 2, (short) Checksum.finish(sum));
    }

    /** Copies an echo request as its reply: same identifier, sequence and data, the reply type, code 0. */
    static final class EchoReply implements TransportWriter {

        private final int replyType;
        private final boolean coversPseudoHeader;
        private ByteBuffer request;
        private int requestOffset;

        EchoReply(int replyType, boolean coversPseudoHeader) {
            this.replyType = replyType;
            this.coversPseudoHeader = coversPseudoHeader;
        }

        EchoReply to(ByteBuffer request, int requestOffset) {
            this.request = request;
            this.requestOffset = requestOffset;
            return this;
        }

        @Override
        public void write(ByteBuffer buffer, int offset, int length, long pseudoHeaderSum) {
            buffer.put(offset, request, requestOffset, length);
            buffer.put(offset, (byte) replyType);
            buffer.put(offset + 1, (byte) 0);
            fillChecksum(buffer, offset, length, pseudoHeaderSum, coversPseudoHeader);
        }
    }

    /** Writes an echo request: identifier, sequence number, and the data. */
    static final class EchoRequest implements TransportWriter {

        private final int requestType;
        private final boolean coversPseudoHeader;
        private int ident;
        private int sequence;
        private ByteBuffer data;

        EchoRequest(int requestType, boolean coversPseudoHeader) {
            this.requestType = requestType;
            this.coversPseudoHeader = coversPseudoHeader;
        }

        EchoRequest of(int ident, int sequence, ByteBuffer data) {
            this.ident = ident;
            this.sequence = sequence;
            this.data = data;
            return this;
        }

        @Override
        public void write(ByteBuffer buffer, int offset, int length, long pseudoHeaderSum) {
            buffer.put(offset, (byte) requestType);
            buffer.put(offset + 1, (byte) 0);
            buffer.putShort(offset + 4, (short) ident);
            buffer.putShort(offset + 6, (short) sequence);
            buffer.put(offset + HEADER_LENGTH, data, data.position(), data.remaining());
            fillChecksum(buffer, offset, length, pseudoHeaderSum, coversPseudoHeader);
        }
    }

    /** Writes an error message: type, code, the rest of the header, then the quoted packet. */
    static final class Error implements TransportWriter {

        private final boolean coversPseudoHeader;
        private int type;
        private int code;
        private int rest;
        private ByteBuffer header;
        private int headerOffset;
        private int headerLength;
        private ByteBuffer payload;
        private int payloadOffset;
        private int payloadLength;

        Error(boolean coversPseudoHeader) {
            this.coversPseudoHeader = coversPseudoHeader;
        }

        /** Sets the message; the quoted packet is its header, then the start of its payload. */
        Error of(int type, int code, int rest, ByteBuffer header, int headerOffset, int headerLength,
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
            return this;
        }

        /** @return the message's length */
        int length() {
            return HEADER_LENGTH + headerLength + payloadLength;
        }

        @Override
        public void write(ByteBuffer buffer, int offset, int length, long pseudoHeaderSum) {
            buffer.put(offset, (byte) type);
            buffer.put(offset + 1, (byte) code);
            buffer.putInt(offset + 4, rest);
            buffer.put(offset + HEADER_LENGTH, header, headerOffset, headerLength);
            buffer.put(offset + HEADER_LENGTH + headerLength, payload, payloadOffset, payloadLength);
            fillChecksum(buffer, offset, length, pseudoHeaderSum, coversPseudoHeader);
        }
    }

    /**
     * Tells a listener about an echo reply, lending it the reply's data as the buffer's position..limit.
     *
     * @param listener the listener, or {@code null}
     */
    static void echoReplied(EchoListener listener, long srcHigh, long srcLow, int ident, int sequence,
            ByteBuffer buffer, int dataOffset, int dataLength) {
        if (listener == null) {
            return;
        }
        int position = buffer.position();
        int limit = buffer.limit();
        try {
            buffer.limit(dataOffset + dataLength).position(dataOffset);
            listener.reply(srcHigh, srcLow, ident, sequence, buffer);
        } finally {
            buffer.limit(limit).position(position);
        }
    }
}
