package layer45.customizations.aesgcm;

import static layer45.customizations.aesgcm.WireFormat.LENGTH;
import static layer45.customizations.aesgcm.WireFormat.TAG;

import java.security.SecureRandom;

import layer45.api.Chunk;
import layer45.api.Output;

/** Encrypts what one direction of a TCP flow sends: the header first, then records of at most the record size. */
final class StreamSealer {

    private final RecordCipher cipher;
    private final byte[] header;
    private final int recordSize;
    private boolean headerSent;
    private long number;

    /**
     * @param key the configured key
     * @param direction the direction byte of what this side sends
     * @param recordSize the most plaintext bytes per record
     * @param random where the salt comes from
     */
    StreamSealer(MasterKey key, byte direction, int recordSize, SecureRandom random) {
        this.header = WireFormat.newHeader(random);
        this.cipher = new RecordCipher(key.derive(direction, header, header.length - WireFormat.SALT), direction);
        this.recordSize = recordSize;
    }

    /**
     * Encrypts as much of the chunk as the output takes, in records; what does not fit stays unread.
     *
     * @param source the plaintext
     * @param output where the header and records go
     */
    void seal(Chunk source, Output output) {
        if (!headerSent) {
            output.write(header);
            headerSent = true;
        }
        Scratch scratch = Scratch.get();
        while (source.remaining() > 0) {
            int space = output.maxLength() - output.length() - LENGTH - TAG;
            int n = Math.min(Math.min(recordSize, source.remaining()), space);
            if (n <= 0) {
                return; // the output is full; a smaller last record would only add overhead
            }
            source.copyFull(scratch.plain, 0, n);
            int sealed = cipher.seal(number++, scratch.plain, n, scratch.sealed, LENGTH);
            scratch.sealed[0] = (byte) (sealed >>> 8);
            scratch.sealed[1] = (byte) sealed;
            output.write(scratch.sealed, 0, LENGTH + sealed);
        }
    }
}
