package layer45.mnet.socket.tcp;

/**
 * TCP sequence number arithmetic modulo 2^32 (RFC 9293, section 3.4): sequence numbers are {@code int}s that wrap,
 * and {@code a} comes before {@code b} when {@code b} is less than 2^31 ahead of it. Two numbers exactly 2^31 apart
 * compare as {@code a < b} and {@code b < a} at once; TCP's windows (below 2^30) never let that happen.
 */
public final class SeqNumber {

    private SeqNumber() {
    }

    /** @return whether {@code a} comes before {@code b} */
    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** @return whether {@code a} comes before {@code b} or equals it */
    public static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /** @return whether {@code a} comes after {@code b} */
    public static boolean gt(int a, int b) {
        return a - b > 0;
    }

    /** @return whether {@code a} comes after {@code b} or equals it */
    public static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    /**
     * @return how far {@code later} is ahead of {@code earlier}: negative when it is in fact behind
     */
    public static int diff(int later, int earlier) {
        return later - earlier;
    }

    /**
     * @param seq the sequence number tested
     * @param start the window's first sequence number
     * @param length the window's length in sequence numbers; 0 or negative makes an empty window
     * @return whether {@code start <= seq < start + length}, modulo 2^32
     */
    public static boolean inWindow(int seq, int start, int length) {
        // As an unsigned number, seq - start is the distance from start going forward.
        return length > 0 && Integer.compareUnsigned(seq - start, length) < 0;
    }

    /** @return the later of {@code a} and {@code b} */
    public static int max(int a, int b) {
        return a - b >= 0 ? a : b;
    }

    /** @return the earlier of {@code a} and {@code b} */
    public static int min(int a, int b) {
        return a - b <= 0 ? a : b;
    }
}
