package layer45.mnet.wire;

/**
 * An ICMPv6 message as a value: the 8-byte header by meaning, plus the length of the data that follows (echo
 * data, or the quoted packet of an error). The data itself is the caller's to write.
 *
 * <p>Echo and Packet Too Big messages with a non-zero code, and types the stack does not interpret, parse as
 * {@link Other}, which keeps the raw header. The accessors every message has ({@code type()}, {@code code()},
 * {@code restOfHeader()}, {@code dataLength()}, {@code headerLength()}, {@code bufferLength()}) are the same for
 * ICMPv4.
 */
public sealed interface Icmpv6Repr extends IcmpRepr {

    /**
     * Writes the whole header, the checksum as zero; the caller writes the data, then calls
     * {@link Icmpv6Packet#fillChecksum(long)} on a view of exactly the message.
     *
     * @param p a view wrapped, unchecked, around at least 8 bytes
     * @throws IllegalArgumentException if the view is too short
     */
    default void emit(Icmpv6Packet p) {
        p.emitHeader("an ICMPv6 header", this);
    }

    /**
     * @param p a message that passed {@link Icmpv6Packet#check()}; the checksum is the caller's to verify
     * @return its meaning; never fails
     */
    static Icmpv6Repr parse(Icmpv6Packet p) {
        int data = p.payloadLength();
        return switch (p.type()) {
            case Icmpv6Type.ECHO_REQUEST ->
                    p.code() == 0 ? new EchoRequest(p.echoIdent(), p.echoSeq(), data) : other(p);
            case Icmpv6Type.ECHO_REPLY -> p.code() == 0 ? new EchoReply(p.echoIdent(), p.echoSeq(), data) : other(p);
            case Icmpv6Type.DEST_UNREACHABLE -> new DestUnreachable(p.code(), data);
            case Icmpv6Type.PACKET_TOO_BIG -> p.code() == 0 ? new PacketTooBig(p.mtu(), data) : other(p);
            case Icmpv6Type.TIME_EXCEEDED -> new TimeExceeded(p.code(), data);
            case Icmpv6Type.PARAMETER_PROBLEM -> new ParameterProblem(p.code(), p.pointer(), data);
            default -> other(p);
        };
    }

    private static Other other(Icmpv6Packet p) {
        return new Other(p.type(), p.code(), p.restOfHeader(), p.payloadLength());
    }

    /**
     * Echo Request (RFC 4443).
     *
     * @param ident the identifier, 0..65535
     * @param seq the sequence number, 0..65535
     * @param dataLength the echo data length
     */
    record EchoRequest(int ident, int seq, int dataLength) implements Icmpv6Repr, IcmpRepr.Echo {
        /** @throws IllegalArgumentException if a field is out of range */
        public EchoRequest {
            IcmpRepr.Echo.check("ICMPv6", ident, seq, dataLength);
        }

        @Override
        public int type() {
            return Icmpv6Type.ECHO_REQUEST;
        }
    }

    /**
     * Echo Reply (RFC 4443).
     *
     * @param ident the identifier of the request, 0..65535
     * @param seq the sequence number of the request, 0..65535
     * @param dataLength the echo data length
     */
    record EchoReply(int ident, int seq, int dataLength) implements Icmpv6Repr, IcmpRepr.Echo {
        /** @throws IllegalArgumentException if a field is out of range */
        public EchoReply {
            IcmpRepr.Echo.check("ICMPv6", ident, seq, dataLength);
        }

        @Override
        public int type() {
            return Icmpv6Type.ECHO_REPLY;
        }
    }

    /**
     * Destination Unreachable (RFC 4443, section 3.1), data being as much of the invoking packet as fits in the
     * minimum MTU.
     *
     * @param code the code, one of {@link Icmpv6Type#PORT_UNREACHABLE} and friends
     * @param dataLength the quoted packet length
     */
    record DestUnreachable(int code, int dataLength) implements Icmpv6Repr {
        /** @throws IllegalArgumentException if a field is out of range */
        public DestUnreachable {
            IcmpRepr.checkCode("ICMPv6", code);
            IcmpRepr.checkData("ICMPv6", dataLength);
        }

        @Override
        public int type() {
            return Icmpv6Type.DEST_UNREACHABLE;
        }

        @Override
        public int restOfHeader() {
            return 0;
        }
    }

    /**
     * Packet Too Big (RFC 4443, section 3.2).
     *
     * @param mtu the MTU of the next-hop link (32 bits)
     * @param dataLength the quoted packet length
     */
    record PacketTooBig(int mtu, int dataLength) implements Icmpv6Repr {
        /** @throws IllegalArgumentException if a field is out of range */
        public PacketTooBig {
            IcmpRepr.checkData("ICMPv6", dataLength);
        }

        @Override
        public int type() {
            return Icmpv6Type.PACKET_TOO_BIG;
        }

        @Override
        public int code() {
            return 0;
        }

        @Override
        public int restOfHeader() {
            return mtu;
        }
    }

    /**
     * Time Exceeded (RFC 4443).
     *
     * @param code {@link Icmpv6Type#HOP_LIMIT_EXCEEDED} or {@link Icmpv6Type#REASSEMBLY_TIME_EXCEEDED}
     * @param dataLength the quoted datagram length
     */
    record TimeExceeded(int code, int dataLength) implements Icmpv6Repr {
        /** @throws IllegalArgumentException if a field is out of range */
        public TimeExceeded {
            IcmpRepr.checkCode("ICMPv6", code);
            IcmpRepr.checkData("ICMPv6", dataLength);
        }

        @Override
        public int type() {
            return Icmpv6Type.TIME_EXCEEDED;
        }

        @Override
        public int restOfHeader() {
            return 0;
        }
    }

    /**
     * Parameter Problem (RFC 4443).
     *
     * @param code {@link Icmpv6Type#ERRONEOUS_HEADER_FIELD} and friends
     * @param pointer the offset of the error in the quoted packet (32 bits)
     * @param dataLength the quoted datagram length
     */
    record ParameterProblem(int code, int pointer, int dataLength) implements Icmpv6Repr {
        /** @throws IllegalArgumentException if a field is out of range */
        public ParameterProblem {
            IcmpRepr.checkCode("ICMPv6", code);
            IcmpRepr.checkData("ICMPv6", dataLength);
        }

        @Override
        public int type() {
            return Icmpv6Type.PARAMETER_PROBLEM;
        }

        @Override
        public int restOfHeader() {
            return pointer;
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
    record Other(int type, int code, int restOfHeader, int dataLength) implements Icmpv6Repr {
        /** @throws IllegalArgumentException if a field is out of range */
        public Other {
            Reprs.range("ICMPv6 type", type, 0, 255);
            IcmpRepr.checkCode("ICMPv6", code);
            IcmpRepr.checkData("ICMPv6", dataLength);
        }
    }
}
