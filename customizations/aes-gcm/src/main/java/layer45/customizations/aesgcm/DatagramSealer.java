package layer45.customizations.aesgcm;

import static layer45.customizations.aesgcm.WireFormat.HEADER;
import static layer45.customizations.aesgcm.WireFormat.NUMBER;
import static layer45.customizations.aesgcm.WireFormat.TAG;

import java.security.SecureRandom;

import layer45.api.Chunk;
import layer45.api.Output;
import layer45.api.Verdict;

/** Encrypts what one direction of a UDP flow sends: each datagram is one self-contained record. */
final class DatagramSealer {

    /** Linux {@code EMSGSIZE}: the datagram does not fit once encrypted. */
    static final int EMSGSIZE = 90;

    private final RecordCipher cipher;
    private final byte[] header;
    private final byte[] number = new byte[NUMBER];
    private long next;

    /**
     * @param key the configured key
     * @param direction the direction byte of what this side sends
     * @param random where the salt comes from
     */
    DatagramSealer(MasterKey key, byte direction, SecureRandom random) {
        this.header = WireFormat.newHeader(random);
        this.cipher = new RecordCipher(key.derive(direction, header, HEADER - WireFormat.SALT), direction);
    }

    /**
     * @param source one datagram
     * @param output where the encrypted datagram goes
     * @return the verdict
     */
    Verdict seal(Chunk source, Output output) {
        int length = source.remaining();
        Scratch scratch = Scratch.get();
        if (HEADER + NUMBER + length + TAG > Math.min(output.maxLength(), scratch.plain.length)) {
            return output.deliver(-EMSGSIZE);
        }
        long n = next++;
        for (int i = 0; i < NUMBER; i++) {
            number[i] = (byte) (n >>> 56 - 8 * i);
        }
        source.copyFull(scratch.plain, 0, length);
        int sealed = cipher.seal(n, scratch.plain, length, scratch.sealed, 0);
        output.write(header).write(number).write(scratch.sealed, 0, sealed);
        return Verdict.DELIVER;
    }
}
