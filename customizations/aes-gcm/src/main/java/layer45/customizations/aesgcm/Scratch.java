package layer45.customizations.aesgcm;

/**
 * Per-thread buffers for one record's plaintext and ciphertext: a module call uses them and leaves nothing in them
 * that matters, so flows share them and nothing is allocated per chunk.
 */
final class Scratch {

    /** The largest datagram payload; a stream record is smaller. */
    private static final int MAX = 65535;
    private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

    /** A record's plaintext. */
    final byte[] plain = new byte[MAX];
    /** A record's ciphertext and tag, with room for a length field before. */
    final byte[] sealed = new byte[MAX + WireFormat.LENGTH + WireFormat.TAG];

    private Scratch() {
    }

    /** @return this thread's buffers */
    static Scratch get() {
        return OF_THREAD.get();
    }
}
