package layer45.customizations.tlstag;

import layer45.api.Chunk;
import layer45.api.Output;
import layer45.customizations.bulktag.stream.PeriodicTags;

/**
 * Per-flow state of the TLS tag receiver: where the stream stands among its tags, and in its TLS records.
 *
 * <p>A TLS record is a 5-byte header (content type, protocol version, length) and that many bytes of body
 * (RFC 8446 section 5.1, RFC 5246 section 6.2).
 */
final class TaggedRecords {

    /** Bytes of a TLS record header. */
    static final int HEADER = 5;
    /** The longest record body TLS 1.2 allows (2^14 + 2048); TLS 1.3's are shorter. */
    static final int MAX_BODY = (1 << 14) + 2048;

    /** The tag position of the receive direction. */
    final PeriodicTags tags = new PeriodicTags();
    /** Data bytes from the current position to the end of the current record; 0 when its header is not read. */
    private int recordLeft;

    /**
     * Moves every complete record of the chunk to the output (or a piece of one too long for the output), stripping
     * the tags, and stops at the first incomplete one.
     *
     * @param source the chunk, from a record boundary or where the last piece ended; its tags already checked
     * @param output where records go
     * @return {@code false} if the bytes are not TLS records
     */
    boolean deliverWhole(Chunk source, Output output) {
        int available = tags.dataIn(source.remaining());
        while (true) {
            if (recordLeft == 0) {
                if (available < HEADER) {
                    return true;
                }
                int type = tags.dataAt(source, 0) & 0xff;
                int major = tags.dataAt(source, 1) & 0xff;
                int length = (tags.dataAt(source, 3) & 0xff) << 8 | tags.dataAt(source, 4) & 0xff;
                if (type < 20 || type > 24 || major != 3 || length > MAX_BODY) {
                    return false; // not change_cipher_spec, alert, handshake, application_data or heartbeat
                }
                recordLeft = HEADER + length;
            }
            int space = output.maxLength() - output.length();
            boolean fits = recordLeft <= output.maxLength();
            int n = fits ? recordLeft : Math.min(available, space);
            if (n == 0 || available < n || space < n) {
                return true; // incomplete, or the output is full: wait for the rest
            }
            tags.strip(source, output, n);
            recordLeft -= n;
            available -= n;
        }
    }

    /**
     * @param source the chunk, at the first byte not delivered
     * @return how many bytes the next call needs to make progress: the rest of the record (with its tags) or of
     *         its header; 0 (any) when complete records are left because the output was full
     */
    int rawNeeded(Chunk source) {
        int needed = tags.rawFor(recordLeft > 0 ? recordLeft : HEADER);
        return needed > source.remaining() ? needed : 0;
    }
}
