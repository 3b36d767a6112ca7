package layer45.mnet.wire;

/**
 * The outcome of checking a DNS message as a query (RFC 1035, section 4.1): {@link #VALID}, or the reason it is not
 * a standard query the stack's name service reads. The name service counts each constant; a message that is not
 * {@code VALID} is relayed upstream unread, as it was before the stack answered any name.
 */
public enum DnsCheck {
    /** A standard query with one question: every accessor of {@link DnsPacket} is now safe. */
    VALID,
    /** Shorter than the 12-byte header. */
    TRUNCATED,
    /** The QR bit says it is a response, not a query. */
    RESPONSE,
    /** An opcode other than QUERY (0): inverse queries, status, notify, update. */
    OPCODE,
    /** Not exactly one question. */
    QUESTION_COUNT,
    /** A query carrying answer or authority records. */
    RECORDS_IN_QUERY,
    /** A name runs past the end of the message. */
    NAME_TRUNCATED,
    /** A label of the reserved types 01 or 10 (RFC 6891 retired the extended label types). */
    LABEL_TYPE,
    /** A name longer than 255 bytes on the wire (RFC 1035, section 2.3.4). */
    NAME_TOO_LONG,
    /** A compression pointer that does not point back into the message, or too many of them in one name. */
    BAD_POINTER,
    /** The question's type and class, or an additional record, run past the end of the message. */
    RECORD_TRUNCATED,
    /** More than one OPT record, or one that is not owned by the root name (RFC 6891, section 6.1.1). */
    BAD_OPT,
    /** Bytes after the last record the header counts. */
    TRAILING_BYTES
}
