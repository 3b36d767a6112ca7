package layer45.runtime.shell;

import java.util.List;
import java.util.Map;
import layer45.mnet.NetStack;
import layer45.mnet.NetStackStatus;
import layer45.mnet.TcpConnectionStatus;
import layer45.mnet.UdpFlowStatus;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The network stack's commands, in the {@code l45} scope beside the module commands: {@code ifconfig} shows the
 * link and addresses (or why the stack is off), {@code netstat} its counters, UDP flows and TCP connections. They are there only
 * when the stack's bundle is.
 */
@Component(service = NetCommands.class, immediate = true,
        property = Constants.SERVICE_DESCRIPTION + "=layer45 network stack commands: ifconfig, netstat")
@GogoCommand(scope = "l45", function = { "ifconfig", "netstat" })
@Descriptor("layer45 network stack")
public final class NetCommands {

    private final NetStack stack;

    /** @param stack the network stack */
    @Activate
    public NetCommands(@Reference(name = "stack") NetStack stack) {
        this.stack = stack;
    }

    /** @return the stack's link, addresses and protocols, or why it is off */
    @Descriptor("show the network stack's link, addresses and protocols, or why it is off")
    public String ifconfig() {
        NetStackStatus status = stack.status();
        if (!status.running()) {
            return "network stack off: " + status.reason();
        }
        Map<String, Long> device = stack.counters().getOrDefault("device", Map.of());
        return new Table("Link", "Namespace", "MTU", "Stack addresses", "Namespace addresses", "Protocols")
                .right(2)
                .row(status.device(), status.namespace().isEmpty() ? "(runtime's)" : status.namespace(),
                        status.mtu(), String.join(" ", status.addresses()),
                        String.join(" ", status.peerAddresses()), String.join(" ", status.protocols()))
                + "\n\n" + new Table("RX packets", "RX bytes", "TX packets", "TX bytes").right(0, 1, 2, 3)
                        .row(device.getOrDefault("rx-packets", 0L), device.getOrDefault("rx-bytes", 0L),
                                device.getOrDefault("tx-packets", 0L), device.getOrDefault("tx-bytes", 0L));
    }

    /**
     * @param all whether zero counters are shown too
     * @return the counters by layer, the UDP flows and the TCP connections
     */
    @Descriptor("show the network stack's counters by layer (drops by reason), its UDP flows and TCP connections")
    public String netstat(@Descriptor("show counters that are zero too")
            @Parameter(names = { "-a", "--all" }, presentValue = "true", absentValue = "false") boolean all) {
        NetStackStatus status = stack.status();
        if (!status.running()) {
            return "network stack off: " + status.reason();
        }
        Table counters = new Table("Layer", "Counter", "Value").right(2).whenEmpty("(all zero)");
        stack.counters().forEach((layer, values) -> values.forEach((name, value) -> {
            if (all || value != 0) {
                counters.row(layer, name, value);
            }
        }));
        List<UdpFlowStatus> flows = stack.udpFlows();
        Table udp = new Table("Proto", "Local", "Remote", "Flow", "From app", "To app", "Idle (s)")
                .right(3, 4, 5, 6).whenEmpty("(no UDP flows)");
        for (UdpFlowStatus flow : flows) {
            udp.row("udp/" + flow.network(), flow.local(), flow.remote(),
                    flow.runtimeFlowId() == 0 ? "-" : flow.runtimeFlowId(), flow.datagramsFromApplication(),
                    flow.datagramsToApplication(), flow.idleMillis() / 1000);
        }
        Table tcp = new Table("Proto", "Local", "Remote", "State", "Flow", "From app", "To app", "Send-Q", "Recv-Q",
                "Cwnd", "RTT (ms)").right(4, 5, 6, 7, 8, 9, 10).whenEmpty("(no TCP connections)");
        for (TcpConnectionStatus c : stack.tcpConnections()) {
            tcp.row("tcp/" + c.network(), c.local(), c.remote(), c.state(),
                    c.runtimeFlowId() == 0 ? "-" : c.runtimeFlowId(), c.bytesFromApplication(), c.bytesToApplication(),
                    c.sendQueue(), c.receiveQueue(), c.congestionWindow(),
                    c.smoothedRttMicros() < 0 ? "-" : String.format("%.3f", c.smoothedRttMicros() / 1000.0));
        }
        return counters + "\n\n" + udp + "\n\n" + tcp;
    }
}
