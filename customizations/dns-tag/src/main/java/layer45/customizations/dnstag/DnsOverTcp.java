package layer45.customizations.dnstag;

import layer45.api.Chunk;
import layer45.api.Output;

/** DNS over TCP framing (RFC 1035 section 4.2.2, RFC 7766): each message follows its length in 2 bytes. */
final class DnsOverTcp {

    /** Bytes of the length before each message. */
    static final int PREFIX_LENGTH = 2;
    /** The longest message the prefix can announce. */
    static final int MAX_MESSAGE = 0xffff;

    private DnsOverTcp() {
    }

    /** @return the length announced by the 2 bytes at the chunk's position, which does not move */
    static int messageLength(Chunk source) {
        return (source.byteAt(0) & 0xff) << 8 | source.byteAt(1) & 0xff;
    }

    /** Writes a message length prefix. */
    static void writeLength(Output output, int length) {
        output.writeByte(length >>> 8).writeByte(length);
    }
}
