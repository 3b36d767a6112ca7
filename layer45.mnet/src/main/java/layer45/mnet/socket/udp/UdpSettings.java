package layer45.mnet.socket.udp;

import java.time.Duration;

/**
 * Bounds of the UDP layer.
 *
 * @param maxFlows the most flows open at once; datagrams that would open another are dropped and counted
 * @param idleTimeout how long a flow stays open without a datagram either way (Linux conntrack keeps an
 *        unanswered UDP flow 30 s and an answered one 120 s; one value serves both here)
 */
public record UdpSettings(int maxFlows, Duration idleTimeout) {

    /** 65,536 flows, closed after 60 s without a datagram. */
    public static final UdpSettings DEFAULTS = new UdpSettings(65536, Duration.ofSeconds(60));

    /** @throws IllegalArgumentException if a bound is out of range */
    public UdpSettings {
        if (maxFlows < 1 || maxFlows > 1 << 22) {
            throw new IllegalArgumentException("UDP flows must be limited to 1..4194304, not " + maxFlows);
        }
        if (idleTimeout == null || idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("the UDP idle timeout must be at least 1 ms, not " + idleTimeout);
        }
    }
}
