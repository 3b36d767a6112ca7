package layer45.customizations.aesgcm;

import static layer45.customizations.aesgcm.WireFormat.HEADER;
import static layer45.customizations.aesgcm.WireFormat.LENGTH;
import static layer45.customizations.aesgcm.WireFormat.MAX_SEALED;
import static layer45.customizations.aesgcm.WireFormat.SALT;
import static layer45.customizations.aesgcm.WireFormat.TAG;

import layer45.api.Chunk;
import layer45.api.Output;
import layer45.api.Verdict;

/**
 * Decrypts what one direction of a TCP flow receives: reads the header, then reassembles records across chunks
 * (holding partial ones back) and delivers each one's plaintext once it is authentic.
 *
 * <p>Anything else aborts the flow (rule 4): a stream that does not start with the header, a record that fails
 * authentication (tampered, replayed, reordered, from the other direction or under another key), or a stream that
 * ends inside the header or a record. A stream cut between two records ends cleanly: TCP's FIN is not
 * authenticated, and the runtime does not call a module at the end of a stream it holds nothing of.
 */
final class StreamOpener {

    /** Linux {@code EPROTO}: the bytes are not this format. */
    static final int EPROTO = 71;
    /** Linux {@code EBADMSG}: a record failed authentication. */
    static final int EBADMSG = 74;

    private final MasterKey key;
    private final byte direction;
    private RecordCipher cipher;
    private long number;

    /**
     * @param key the configured key
     * @param direction the direction byte of what this side receives
     */
    StreamOpener(MasterKey key, byte direction) {
        this.key = key;
        this.direction = direction;
    }

    /**
     * @param source the received bytes, held ones first
     * @param output where plaintext goes
     * @return the verdict for the chunk
     */
    Verdict open(Chunk source, Output output) {
        Scratch scratch = Scratch.get();
        if (cipher == null) {
            if (!startsLikeHeader(source)) {
                return output.deliver(-EPROTO);
            }
            if (source.remaining() < HEADER) {
                return holdOrEnd(source, HEADER, output);
            }
            source.advance(HEADER - SALT);
            source.copyFull(scratch.sealed, 0, SALT);
            cipher = new RecordCipher(key.derive(direction, scratch.sealed, 0), direction);
        }
        while (source.remaining() >= LENGTH) {
            int length = (source.byteAt(0) & 0xff) << 8 | source.byteAt(1) & 0xff;
            if (length < TAG || length > MAX_SEALED) {
                return output.deliver(-EPROTO);
            }
            if (source.remaining() < LENGTH + length) {
                return holdOrEnd(source, LENGTH + length, output);
            }
            if (output.maxLength() - output.length() < length - TAG) {
                source.holdUnread(); // the output is full: the rest waits for the next chunk
                return Verdict.DELIVER;
            }
            source.advance(LENGTH);
            source.copyFull(scratch.sealed, 0, length);
            int n = cipher.open(number++, scratch.sealed, length, scratch.plain);
            if (n < 0) {
                return output.deliver(-EBADMSG);
            }
            output.write(scratch.plain, 0, n);
        }
        return holdOrEnd(source, LENGTH, output);
    }

    /** Holds an incomplete header or record until {@code needed} bytes are there; at the end it is an error. */
    private static Verdict holdOrEnd(Chunk source, int needed, Output output) {
        if (source.remaining() == 0) {
            return Verdict.DELIVER;
        }
        if (source.endOfStream()) {
            return output.deliver(-EPROTO); // truncated
        }
        source.holdUnread(needed);
        return Verdict.DELIVER;
    }

    private static boolean startsLikeHeader(Chunk source) {
        int n = Math.min(source.remaining(), WireFormat.MAGIC.length + 1);
        for (int i = 0; i < n; i++) {
            byte expected = i < WireFormat.MAGIC.length ? WireFormat.MAGIC[i] : WireFormat.VERSION;
            if (source.byteAt(i) != expected) {
                return false;
            }
        }
        return true;
    }
}
