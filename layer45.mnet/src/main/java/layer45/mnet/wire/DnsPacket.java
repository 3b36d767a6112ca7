package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * A reusable view of a DNS query (RFC 1035, section 4.1) in a big-endian {@link ByteBuffer}: the message of a UDP
 * datagram, or of DNS over TCP without its two-byte length.
 *
 * <p>Like the packet views, it reads in place with absolute indices and never moves the buffer. {@link #check()}
 * walks the whole message, bounded by its length (a name follows at most {@value #MAX_POINTERS} compression
 * pointers); after {@link DnsCheck#VALID}, no accessor throws.
 */
public final class DnsPacket {

    /** The length of the header. */
    public static final int HEADER_LENGTH = 12;
    /** Record type A: an IPv4 address. */
    public static final int TYPE_A = 1;
    /** Record type AAAA: an IPv6 address. */
    public static final int TYPE_AAAA = 28;
    /** Record type PTR: the name of an address, asked under {@code in-addr.arpa} or {@code ip6.arpa}. */
    public static final int TYPE_PTR = 12;
    /** Record type OPT: EDNS (RFC 6891). */
    public static final int TYPE_OPT = 41;
    /** Query type ANY. */
    public static final int TYPE_ANY = 255;
    /** Class IN. */
    public static final int CLASS_IN = 1;
    /** Query class ANY. */
    public static final int CLASS_ANY = 255;
    /** The most compression pointers one name may follow. */
    public static final int MAX_POINTERS = 16;
    /** The longest name on the wire, length bytes included. */
    public static final int MAX_NAME = 255;

    private static final int FLAGS = 2;
    private static final int QDCOUNT = 4;
    private static final int ANCOUNT = 6;
    private static final int NSCOUNT = 8;
    private static final int ARCOUNT = 10;
    /** What a negative result of {@code skipName} means, by its magnitude. */
    private static final DnsCheck[] NAME_CHECKS = {DnsCheck.VALID, DnsCheck.NAME_TRUNCATED, DnsCheck.LABEL_TYPE,
        DnsCheck.NAME_TOO_LONG, DnsCheck.BAD_POINTER};

    private ByteBuffer buf;
    private int off;
    private int len;
    /** Set by {@link #check()}: the relative end of the question, and whether an OPT record came with it. */
    private int questionEnd;
    private int nameEnd;
    private boolean opt;
    private int optPayloadSize;

    /** Creates an empty view; {@link #wrap} it before use. */
    public DnsPacket() {
    }

    /**
     * @param buffer a big-endian buffer whose position..limit is the message
     * @return this view, unchecked
     */
    public DnsPacket wrap(ByteBuffer buffer) {
        this.buf = buffer;
        this.off = buffer.position();
        this.len = buffer.remaining();
        this.questionEnd = 0;
        return this;
    }

    /**
     * Checks that the bytes are a standard query with one question, an optional OPT record and nothing else, never
     * throwing.
     *
     * @return {@link DnsCheck#VALID}, or the first reason they are not
     */
    public DnsCheck check() {
        questionEnd = 0;
        opt = false;
        if (len < HEADER_LENGTH || off < 0 || off + len > buf.limit()) {
            return DnsCheck.TRUNCATED;
        }
        int flags = u16(FLAGS);
        if ((flags & 0x8000) != 0) {
            return DnsCheck.RESPONSE;
        }
        if ((flags >>> 11 & 0xF) != 0) {
            return DnsCheck.OPCODE;
        }
        if (u16(QDCOUNT) != 1) {
            return DnsCheck.QUESTION_COUNT;
        }
        if (u16(ANCOUNT) != 0 || u16(NSCOUNT) != 0) {
            return DnsCheck.RECORDS_IN_QUERY;
        }
        int end = skipName(HEADER_LENGTH);
        if (end < 0) {
            return NAME_CHECKS[-end];
        }
        nameEnd = end;
        if (end + 4 > len) {
            return DnsCheck.RECORD_TRUNCATED;
        }
        int at = end + 4;
        int question = at;
        for (int i = u16(ARCOUNT); i > 0; i--) {
            int owner = at;
            int afterName = skipName(at);
            if (afterName < 0) {
                return NAME_CHECKS[-afterName];
            }
            if (afterName + 10 > len || afterName + 10 + u16(afterName + 8) > len) {
                return DnsCheck.RECORD_TRUNCATED;
            }
            if (u16(afterName) == TYPE_OPT) {
                if (opt || afterName != owner + 1) { // the root name is the single byte 0
                    return DnsCheck.BAD_OPT;
                }
                opt = true;
                optPayloadSize = u16(afterName + 2);
            }
            at = afterName + 10 + u16(afterName + 8);
        }
        if (at != len) {
            opt = false;
            return DnsCheck.TRAILING_BYTES;
        }
        questionEnd = question;
        return DnsCheck.VALID;
    }

    /**
     * Walks a name.
     *
     * @param start the relative index where it starts
     * @return the relative index after it in place (after its first pointer, if any), or minus the index of the
     *         problem in {@link #NAME_CHECKS}
     */
    private int skipName(int start) {
        int at = start;
        int end = -1;
        int wire = 0;
        int pointers = 0;
        while (true) {
            if (at >= len) {
                return -1;
            }
            int b = u8(at);
            if (b == 0) {
                return wire + 1 > MAX_NAME ? -3 : end < 0 ? at + 1 : end;
            }
            switch (b & 0xC0) {
                case 0x00 -> {
                    wire += 1 + b;
                    if (wire + 1 > MAX_NAME) {
                        return -3;
                    }
                    if (at + 1 + b > len) {
                        return -1;
                    }
                    at += 1 + b;
                }
                case 0xC0 -> {
                    if (at + 2 > len) {
                        return -1;
                    }
                    int target = (b & 0x3F) << 8 | u8(at + 1);
                    if (target < HEADER_LENGTH || target >= at || ++pointers > MAX_POINTERS) {
                        return -4;
                    }
                    if (end < 0) {
                        end = at + 2;
                    }
                    at = target;
                }
                default -> {
                    return -2;
                }
            }
        }
    }

    /** @return the message id */
    public int id() {
        return u16(0);
    }

    /** @return whether the client asked for recursion (RD) */
    public boolean recursionDesired() {
        return (u16(FLAGS) & 0x0100) != 0;
    }

    /** @return the question's type, such as {@link #TYPE_A}; after {@link DnsCheck#VALID} */
    public int questionType() {
        return u16(nameEnd);
    }

    /** @return the question's class, such as {@link #CLASS_IN}; after {@link DnsCheck#VALID} */
    public int questionClass() {
        return u16(nameEnd + 2);
    }

    /** @return the header and the question's length: what a response repeats; after {@link DnsCheck#VALID} */
    public int questionEnd() {
        return questionEnd;
    }

    /** @return whether the query has an OPT record (EDNS); after {@link DnsCheck#VALID} */
    public boolean hasOpt() {
        return opt;
    }

    /** @return the UDP payload size the client's OPT record offers; after {@link DnsCheck#VALID} with an OPT */
    public int optPayloadSize() {
        return optPayloadSize;
    }

    /**
     * Appends the question's name, its labels joined by '.', ASCII letters in lower case, without the final dot (the
     * root is empty). Bytes outside printable ASCII become '?', so such a name matches no identifier.
     *
     * @param into where to append; after {@link DnsCheck#VALID}
     * @return {@code into}
     */
    public StringBuilder questionName(StringBuilder into) {
        int at = HEADER_LENGTH;
        boolean first = true;
        for (int guard = 0; guard <= MAX_NAME + MAX_POINTERS; guard++) { // check() proved the walk ends sooner
            int b = u8(at);
            if (b == 0) {
                break;
            }
            if ((b & 0xC0) == 0xC0) {
                at = (b & 0x3F) << 8 | u8(at + 1);
                continue;
            }
            if (!first) {
                into.append('.');
            }
            first = false;
            for (int i = 1; i <= b; i++) {
                int c = u8(at + i);
                into.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c > 32 && c < 127 && c != '.' ? (char) c : '?');
            }
            at += 1 + b;
        }
        return into;
    }

    /**
     * Copies the header and the question into {@code out} at its position, and moves its position past them.
     *
     * @param out where to copy; needs {@link #questionEnd()} bytes of room
     */
    void copyQuestion(ByteBuffer out) {
        out.put(out.position(), buf, off, questionEnd);
        out.position(out.position() + questionEnd);
    }

    private int u8(int relative) {
        return buf.get(off + relative) & 0xFF;
    }

    private int u16(int relative) {
        return buf.getShort(off + relative) & 0xFFFF;
    }
}
