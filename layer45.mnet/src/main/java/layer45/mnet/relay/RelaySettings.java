package layer45.mnet.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a stack's relay behaves.
 *
 * @param connectTimeout how long a host connection may take before the program is told its destination is unreachable
 * @param ringBytes the most bytes buffered per direction of a relayed TCP connection, between the stack and the host
 *        socket (memory is held only for the bytes buffered, in pages)
 * @param hostLoopback4 the namespace's IPv4 address for the host's {@code 127.0.0.1}, or {@code null} for none
 * @param hostLoopback6 the namespace's IPv6 address for the host's {@code ::1}, or {@code null} for none
 * @param dns where DNS queries to the stack's own addresses (port 53) go on the host; empty for nowhere
 * @param foreign whether flows to any other address are relayed to it (else only the mapped addresses are reached)
 * @param forwards the host ports forwarded into the namespace
 */
public record RelaySettings(Duration connectTimeout, int ringBytes, InetAddress hostLoopback4,
        InetAddress hostLoopback6, List<InetSocketAddress> dns, boolean foreign, List<PortForward> forwards) {

    /** Checks the values and copies the lists. */
    public RelaySettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        dns = List.copyOf(dns);
        forwards = List.copyOf(forwards);
        if (ringBytes < 4096 || ringBytes > 64 << 20) {
            throw new IllegalArgumentException("relay buffer of " + ringBytes + " bytes is outside 4096..67108864");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("relay connect timeout must be positive, not " + connectTimeout);
        }
    }
}
