package layer45.mnet.wire;

/**
 * An ICMPv4 message as a value: the 8-byte header by meaning, plus the length of the data that follows (echo
 * data, or the quoted datagram of an error). The data itself is the caller's to write.
 *
 * <p>Echo messages with a non-zero code, and types the stack does not interpret, parse as {@link Other}, which
 * keeps the raw header. The accessors every message has ({@code type()}, {@code code()}, {@code restOfHeader()},
 * {@code dataLength()}, {@code headerLength()}, {@code bufferLength()}) are the same for ICMPv6.
 */
public sealed interface Icmpv4Repr extends IcmpRepr {

    /**
     * Writes the whole header, the checksum as zero; the caller writes the data, then calls
     * {@link Icmpv4Packet#fillChecksum()} on a view of exactly the message.
     *
     * @param p a view wrapped, unchecked, around at least 8 bytes
     * @throws IllegalArgumentException if the view is too short
     */
    default void emit(Icmpv4Packet p) {
        p.emitHeader("an ICMPv4 header", this);
    }

    /**
     * @param p a message that passed {@link Icmpv4Packet#check()}; the checksum is the caller's to verify
     * @return its meaning; never fails
     */
    static Icmpv4Repr parse(Icmpv4Packet p) {
        int data = p.payloadLength();
        return switch (p.type()) {
            case Icmpv4Type.ECHO_REQUEST ->
                    p.code() == 0 ? new EchoRequest(p.echoIdent(), p.echoSeq(), data) : other(p);
            case Icmpv4Type.ECHO_REPLY -> p.code() == 0 ? new EchoReply(p.echoIdent(), p.echoSeq(), data) : other(p);
            case Icmpv4Type.DEST_UNREACHABLE -> new DestUnreachable(p.code(), p.nextHopMtu(), data);
            case Icmpv4Type.TIME_EXCEEDED -> new TimeExceeded(p.code(), data);
            case Icmpv4Type.PARAMETER_PROBLEM -> new ParameterProblem(p.code(), p.pointer(), data);
            default -> other(p);
        };
    }

    private static Other other(Icmpv4Packet p) {
        return new Other(p.type(), p.code(), p.restOfHeader(), p.payloadLength());
    }

    /**
     * Echo Request (RFC 792).
     *
     * @param ident the identifier, 0..65535
     * @param seq the sequence number, 0..65535
     * @param dataLength the echo data length
     */
    record EchoRequest(int ident, int seq, int dataLength) implements Icmpv4Repr, IcmpRepr.Echo {
        /** @throws IllegalArgumentException if a field is out of range */
        public EchoRequest {
            IcmpRepr.Echo.check("ICMPv4", ident, seq, dataLength);
        }

        @Override
        public int type() {
            return Icmpv4Type.ECHO_REQUEST;
        }
    }

    /**
     * Echo Reply (RFC 792).
     *
     * @param ident the identifier of the request, 0..65535
     * @param seq the sequence number of the request, 0..65535
     * @param dataLength the echo data length
     */
    record EchoReply(int ident, int seq, int dataLength) implements Icmpv4Repr, IcmpRepr.Echo {
        /** @throws IllegalArgumentException if a field is out of range */
        public EchoReply {
            IcmpRepr.Echo.check("ICMPv4", ident, seq, dataLength);
        }

        @Override
        public int type() {
            return Icmpv4Type.ECHO_REPLY;
        }
    }

    /**
     * Destination Unreachable (RFC 792), data being the quoted datagram's header and first 8 payload bytes or more.
     *
     * @param code the code, one of {@link Icmpv4Type#PORT_UNREACHABLE} and friends
     * @param nextHopMtu the next-hop MTU for {@link Icmpv4Type#FRAG_NEEDED} (RFC 1191), otherwise 0
     * @param dataLength the quoted datagram length
     */
    record DestUnreachable(int code, int nextHopMtu, int dataLength) implements Icmpv4Repr {
        /** @throws IllegalArgumentException if a field is out of range */
        public DestUnreachable {
            IcmpRepr.checkCode("ICMPv4", code);
            Reprs.range("ICMPv4 next-hop MTU", nextHopMtu, 0, 0xFFFF);
            IcmpRepr.checkData("ICMPv4", dataLength);
        }

        @Override
        public int type() {
            return Icmpv4Type.DEST_UNREACHABLE;
        }

        @Override
        public int restOfHeader() {
            return nextHopMtu;
        }
    }

    /**
     * Time Exceeded (RFC 792).
     *
     * @param code {@link Icmpv4Type#TTL_EXCEEDED} or {@link Icmpv4Type#REASSEMBLY_TIME_EXCEEDED}
     * @param dataLength the quoted datagram length
     */
    record TimeExceeded(int code, int dataLength) implements Icmpv4Repr {
        /** @throws IllegalArgumentException if a field is out of range */
        public TimeExceeded {
            IcmpRepr.checkCode("ICMPv4", code);
            IcmpRepr.checkData("ICMPv4", dataLength);
        }

        @Override
        public int type() {
            return Icmpv4Type.TIME_EXCEEDED;
        }

        @Override
        public int restOfHeader() {
            return 0;
        }
    }

    /**
     * Parameter Problem (RFC 792).
     *
     * @param code {@link Icmpv4Type#POINTER_INDICATES_ERROR} and friends
     * @param pointer the offset of the bad octet in the quoted header, 0..255
     * @param dataLength the quoted datagram length
     */
    record ParameterProblem(int code, int pointer, int dataLength) implements Icmpv4Repr {
        /** @throws IllegalArgumentException if a field is out of range */
        public ParameterProblem {
            IcmpRepr.checkCode("ICMPv4", code);
            Reprs.range("ICMPv4 parameter problem pointer", pointer, 0, 255);
            IcmpRepr.checkData("ICMPv4", dataLength);
        }

        @Override
        public int type() {
            return Icmpv4Type.PARAMETER_PROBLEM;
        }

        @Override
        public int restOfHeader() {
            return pointer << 24;
        }
    }

    /**
     * Any other message, kept raw.
     *
     * @param type the type field, 0..255
     * @param code the code field, 0..255
     * @param restOfHeader the four type-specific bytes
     * @param dataLength the data length
     */
    record Other(int type, int code, int restOfHeader, int dataLength) implements Icmpv4Repr {
        /** @throws IllegalArgumentException if a field is out of range */
        public Other {
            Reprs.range("ICMPv4 type", type, 0, 255);
            IcmpRepr.checkCode("ICMPv4", code);
            IcmpRepr.checkData("ICMPv4", dataLength);
        }
    }
}
