package layer45.mnet.iface;

import java.nio.ByteBuffer;
import layer45.mnet.stats.EnumCounters;

/**
 * What ICMPv4 and ICMPv6 share: counting, the rate limit on errors, quoting the offending packet, and the reusable
 * writers. The subclasses know their types, their suppression rules and their network layer.
 */
abstract class Icmp {

    final EnumCounters<IcmpEvent> events = new EnumCounters<>(IcmpEvent.class);
    final IcmpWriters.EchoReply echoReply;
    final IcmpWriters.EchoRequest echoRequest;
    private final IcmpWriters.Error error;
    private final TokenBucket errorLimit;
    private final int maxQuoted;
    private final int protocolNumber;
    EchoListener echoListener;
    EchoForwarder echoForwarder;

    /**
     * @param errorLimit the rate limit of error messages
     * @param maxQuoted how much of an offending packet an error quotes
     * @param protocolNumber ICMP's number in its network layer (1, or 58 for ICMPv6)
     * @param echoRequestType the echo request type
     * @param echoReplyType the echo reply type
     * @param coversPseudoHeader whether the checksum covers the pseudo-header (ICMPv6)
     */
    Icmp(TokenBucket errorLimit, int maxQuoted, int protocolNumber, int echoRequestType, int echoReplyType,
            boolean coversPseudoHeader) {
        this.errorLimit = errorLimit;
        this.maxQuoted = maxQuoted;
        this.protocolNumber = protocolNumber;
        this.echoReply = new IcmpWriters.EchoReply(echoReplyType, coversPseudoHeader);
        this.echoRequest = new IcmpWriters.EchoRequest(echoRequestType, coversPseudoHeader);
        this.error = new IcmpWriters.Error(coversPseudoHeader);
    }

    /** @return the counters */
    final EnumCounters<IcmpEvent> events() {
        return events;
    }

    /** @param forwarder takes echo requests to foreign addresses; {@code null} drops them */
    final void echoForwarder(EchoForwarder forwarder) {
        this.echoForwarder = forwarder;
    }

    /** @param listener told about echo replies to the stack's own pings; {@code null} to stop */
    final void echoListener(EchoListener listener) {
        this.echoListener = listener;
    }

    /** Sends a message through the network layer. */
    abstract boolean send(long fromHigh, long fromLow, long toHigh, long toLow, int length, TransportWriter writer);

    /**
     * Sends an error about a packet, unless the rate limit says no. The caller has applied the rules about which
     * packets may cause errors.
     */
    final void sendError(int type, int code, int rest, long fromHigh, long fromLow, long toHigh, long toLow,
            ByteBuffer header, int headerOffset, int headerLength, ByteBuffer payload, int payloadOffset,
            int payloadLength) {
        if (!errorLimit.tryTake()) {
            events.increment(IcmpEvent.ERROR_RATE_LIMITED);
            return;
        }
        int quotedHeader = Math.min(headerLength, maxQuoted);
        int quotedPayload = Math.min(payloadLength, maxQuoted - quotedHeader);
        error.of(type, code, rest, header, headerOffset, quotedHeader, payload, payloadOffset, quotedPayload);
        if (send(fromHigh, fromLow, toHigh, toLow, error.length(), error)) {
            events.increment(IcmpEvent.ERROR_SENT);
        }
    }

    /** Answers an echo request to an own address, or counts one to a foreign address. */
    final void echoRequested(long srcHigh, long srcLow, long dstHigh, long dstLow, boolean ownDestination,
            ByteBuffer buffer, int offset, int length) {
        if (ownDestination) {
            send(dstHigh, dstLow, srcHigh, srcLow, length, echoReply.to(buffer, offset));
            events.increment(IcmpEvent.ECHO_ANSWERED);
        } else if (echoForwarder != null && forward(srcHigh, srcLow, dstHigh, dstLow, buffer, offset, length)) {
            events.increment(IcmpEvent.ECHO_RELAYED);
        } else {
            events.increment(IcmpEvent.ECHO_NOT_FOR_US);
        }
    }

    /** Offers an echo request to a foreign address to the forwarder, with the reply it may send later. */
    private boolean forward(long srcHigh, long srcLow, long dstHigh, long dstLow, ByteBuffer buffer, int offset,
            int length) {
        ByteBuffer request = ByteBuffer.allocate(length); // kept until the destination answers; pings are rare
        request.put(0, buffer, offset, length);
        Runnable reply = () -> {
            if (send(dstHigh, dstLow, srcHigh, srcLow, length, echoReply.to(request, 0))) {
                events.increment(IcmpEvent.ECHO_ANSWERED);
            }
        };
        try {
            return echoForwarder.forward(address(dstHigh, dstLow), reply);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** @return an address of this ICMP's network layer as a JDK address */
    abstract java.net.InetAddress address(long high, long low);

    /** Sends an echo request (a ping). */
    final boolean ping(long fromHigh, long fromLow, long toHigh, long toLow, int ident, int sequence,
            ByteBuffer data) {
        return send(fromHigh, fromLow, toHigh, toLow, IcmpWriters.HEADER_LENGTH + data.remaining(),
                echoRequest.of(ident, sequence, data));
    }

    /** Counts an echo reply and tells the listener. */
    final void echoReplied(long srcHigh, long srcLow, int ident, int sequence, ByteBuffer buffer, int dataOffset,
            int dataLength) {
        events.increment(IcmpEvent.ECHO_REPLY_RECEIVED);
        IcmpWriters.echoReplied(echoListener, srcHigh, srcLow, ident, sequence, buffer, dataOffset, dataLength);
    }

    /** @return ICMP's protocol number in its network layer */
    final int protocolNumber() {
        return protocolNumber;
    }

    /**
     * Hands a destination-unreachable error about one of the stack's own packets to the transport that sent it.
     * The quoted packet must come from an own address and quote the transport's ports; anything else is counted and
     * dropped.
     */
    final void unreachableReceived(IpLayer<?> ip, Unreachable why, long srcHigh, long srcLow, long dstHigh,
            long dstLow, int protocol, ByteBuffer buffer, int offset, int length) {
        Transport transport = ip.transports.get(protocol);
        if (why == null || transport == null || length < 8 || !ip.isOwnAddress(srcHigh, srcLow)) {
            events.increment(IcmpEvent.ERROR_RECEIVED);
            return;
        }
        events.increment(IcmpEvent.UNREACHABLE_DELIVERED);
        transport.unreachable(ip, why, srcHigh, srcLow, dstHigh, dstLow, buffer, offset, length);
    }
}
