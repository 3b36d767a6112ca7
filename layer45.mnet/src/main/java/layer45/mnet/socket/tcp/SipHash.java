package layer45.mnet.socket.tcp;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012), the keyed hash of short inputs that RFC 6528's F() asks for: a
 * pseudo-random function no one can compute without the key.
 *
 * <p>The hot method takes its message as five 64-bit words, each standing for 8 message bytes in little-endian order,
 * so it hashes a 40-byte message without allocating. The state lives in fields: one instance serves one thread.
 */
final class SipHash {

    private final long k0;
    private final long k1;
    private long v0;
    private long v1;
    private long v2;
    private long v3;

    /**
     * @param k0 the key's first 8 bytes, little-endian
     * @param k1 its last 8 bytes, little-endian
     */
    SipHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** @return the hash of the 40-byte message whose little-endian 64-bit words are {@code m0} to {@code m4} */
    long hash(long m0, long m1, long m2, long m3, long m4) {
        begin();
        compress(m0);
        compress(m1);
        compress(m2);
        compress(m3);
        compress(m4);
        return finish(40, 0);
    }

    /** @return the hash of {@code message}, of any length (for tests against the reference vectors) */
    long hash(byte[] message) {
        begin();
        int whole = message.length & ~7;
        for (int i = 0; i < whole; i += 8) {
            compress(littleEndian(message, i, 8));
        }
        return finish(message.length, littleEndian(message, whole, message.length - whole));
    }

    private void begin() {
        v0 = k0 ^ 0x736f6d6570736575L;
        v1 = k1 ^ 0x646f72616e646f6dL;
        v2 = k0 ^ 0x6c7967656e657261L;
        v3 = k1 ^ 0x7465646279746573L;
    }

    private void compress(long m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }

    /**
     * @param length the message's length in bytes
     * @param tail the bytes after its last whole word, little-endian
     */
    private long finish(long length, long tail) {
        compress(length << 56 | tail);
        v2 ^= 0xff;
        round();
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private void round() {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
    }

    private static long littleEndian(byte[] bytes, int from, int count) {
        long word = 0;
        for (int i = count - 1; i >= 0; i--) {
            word = word << 8 | bytes[from + i] & 0xFF;
        }
        return word;
    }
}
