package layer45.mnet.iface;

import java.util.List;
import java.util.Objects;
import layer45.mnet.frag.ReassemblyLimits;
import layer45.mnet.wire.IpCidr;

/**
 * How an {@link Interface} behaves.
 *
 * @param addresses the stack's own addresses with the prefix of the link they are on (IPv4 and IPv6); the stack
 *        answers pings to them and its own services listen on them
 * @param terminateForeign whether packets to other addresses are taken too, as a transparent proxy takes them
 *        (each such flow is terminated in the stack on the application's behalf); otherwise they are dropped
 * @param hopLimit the TTL / hop limit of packets the stack sends, 1 to 255
 * @param icmpErrorsPerSecond how many ICMP errors the stack sends per second on average
 * @param icmpErrorBurst how many it may send at once
 * @param ipv4Reassembly bounds on IPv4 fragment reassembly
 * @param ipv6Reassembly bounds on IPv6 fragment reassembly
 */
public record InterfaceConfig(List<IpCidr> addresses, boolean terminateForeign, int hopLimit,
        int icmpErrorsPerSecond, int icmpErrorBurst, ReassemblyLimits ipv4Reassembly,
        ReassemblyLimits ipv6Reassembly) {

    /** The TTL / hop limit Linux uses by default ({@code net.ipv4.ip_default_ttl}). */
    public static final int DEFAULT_HOP_LIMIT = 64;

    /** Checks the values and copies the list. */
    public InterfaceConfig {
        addresses = List.copyOf(addresses);
        if (hopLimit < 1 || hopLimit > 255) {
            throw new IllegalArgumentException("hop limit " + hopLimit + " is outside 1..255");
        }
        if (icmpErrorsPerSecond < 1 || icmpErrorBurst < 1) {
            throw new IllegalArgumentException("ICMP errors need a rate and a burst of at least 1, not "
                    + icmpErrorsPerSecond + "/s and " + icmpErrorBurst);
        }
        Objects.requireNonNull(ipv4Reassembly, "ipv4Reassembly");
        Objects.requireNonNull(ipv6Reassembly, "ipv6Reassembly");
    }

    /**
     * @param addresses the stack's own addresses
     * @return a configuration with Linux's defaults: hop limit 64, 1000 ICMP errors a second in bursts of 50, the
     *         default reassembly limits, foreign destinations terminated
     */
    public static InterfaceConfig of(List<IpCidr> addresses) {
        return new InterfaceConfig(addresses, true, DEFAULT_HOP_LIMIT, 1000, 50, ReassemblyLimits.IPV4,
                ReassemblyLimits.IPV6);
    }

    /**
     * @param version 4 or 6
     * @return the own addresses of that IP version, in the configured order
     */
    public List<IpCidr> addresses(int version) {
        return addresses.stream().filter(cidr -> cidr.address().version() == version).toList();
    }
}
