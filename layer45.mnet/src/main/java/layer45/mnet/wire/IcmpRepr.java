package layer45.mnet.wire;

/**
 * What the ICMPv4 and ICMPv6 message values share: the 8-byte header by meaning, the data length, and the checks of
 * their fields. The public types are {@link Icmpv4Repr} and {@link Icmpv6Repr}; this one carries what they have in
 * common, and {@link Echo} what their echo messages have in common.
 */
interface IcmpRepr {

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
        return IcmpPacket.HEADER_LENGTH;
    }

    /** @return header plus data: the message length */
    default int bufferLength() {
        return IcmpPacket.HEADER_LENGTH + dataLength();
    }

    /**
     * @param icmp "ICMPv4" or "ICMPv6", for the message
     * @param code the code field
     * @throws IllegalArgumentException unless the code is 0..255
     */
    static void checkCode(String icmp, int code) {
        Reprs.range(icmp, "code", code, 0, 255);
    }

    /**
     * @param icmp "ICMPv4" or "ICMPv6", for the message
     * @param dataLength the data length
     * @throws IllegalArgumentException unless the data length is 0 or more and fits an {@code int} with the header
     */
    static void checkData(String icmp, int dataLength) {
        Reprs.range(icmp, "data length", dataLength, 0, Integer.MAX_VALUE - IcmpPacket.HEADER_LENGTH);
    }

    /**
     * An Echo Request or Reply (RFC 792, RFC 4443 section 4): code 0, the identifier and sequence number in the
     * four type-specific bytes.
     */
    interface Echo extends IcmpRepr {

        /** @return the identifier, 0..65535 */
        int ident();

        /** @return the sequence number, 0..65535 */
        int seq();

        /** @return 0: an echo with another code parses as {@code Other} */
        @Override
        default int code() {
            return 0;
        }

        /** @return the identifier in the high 16 bits, the sequence number in the low 16 */
        @Override
        default int restOfHeader() {
            return ident() << 16 | seq();
        }

        /**
         * @param icmp "ICMPv4" or "ICMPv6", for the message
         * @param ident the identifier
         * @param seq the sequence number
         * @param dataLength the echo data length
         * @throws IllegalArgumentException if a field is out of range
         */
        static void check(String icmp, int ident, int seq, int dataLength) {
            Reprs.range(icmp, "echo identifier", ident, 0, 0xFFFF);
            Reprs.range(icmp, "echo sequence", seq, 0, 0xFFFF);
            checkData(icmp, dataLength);
        }
    }
}
