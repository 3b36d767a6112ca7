package layer45.mnet.socket.tcp;

import java.security.SecureRandom;

/**
 * Initial sequence numbers as RFC 6528 says: ISN = M + F(local address, local port, remote address, remote port,
 * key), where M is a timer ticking every 4 microseconds and F is SipHash-2-4 under a 128-bit key drawn at
 * construction. Each connection's sequence space thus moves forward with time, as RFC 9293 wants against old
 * duplicates, while an off-path attacker cannot guess where it starts.
 *
 * <p>It also gives the per-connection-pair offset for TCP timestamps (RFC 7323, section 5.4), from the same key in
 * another domain: TSval = clock + offset hides the host's uptime and keeps timestamps increasing across
 * connections between the same two addresses.
 *
 * <p>Addresses are 128 bits as two longs, IPv4 in the low 32 bits of the low long (as {@link
 * layer45.mnet.socket.FlowTable} takes them). Used by the stack's loop thread only.
 */
public final class IsnGenerator {

    /** M ticks every 4 µs. */
    private static final long TICK_NANOS = 4_000;
    /** Each use of the key hashes a different domain tag in its last word, so their outputs are unrelated. */
    private static final long ISN_DOMAIN = 1L << 32;
    private static final long TIMESTAMP_DOMAIN = 2L << 32;

    private final SipHash hash;

    /** Draws the key from {@link SecureRandom}. */
    public IsnGenerator() {
        this(new SecureRandom());
    }

    private IsnGenerator(SecureRandom random) {
        this(random.nextLong(), random.nextLong());
    }

    /**
     * Uses a given key: for tests and reproducible simulations only, since whoever knows the key can predict the
     * sequence numbers.
     *
     * @param key0 the key's first 64 bits
     * @param key1 its last 64 bits
     */
    public IsnGenerator(long key0, long key1) {
        this.hash = new SipHash(key0, key1);
    }

    /**
     * @param nowNanos the stack's clock now
     * @param localHigh the local address's high 64 bits
     * @param localLow its low 64 bits
     * @param localPort the local port
     * @param remoteHigh the remote address's high 64 bits
     * @param remoteLow its low 64 bits
     * @param remotePort the remote port
     * @return the initial sequence number for a new connection with that 4-tuple
     */
    public int isn(long nowNanos, long localHigh, long localLow, int localPort, long remoteHigh, long remoteLow,
            int remotePort) {
        long ports = (long) (localPort & 0xFFFF) << 16 | remotePort & 0xFFFF;
        long f = hash.hash(localHigh, localLow, remoteHigh, remoteLow, ISN_DOMAIN | ports);
        // floorDiv: the clock's origin is arbitrary and its readings may be negative.
        int m = (int) Math.floorDiv(nowNanos, TICK_NANOS);
        return m + fold(f);
    }

    /**
     * @param localHigh the local address's high 64 bits
     * @param localLow its low 64 bits
     * @param remoteHigh the remote address's high 64 bits
     * @param remoteLow its low 64 bits
     * @return the offset to add to the timestamp clock for connections between these two addresses
     */
    public int timestampOffset(long localHigh, long localLow, long remoteHigh, long remoteLow) {
        return fold(hash.hash(localHigh, localLow, remoteHigh, remoteLow, TIMESTAMP_DOMAIN));
    }

    private static int fold(long h) {
        return (int) (h ^ h >>> 32);
    }
}
