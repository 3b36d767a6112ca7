package layer45.mnet.wire;

import java.nio.ByteBuffer;

/**
 * Writes the response to a query {@link DnsPacket} checked {@link DnsCheck#VALID}: the query's header and question,
 * then address records for its name, then an OPT record if the query had one (RFC 6891, section 7). Reusable; it
 * allocates nothing.
 *
 * <pre>
 * int length = response.begin(out, query, DnsResponse.NOERROR).address(ttl, bytes).finish();
 * </pre>
 */
public final class DnsResponse {

    /** No error. */
    public static final int NOERROR = 0;
    /** The server failed. */
    public static final int SERVFAIL = 2;
    /** The name does not exist. */
    public static final int NXDOMAIN = 3;
    /** The server will not answer. */
    public static final int REFUSED = 5;
    /** Room every response of this writer fits in: the question's at most 255 + 4 bytes and two address records. */
    public static final int MAX_LENGTH = 512;
    /** The UDP payload size offered in the OPT record. */
    private static final int PAYLOAD_SIZE = 1232;
    /** A name that points at the question's (offset 12). */
    private static final short QUESTION_NAME = (short) 0xC00C;

    private ByteBuffer out;
    private int start;
    private int answers;
    private boolean opt;

    /**
     * Starts a response: the query's id and question, with QR, AA and RA set, RD copied, and the response code.
     *
     * @param into where to write, from its position; needs {@link #MAX_LENGTH} bytes of room
     * @param query the query, checked {@link DnsCheck#VALID}
     * @param rcode the response code, such as {@link #NOERROR}
     * @return this writer
     * @throws IllegalArgumentException if there is not enough room (a programmer's error)
     */
    public DnsResponse begin(ByteBuffer into, DnsPacket query, int rcode) {
        if (into.remaining() < MAX_LENGTH) {
            throw new IllegalArgumentException("a DNS response needs " + MAX_LENGTH + " bytes of room, not "
                    + into.remaining());
        }
        this.out = into;
        this.start = into.position();
        this.answers = 0;
        this.opt = query.hasOpt();
        query.copyQuestion(into);
        int flags = 0x8000 | 0x0400 | 0x0080 | (query.recursionDesired() ? 0x0100 : 0) | rcode & 0xF;
        into.putShort(start + 2, (short) flags);
        into.putShort(start + 6, (short) 0);
        into.putShort(start + 8, (short) 0);
        into.putShort(start + 10, (short) 0);
        return this;
    }

    /**
     * Adds an A or AAAA record for the question's name.
     *
     * @param ttl the time to live, in seconds
     * @param address 4 bytes (A) or 16 bytes (AAAA)
     * @return this writer
     */
    public DnsResponse address(int ttl, byte[] address) {
        if (answers == 2) {
            throw new IllegalStateException("a response of this writer holds at most two addresses");
        }
        out.putShort(QUESTION_NAME);
        out.putShort((short) (address.length == 4 ? DnsPacket.TYPE_A : DnsPacket.TYPE_AAAA));
        out.putShort((short) DnsPacket.CLASS_IN);
        out.putInt(ttl);
        out.putShort((short) address.length);
        out.put(address);
        answers++;
        return this;
    }

    /**
     * Adds a PTR record for the question's name: the name of the address asked about.
     *
     * @param ttl the time to live, in seconds
     * @param name the name, labels joined by '.', without the final dot; each label 1..63 bytes of ASCII, 253
     *        characters at most
     * @return this writer
     * @throws IllegalArgumentException if the name breaks those limits (a programmer's error: names come from the
     *         host table, which checks them)
     */
    public DnsResponse pointer(int ttl, String name) {
        if (answers == 2) {
            throw new IllegalStateException("a response of this writer holds at most two records");
        }
        if (name.isEmpty() || name.length() > 253) {
            throw new IllegalArgumentException("a PTR record's name has 1..253 characters, not " + name.length());
        }
        out.putShort(QUESTION_NAME);
        out.putShort((short) DnsPacket.TYPE_PTR);
        out.putShort((short) DnsPacket.CLASS_IN);
        out.putInt(ttl);
        out.putShort((short) (name.length() + 2)); // a length byte before the first label, the root after the last
        int label = out.position();
        out.put((byte) 0);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                label = endLabel(label, name);
                out.put((byte) 0);
            } else if (c > 32 && c < 127) {
                out.put((byte) c);
            } else {
                throw new IllegalArgumentException("a PTR record's name is ASCII without spaces: '" + name + "'");
            }
        }
        endLabel(label, name);
        out.put((byte) 0);
        answers++;
        return this;
    }

    /** Writes the length of the label that starts at {@code at}; returns where the next one starts. */
    private int endLabel(int at, String name) {
        int length = out.position() - at - 1;
        if (length < 1 || length > 63) {
            throw new IllegalArgumentException("the labels of a PTR record's name have 1..63 characters: '" + name
                    + "'");
        }
        out.put(at, (byte) length);
        return out.position();
    }

    /** @return the response's length; the buffer's position is after it */
    public int finish() {
        out.putShort(start + 6, (short) answers);
        if (opt) {
            out.put((byte) 0); // the root
            out.putShort((short) DnsPacket.TYPE_OPT);
            out.putShort((short) PAYLOAD_SIZE);
            out.putInt(0); // extended rcode, version 0, no flags
            out.putShort((short) 0);
            out.putShort(start + 10, (short) 1);
        }
        return out.position() - start;
    }
}
