package layer45.mnet.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The stack's settings (configuration PID {@code layer45.net}). The runtime's configuration file carries them as
 * {@code net.<key>} ({@code conf/layer45.conf} documents each one) and hands them over at start.
 */
@ObjectClassDefinition(id = NetStackComponent.PID, name = "layer45 network stack",
        description = "The TUN link, its namespace and addresses, and the stack's limits")
public @interface NetConfig {

    /** @return whether the stack runs */
    @AttributeDefinition(name = "Enabled", description = "Run the network stack")
    boolean enabled() default true;

    /** @return the namespace */
    @AttributeDefinition(name = "Network namespace", description = "Namespace the TUN link is moved into (created"
            + " when missing, deleted at stop if created); empty keeps it in the runtime's own namespace")
    String netns() default "layer45";

    /** @return the link name */
    @AttributeDefinition(name = "TUN link", description = "Name of the TUN link")
    String tun() default "l45tun0";

    /** @return the MTU */
    @AttributeDefinition(name = "MTU", description = "MTU of the TUN link, 1280 to 65520", min = "1280", max = "65520")
    int mtu() default 65520;

    /** @return the stack's IPv4 address */
    @AttributeDefinition(name = "IPv4 address", description = "The stack's own IPv4 address with the link's prefix"
            + " length; empty for none")
    String address4() default "10.45.0.1/24";

    /** @return the namespace's IPv4 address */
    @AttributeDefinition(name = "Peer IPv4 address", description = "The namespace's IPv4 address on the link; empty"
            + " for none")
    String peer4() default "10.45.0.2";

    /** @return the stack's IPv6 address */
    @AttributeDefinition(name = "IPv6 address", description = "The stack's own IPv6 address with the link's prefix"
            + " length; empty for none")
    String address6() default "fd45::1/64";

    /** @return the namespace's IPv6 address */
    @AttributeDefinition(name = "Peer IPv6 address", description = "The namespace's IPv6 address on the link; empty"
            + " for none")
    String peer6() default "fd45::2";

    /** @return the transmit queue length */
    @AttributeDefinition(name = "Transmit queue", description = "Packets the kernel may queue toward the stack; 0"
            + " matches the advertised window", min = "0")
    int txqueuelen() default 0;

    /** @return the echo port */
    @AttributeDefinition(name = "Echo port", description = "UDP echo service (RFC 862) on the stack's own"
            + " addresses; 0 for none", min = "0", max = "65535")
    int echo_port() default 7;

    /** @return the drain time at stop */
    @AttributeDefinition(name = "Drain time at stop (s)", description = "When the stack stops, new flows are refused"
            + " and open TCP connections get this long to close before they are reset; 0 resets them at once",
            min = "0", max = "3600")
    int drain_s() default 5;

    /** @return the flow limit */
    @AttributeDefinition(name = "UDP flows", description = "Most UDP flows open at once", min = "1")
    int udp_max_flows() default 65536;

    /** @return the idle timeout */
    @AttributeDefinition(name = "UDP idle timeout (s)", description = "A UDP flow closes after this long without a"
            + " datagram", min = "1")
    int udp_idle_s() default 60;

    /** @return the connection limit */
    @AttributeDefinition(name = "TCP connections", description = "Most TCP connections at once, TIME_WAIT included",
            min = "1")
    int tcp_max_connections() default 65536;

    /** @return the send buffer */
    @AttributeDefinition(name = "TCP send buffer (bytes)", description = "Bytes queued toward the application per"
            + " connection, unacknowledged ones included", min = "4096")
    int tcp_send_buffer() default 262144;

    /** @return the receive buffer */
    @AttributeDefinition(name = "TCP receive buffer (bytes)", description = "Bytes received per connection and not"
            + " yet taken; sets the window the stack advertises", min = "4096")
    int tcp_receive_buffer() default 262144;

    /** @return the memory limit */
    @AttributeDefinition(name = "TCP buffer memory (MiB)", description = "All connections' buffers together:"
            + " 32 KiB reserved per connection at its SYN, and 16 KiB pages as buffers fill; a SYN beyond it is"
            + " refused with RST and counted (memory-limit)", min = "1")
    int tcp_memory_mb() default 1024;

    /** @return the congestion control */
    @AttributeDefinition(name = "TCP congestion control", description = "cubic (RFC 9438) or newreno (RFC 6582)")
    String tcp_congestion() default "cubic";

    /** @return the keep-alive idle time */
    @AttributeDefinition(name = "TCP keep-alive (s)", description = "Idle time before keep-alive probes; 0 for none",
            min = "0")
    int tcp_keepalive_s() default 7200;

    /** @return the discard port */
    @AttributeDefinition(name = "Discard port", description = "TCP discard service (RFC 863) on the stack's own"
            + " addresses; 0 for none", min = "0", max = "65535")
    int discard_port() default 9;

    /** @return the HTTP port */
    @AttributeDefinition(name = "HTTP test port", description = "A fixed HTTP reply of http.bytes bytes on the"
            + " stack's own addresses, for curl; 0 for none", min = "0", max = "65535")
    int http_port() default 0;

    /** @return the HTTP body size */
    @AttributeDefinition(name = "HTTP test reply (bytes)", description = "The size of the fixed reply's body",
            min = "0")
    int http_bytes() default 1048576;

    /** @return the ICMP error rate */
    @AttributeDefinition(name = "ICMP errors per second", description = "Average rate of ICMP errors the stack"
            + " sends", min = "1")
    int icmp_rate() default 1000;

    /** @return the ICMP error burst */
    @AttributeDefinition(name = "ICMP error burst", description = "ICMP errors the stack may send at once",
            min = "1")
    int icmp_burst() default 50;

    /** @return the pcap path */
    @AttributeDefinition(name = "Capture file", description = "Write every packet of the link to this pcap file"
            + " (relative to layer45.home); empty for none")
    String pcap() default "";

    /** @return the forwards into the configured namespace */
    @AttributeDefinition(name = "Port forwards", description = "Host ports forwarded to programs in the configured"
            + " namespace, separated by commas: tcp:HOSTPORT:NSPORT or udp:HOSTPORT:NSPORT, optionally with the host"
            + " address first (tcp:0.0.0.0:8080:80); without one they listen on 127.0.0.1")
    String forwards() default "";

    /** @return the namespace's address for the host's IPv4 loopback */
    @AttributeDefinition(name = "Host loopback (IPv4)", description = "The address programs in a namespace use to"
            + " reach the host's 127.0.0.1 (also named host.layer45 there); empty for none")
    String host_loopback4() default "10.45.0.254";

    /** @return the namespace's address for the host's IPv6 loopback */
    @AttributeDefinition(name = "Host loopback (IPv6)", description = "The address programs in a namespace use to"
            + " reach the host's ::1; empty for none")
    String host_loopback6() default "fd45::fe";

    /** @return where DNS queries go */
    @AttributeDefinition(name = "DNS", description = "Where DNS queries to the stack's own addresses (the"
            + " namespace's resolver) go: auto (the host's /etc/resolv.conf), a list of ADDRESS[:PORT], or empty for"
            + " nowhere")
    String dns() default "auto";

    /** @return whether other destinations are relayed */
    @AttributeDefinition(name = "Relay other destinations", description = "Relay flows to any other address"
            + " through the host's sockets; false reaches only the host's loopback and DNS")
    boolean relay_foreign() default true;

    /** @return the host connection timeout */
    @AttributeDefinition(name = "Relay connect timeout (s)", description = "How long a host connection may take"
            + " before the program is told its destination is unreachable", min = "1")
    int relay_connect_timeout_s() default 20;

    /** @return the relay buffer */
    @AttributeDefinition(name = "Relay buffer (bytes)", description = "The most bytes buffered per direction of a"
            + " relayed TCP connection between the stack and the host socket, held in 64 KiB pages only while they"
            + " hold bytes", min = "4096")
    int relay_buffer() default 262144;
}
