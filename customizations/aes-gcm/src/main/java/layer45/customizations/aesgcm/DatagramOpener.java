package layer45.customizations.aesgcm;

import static layer45.customizations.aesgcm.WireFormat.HEADER;
import static layer45.customizations.aesgcm.WireFormat.NUMBER;
import static layer45.customizations.aesgcm.WireFormat.SALT;
import static layer45.customizations.aesgcm.WireFormat.TAG;

import java.util.Arrays;

import layer45.api.Chunk;
import layer45.api.Output;
import layer45.api.Verdict;

/**
 * Decrypts what one direction of a UDP flow receives, one datagram at a time.
 *
 * <p>A datagram that is not authentic, or that was already received, is dropped rather than aborting the flow, as
 * DTLS does: datagrams are independent, and one forged packet must not close a flow. The first authentic datagram
 * fixes the sender's salt for the flow; datagrams under another salt are dropped, so a recording of an earlier
 * flow cannot be replayed into this one. Within the salt a 64-record window (as in IPsec and DTLS) drops
 * duplicates and records older than the window.
 */
final class DatagramOpener {

    private final MasterKey key;
    private final byte direction;
    private final byte[] header = new byte[HEADER + NUMBER];
    private byte[] salt;
    private RecordCipher cipher;
    private long top = -1;
    private long seen;

    /**
     * @param key the configured key
     * @param direction the direction byte of what this side receives
     */
    DatagramOpener(MasterKey key, byte direction) {
        this.key = key;
        this.direction = direction;
    }

    /**
     * @param source one datagram
     * @param output where its plaintext goes
     * @return the verdict
     */
    Verdict open(Chunk source, Output output) {
        int sealedLength = source.remaining() - HEADER - NUMBER;
        if (sealedLength < TAG || !source.startsWith(WireFormat.MAGIC)
                || source.byteAt(WireFormat.MAGIC.length) != WireFormat.VERSION) {
            return Verdict.DROP;
        }
        if (sealedLength - TAG > output.maxLength()) {
            return output.deliver(-DatagramSealer.EMSGSIZE);
        }
        source.copyFull(header);
        RecordCipher opener = cipher;
        if (salt == null) {
            opener = new RecordCipher(key.derive(direction, header, HEADER - SALT), direction);
        } else if (!Arrays.equals(salt, 0, SALT, header, HEADER - SALT, HEADER)) {
            return Verdict.DROP; // another sender, or a recording of another flow
        }
        long number = 0;
        for (int i = 0; i < NUMBER; i++) {
            number = number << 8 | header[HEADER + i] & 0xff;
        }
        if (!fresh(number)) {
            return Verdict.DROP;
        }
        Scratch scratch = Scratch.get();
        source.copyFull(scratch.sealed, 0, sealedLength);
        int n = opener.open(number, scratch.sealed, sealedLength, scratch.plain);
        if (n < 0) {
            return Verdict.DROP;
        }
        if (salt == null) {
            salt = Arrays.copyOfRange(header, HEADER - SALT, HEADER);
            cipher = opener;
        }
        accept(number);
        output.write(scratch.plain, 0, n);
        return Verdict.DELIVER;
    }

    private boolean fresh(long number) {
        if (number > top) {
            return true;
        }
        long age = top - number;
        return age < Long.SIZE && (seen & 1L << age) == 0;
    }

    private void accept(long number) {
        if (number > top) {
            long shift = number - top;
            seen = shift >= Long.SIZE ? 0 : seen << shift;
            seen |= 1;
            top = number;
        } else {
            seen |= 1L << (top - number);
        }
    }
}
