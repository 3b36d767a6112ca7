package layer45.mnet.socket.tcp;

import java.time.Duration;

/**
 * Bounds and timings of the TCP layer.
 *
 * @param maxConnections the most connections in the table at once (all states but LISTEN)
 * @param sendBuffer bytes an application may have queued and unacknowledged per connection
 * @param receiveBuffer bytes received and not yet read per connection; sets the window and its scale
 * @param memoryLimit buffer bytes all connections together may hold: each connection reserves a minimum (a 16 KiB
 *        page each way) when its SYN is taken, and its buffers take pages as they fill, up to their sizes; a SYN
 *        whose minimum the budget cannot take is refused with RST, and data that finds no page is dropped
 * @param synBacklog half-open connections per listener (SYN received, handshake not complete)
 * @param acceptBacklog established connections per listener waiting to be accepted
 * @param minRto the least retransmission timeout (RFC 6298 says 1 s; Linux uses 200 ms)
 * @param maxRto the largest retransmission timeout after backoff (at least 60 s, RFC 6298)
 * @param initialRto the timeout before the first RTT sample (1 s, RFC 6298)
 * @param delayedAck how long an ACK may wait for a second segment or data to ride on (at most 500 ms, RFC 9293)
 * @param synRetries SYN (or SYN-ACK) retransmissions before the open fails
 * @param dataRetries retransmissions of the same data before the connection is given up
 * @param keepAliveIdle idle time before keep-alive probes start; zero turns keep-alive off
 * @param keepAliveInterval time between keep-alive probes
 * @param keepAliveProbes unanswered probes before the connection is given up
 * @param timeWait how long TIME_WAIT lasts (2 MSL)
 * @param finWait2Timeout how long FIN_WAIT_2 waits for the peer's FIN once the application closed its side
 * @param congestionControl the congestion control's name ({@link CongestionControls})
 * @param sack whether to offer selective acknowledgments (RFC 2018)
 * @param timestamps whether to offer timestamps (RFC 7323)
 * @param windowScaling whether to offer window scaling (RFC 7323)
 */
public record TcpSettings(int maxConnections, int sendBuffer, int receiveBuffer, long memoryLimit, int synBacklog,
        int acceptBacklog, Duration minRto, Duration maxRto, Duration initialRto, Duration delayedAck, int synRetries,
        int dataRetries, Duration keepAliveIdle, Duration keepAliveInterval, int keepAliveProbes, Duration timeWait,
        Duration finWait2Timeout, String congestionControl, boolean sack, boolean timestamps, boolean windowScaling) {

    /**
     * 65,536 connections; 256 KiB buffers each way; 1 GiB for all buffers; 1024 half-open and 1024 unaccepted
     * connections per listener; RTO 200 ms to 120 s, 1 s at first; 40 ms delayed ACK; Linux's retry counts; keep-alive
     * after 2 hours; 60 s TIME_WAIT and FIN_WAIT_2; CUBIC; SACK, timestamps and window scaling on.
     */
    public static final TcpSettings DEFAULTS = new TcpSettings(65536, 256 * 1024, 256 * 1024, 1L << 30, 1024, 1024,
            Duration.ofMillis(200), Duration.ofSeconds(120), Duration.ofSeconds(1), Duration.ofMillis(40), 6, 15,
            Duration.ofHours(2), Duration.ofSeconds(75), 9, Duration.ofSeconds(60), Duration.ofSeconds(60), "cubic",
            true, true, true);

    /** @throws IllegalArgumentException if a bound is out of range */
    public TcpSettings {
        check(maxConnections >= 1 && maxConnections <= 1 << 22, "maxConnections", maxConnections, "1..4194304");
        check(sendBuffer >= 4096 && sendBuffer <= 1 << 30, "sendBuffer", sendBuffer, "4096..1073741824 bytes");
        check(receiveBuffer >= 4096 && receiveBuffer <= 1 << 30, "receiveBuffer", receiveBuffer,
                "4096..1073741824 bytes");
        check(memoryLimit >= (long) sendBuffer + receiveBuffer, "memoryLimit", memoryLimit,
                "at least one connection's buffers (" + ((long) sendBuffer + receiveBuffer) + " bytes)");
        check(synBacklog >= 1 && synBacklog <= 1 << 20, "synBacklog", synBacklog, "1..1048576");
        check(acceptBacklog >= 1 && acceptBacklog <= 1 << 20, "acceptBacklog", acceptBacklog, "1..1048576");
        check(minRto != null && minRto.toMillis() >= 1, "minRto", minRto, "at least 1 ms");
        check(maxRto != null && maxRto.compareTo(minRto) >= 0, "maxRto", maxRto, "at least minRto");
        check(initialRto != null && initialRto.compareTo(minRto) >= 0 && initialRto.compareTo(maxRto) <= 0,
                "initialRto", initialRto, "between minRto and maxRto");
        check(delayedAck != null && !delayedAck.isNegative() && delayedAck.toMillis() <= 500, "delayedAck",
                delayedAck, "0..500 ms (RFC 9293)");
        check(synRetries >= 0 && synRetries <= 30, "synRetries", synRetries, "0..30");
        check(dataRetries >= 1 && dataRetries <= 30, "dataRetries", dataRetries, "1..30");
        check(keepAliveIdle != null && !keepAliveIdle.isNegative(), "keepAliveIdle", keepAliveIdle, "0 (off) or more");
        check(keepAliveInterval != null && keepAliveInterval.toMillis() >= 1, "keepAliveInterval", keepAliveInterval,
                "at least 1 ms");
        check(keepAliveProbes >= 1 && keepAliveProbes <= 127, "keepAliveProbes", keepAliveProbes, "1..127");
        check(timeWait != null && !timeWait.isNegative(), "timeWait", timeWait, "0 or more");
        check(finWait2Timeout != null && finWait2Timeout.toMillis() >= 1, "finWait2Timeout", finWait2Timeout,
                "at least 1 ms");
        CongestionControls.byName(congestionControl); // throws with the known names
    }

    private static void check(boolean ok, String name, Object value, String range) {
        if (!ok) {
            throw new IllegalArgumentException("TCP setting " + name + " must be " + range + ", not " + value);
        }
    }

    /** @return the window scale to offer for the receive buffer (RFC 7323 section 2.3), or -1 when scaling is off */
    public int receiveWindowScale() {
        if (!windowScaling) {
            return -1;
        }
        int shift = 0;
        while (shift < 14 && (65535L << shift) < receiveBuffer) {
            shift++;
        }
        return shift;
    }

    /** @return the settings with other buffer sizes (and a memory limit that holds at least one connection) */
    public TcpSettings withBuffers(int send, int receive) {
        return new TcpSettings(maxConnections, send, receive, Math.max(memoryLimit, (long) send + receive), synBacklog,
                acceptBacklog, minRto, maxRto, initialRto, delayedAck, synRetries, dataRetries, keepAliveIdle,
                keepAliveInterval, keepAliveProbes, timeWait, finWait2Timeout, congestionControl, sack, timestamps,
                windowScaling);
    }
}
