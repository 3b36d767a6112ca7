package layer45.customizations.aesgcm;

import java.security.SecureRandom;

/**
 * The bytes on the wire, one direction of one flow.
 *
 * <pre>
 * TCP:  header   = "L45G" version(1) salt(16)                     once, first
 *       record   = length(2, big-endian) ciphertext+tag(length)   repeated
 * UDP:  datagram = "L45G" version(1) salt(16) number(8) ciphertext+tag
 * </pre>
 *
 * <p>Each direction of each flow encrypts with its own AES-256 key, derived from the configured key, a random salt
 * the sender picks for that direction of that flow, and the direction ({@link MasterKey#derive}). The nonce is the
 * record number (0, 1, 2, ... in the direction), so no key ever sees a nonce twice; the associated data is the
 * direction and the record number, so a record replayed, reordered, moved to the other direction or cut from the
 * stream fails authentication. The GCM tag is 16 bytes.
 */
final class WireFormat {

    /** Marks an encrypted stream or datagram. */
    static final byte[] MAGIC = { 'L', '4', '5', 'G' };
    /** The format's version. */
    static final byte VERSION = 1;
    /** Bytes of the random salt. */
    static final int SALT = 16;
    /** Bytes of the stream header: magic, version, salt. */
    static final int HEADER = MAGIC.length + 1 + SALT;
    /** Bytes of a record's length field. */
    static final int LENGTH = 2;
    /** Bytes of the GCM authentication tag. */
    static final int TAG = 16;
    /** Bytes of a datagram's record number. */
    static final int NUMBER = 8;
    /** The most plaintext bytes in one record. */
    static final int MAX_PLAINTEXT = 1 << 14;
    /** The most ciphertext bytes (with the tag) in one record. */
    static final int MAX_SEALED = MAX_PLAINTEXT + TAG;
    /** Direction byte of what the client sends. */
    static final byte CLIENT_TO_SERVER = 'C';
    /** Direction byte of what the server sends. */
    static final byte SERVER_TO_CLIENT = 'S';

    private WireFormat() {
    }

    /**
     * @param random where the salt comes from
     * @return a new header: magic, version and a random salt
     */
    static byte[] newHeader(SecureRandom random) {
        byte[] header = new byte[HEADER];
        System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
        header[MAGIC.length] = VERSION;
        byte[] salt = new byte[SALT];
        random.nextBytes(salt);
        System.arraycopy(salt, 0, header, HEADER - SALT, SALT);
        return header;
    }
}
