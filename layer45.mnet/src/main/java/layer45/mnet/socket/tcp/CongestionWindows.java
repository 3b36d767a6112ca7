package layer45.mnet.socket.tcp;

/** Window rules every {@link CongestionControl} shares. */
final class CongestionWindows {

    /**
     * The largest congestion window: TCP cannot advertise a larger receive window (65535 scaled by 2^14), and
     * staying far below 2^31 keeps additions from overflowing.
     */
    static final int MAX_WINDOW = 1 << 30;

    private CongestionWindows() {
    }

    /** @return the initial window for {@code mss} (RFC 6928): min(10 MSS, max(2 MSS, 14600)) */
    static int initialWindow(int mss) {
        return (int) Math.min(10L * mss, Math.max(2L * mss, 14600));
    }

    /** The largest MSS: what the 16-bit MSS option can say. */
    static final int MAX_MSS = 65535;

    /** @return {@code mss}, checked */
    static int checkMss(int mss) {
        if (mss < 1 || mss > MAX_MSS) {
            throw new IllegalArgumentException("the MSS must be 1 to " + MAX_MSS + " bytes, not " + mss
                    + "; clamp what the peer announced before passing it");
        }
        return mss;
    }

    /** @return at most {@link #MAX_WINDOW} */
    static int capped(long window) {
        return (int) Math.min(window, MAX_WINDOW);
    }
}
