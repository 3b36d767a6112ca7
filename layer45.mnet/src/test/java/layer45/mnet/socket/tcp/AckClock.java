package layer45.mnet.socket.tcp;

/**
 * Drives a {@link CongestionControl} the way a bulk transfer over a fixed-delay path would: each round trip the
 * whole window is sent and acknowledged, one ACK per {@code ackBytes}, spread evenly over the round trip.
 */
final class AckClock {

    final CongestionControl cc;
    final long rttNanos;
    final int ackBytes;
    long now;

    AckClock(CongestionControl cc, long rttNanos, int ackBytes, long now) {
        this.cc = cc;
        this.rttNanos = rttNanos;
        this.ackBytes = ackBytes;
        this.now = now;
    }

    /** One round trip: acknowledges the window that was in flight at its start. */
    void round() {
        int flight = cc.window();
        int acks = Math.max(1, flight / ackBytes);
        long start = now;
        for (int i = 1; i <= acks; i++) {
            now = start + rttNanos * i / acks;
            cc.onAck(ackBytes, flight, rttNanos, now);
            flight -= ackBytes;
        }
        now = start + rttNanos;
    }

    /** Round trips until {@code until} on the clock. */
    void runUntil(long until) {
        while (now < until) {
            round();
        }
    }
}
