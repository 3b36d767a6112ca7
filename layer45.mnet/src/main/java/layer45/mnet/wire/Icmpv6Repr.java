package layer45.mnet.wire;

/**
 * An ICMPv6 message as a value: the 8-byte header by meaning, plus the length of the data that follows (echo
 * data, or the quoted packet of an error). The data itself is the caller's to write.
 *
 * <p>Echo and Packet Too Big messages with a non-zero code, and types the stack does not interpret, parse as {@link Other}, which
 * keeps the raw header.
 */
public sealed interface Icmpv6Repr {

    /** @return the type field */
    int type();

    /** @return the code field */
    int code();

    /** @return the four type-specific header bytes as emitted */
    int restOfHeader();

    /** @return the data length after the 8-byte header */
    int dataLength();

    /** @return 8 */
    default int headerLength() {
        return Icmpv6Packet.HEADER_LENGTH;
    }

    /** @return header plus data: the message length */
    default int bufferLength() {
        return Icmpv6Packet.HEADER_LENGTH + dataLength();
    }

    /**
     * Writes the whole header, the checksum as zero; the caller writes the data, then calls
     * {@link Icmpv6Packet#fillChecksum(long)} on a view of exactly the message.
     *
     * @param p a view wrapped, unchecked, around at least 8 bytes
     * @throws IllegalArgumentException if the view is too short
     */
    default void emit(Icmpv6Packet p) {
        Reprs.room("an ICMPv6 header", Icmpv6Packet.HEADER_LENGTH, p.length());
        p.setType(type());
        p.setCode(code());
        p.setChecksum(0);
        p.setRestOfHeader(restOfHeader());
    }

    /**
     * @param p a message that passed {@link Icmpv6Packet#check()}; the checksum is the caller's to verify
     * @return its meaning; never fails
     */
    static Icmpv6Repr parse(Icmpv6Packet p) {
        int data = p.payloadLength();
        return switch (p.type()) {
            case Icmpv6Type.ECHO_REQUEST -> p.code() == 0 ? new EchoRequest(p.echoIdent(), p.echoSeq(), data)
                    : new Other(p.type(), p.code(), p.restOfHeader(), data);
            case Icmpv6Type.ECHO_REPLY -> p.code() == 0 ? new EchoReply(p.echoIdent(), p.echoSeq(), data)
                    : new Other(p.type(), p.code(), p.restOfHeader(), data);
            case Icmpv6Type.DEST_UNREACHABLE -> new DestUnreachable(p.code(), data);
            case Icmpv6Type.PACKET_TOO_BIG -> p.code() == 0 ? new PacketTooBig(p.mtu(), data)
                    : new Other(p.type(), p.code(), p.restOfHeader(), data);
            case Icmpv6Type.TIME_EXCEEDED -> new TimeExceeded(p.code(), data);
            case Icmpv6Type.PARAMETER_PROBLEM -> new ParameterProblem(p.code(), p.pointer(), data);
            default -> new Other(p.type(), p.code(), p.restOfHeader(), data);
        };
    }

    /**
     * Echo Request (RFC 4443).
     *
     * @param ident the identifier, 0..65535
     * @param seq the sequence number, 0..65535
     * @param dataLength the echo data length
     */
    record EchoRequest(int ident, int seq, int dataLength) implements Icmpv6Repr {
        /** @throws IllegalArgumentException if a field is out of range */
        public EchoRequest {
            Reprs.range("ICMPv6 echo identifier", ident, 0, 0xFFFF);
            Reprs.range("ICMPv6 echo sequence", seq, 0, 0xFFFF);
            Reprs.range("ICMPv6 data length", dataLength, 0, Integer.MAX_VALUE - 8);
        }

        @Override
        public int type() {
            return Icmpv6Type.ECHO_REQUEST;
        }

        @Override
        public int code() {
            return 0;
        }

        @Override
        public int restOfHeader() {
            return ident << 16 | seq;
        }
    }

    /**
     * Echo Reply (RFC 4443).
     *
     * @param ident the identifier of the request, 0..65535
     * @param seq the sequence number of the request, 0..65535
     * @param dataLength the echo data length
     */
    record EchoReply(int ident, int seq, int dataLength) implements Icmpv6Repr {
        /** @throws IllegalArgumentException if a field is out of range */
        public EchoReply {
            Reprs.range("ICMPv6 echo identifier", ident, 0, 0xFFFF);
            Reprs.range("ICMPv6 echo sequence", seq, 0, 0xFFFF);
            Reprs.range("ICMPv6 data length", dataLength, 0, Integer.MAX_VALUE - 8);
        }

        @Override
        public int type() {
            return Icmpv6Type.ECHO_REPLY;
        }

        @Override
        public int code() {
            return 0;
        }

        @Override
        public int restOfHeader() {
            return ident << 16 | seq;
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
            Reprs.range("ICMPv6 code", code, 0, 255);
            Reprs.range("ICMPv6 data length", dataLength, 0, Integer.MAX_VALUE - 8);
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
            Reprs.range("ICMPv6 data length", dataLength, 0, Integer.MAX_VALUE - 8);
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
            Reprs.range("ICMPv6 code", code, 0, 255);
            Reprs.range("ICMPv6 data length", dataLength, 0, Integer.MAX_VALUE - 8);
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
            Reprs.range("ICMPv6 code", code, 0, 255);
            Reprs.range("ICMPv6 data length", dataLength, 0, Integer.MAX_VALUE - 8);
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
            Reprs.range("ICMPv6 code", code, 0, 255);
            Reprs.range("ICMPv6 data length", dataLength, 0, Integer.MAX_VALUE - 8);
        }
    }
}
