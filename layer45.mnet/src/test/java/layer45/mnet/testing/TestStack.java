package layer45.mnet.testing;

import java.util.List;
import java.util.function.Supplier;
import layer45.api.spi.FlowTap;
import layer45.mnet.iface.Interface;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.phy.Device;
import layer45.mnet.socket.tcp.TcpLayer;
import layer45.mnet.socket.tcp.TcpSettings;
import layer45.mnet.socket.udp.UdpLayer;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpCidr;

/** One stack for tests: an interface on a device, with UDP, driven by hand (no loop thread). */
public final class TestStack {

    private final Interface iface;
    private final UdpLayer udp;
    private final TcpLayer tcp;

    /**
     * @param device the device
     * @param clock the clock
     * @param tap the customization runtime, or a supplier of {@code null}
     * @param terminateForeign whether packets to foreign addresses are taken
     * @param addresses the stack's own addresses, such as {@code 10.0.0.1/24}
     */
    public TestStack(Device device, Clock clock, Supplier<FlowTap> tap, boolean terminateForeign,
            String... addresses) {
        this(device, clock, tap, terminateForeign, TcpSettings.DEFAULTS, addresses);
    }

    /**
     * @param device the device
     * @param clock the clock
     * @param tap the customization runtime, or a supplier of {@code null}
     * @param terminateForeign whether packets to foreign addresses are taken
     * @param tcpSettings TCP's settings
     * @param addresses the stack's own addresses, such as {@code 10.0.0.1/24}
     */
    public TestStack(Device device, Clock clock, Supplier<FlowTap> tap, boolean terminateForeign,
            TcpSettings tcpSettings, String... addresses) {
        InterfaceConfig base = InterfaceConfig.of(List.of(addresses).stream().map(IpCidr::parse).toList());
        InterfaceConfig config = new InterfaceConfig(base.addresses(), terminateForeign, base.hopLimit(),
                base.icmpErrorsPerSecond(), base.icmpErrorBurst(), base.ipv4Reassembly(), base.ipv6Reassembly());
        this.iface = new Interface(device, config, clock);
        this.udp = new UdpLayer(UdpSettings.DEFAULTS, clock, tap, () -> { });
        iface.transports().add(udp);
        this.tcp = new TcpLayer(tcpSettings, clock, tap, () -> { });
        iface.transports().add(tcp);
    }

    /** @return TCP */
    public TcpLayer tcp() {
        return tcp;
    }

    /** @return the interface */
    public Interface iface() {
        return iface;
    }

    /** @return UDP */
    public UdpLayer udp() {
        return udp;
    }
}
