package layer45.runtime.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import layer45.mnet.NamespaceRequest;
import layer45.mnet.NetStack;
import layer45.mnet.NetStackStatus;
import layer45.mnet.PeerLinks;
import layer45.mnet.TcpConnectionStatus;
import layer45.mnet.UdpFlowStatus;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The network stack's commands, in the {@code l45} scope beside the module commands: {@code ifconfig} shows the
 * link and addresses (or why the stack is off), {@code netstat} its counters, UDP flows and TCP connections;
 * {@code attach}, {@code detach} and {@code netns} wire network namespaces to the stack, unwire them and list them
 * ({@code ./layer45 exec} runs {@code attach --hold} over the control socket). They are there only when the stack's
 * bundle is.
 */
@Component(service = NetCommands.class, immediate = true, property = Constants.SERVICE_DESCRIPTION
        + "=layer45 network stack commands: ifconfig, netstat, attach, detach, netns")
@GogoCommand(scope = "l45", function = { "ifconfig", "netstat", "attach", "detach", "netns" })
@Descriptor("layer45 network stack")
public final class NetCommands {

    private static final String ATTACH_SYNOPSIS = "attach [--create] [--forward SPEC]... [--hold] NAME";

    private final NetStack stack;
    /** The threads of {@code attach --hold} commands, interrupted (so they detach) when the commands go. */
    private final Set<Thread> holding = ConcurrentHashMap.newKeySet();

    /** @param stack the network stack */
    @Activate
    public NetCommands(@Reference(name = "stack", target = "(!(" + PeerLinks.LINK_PROPERTY + "=*))") NetStack stack) {
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
        return netstat(stack, all);
    }

    /**
     * @param stack a stack: the runtime's, or a peer link's
     * @param all whether zero counters are shown too
     * @return its counters by layer, its UDP flows and TCP connections, or why it is off
     */
    static String netstat(NetStack stack, boolean all) {
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
        Table udp = new Table("Proto", "Local", "Remote", "Flow", "From app", "To app", "Idle (s)", "Netns")
                .right(3, 4, 5, 6).whenEmpty("(no UDP flows)");
        for (UdpFlowStatus flow : flows) {
            udp.row("udp/" + flow.network(), flow.local(), flow.remote(),
                    flow.runtimeFlowId() == 0 ? "-" : flow.runtimeFlowId(), flow.datagramsFromApplication(),
                    flow.datagramsToApplication(), flow.idleMillis() / 1000, namespace(flow.namespace()));
        }
        Table tcp = new Table("Proto", "Local", "Remote", "State", "Flow", "From app", "To app", "Send-Q", "Recv-Q",
                "Cwnd", "RTT (ms)", "Netns").right(4, 5, 6, 7, 8, 9, 10).whenEmpty("(no TCP connections)");
        for (TcpConnectionStatus c : stack.tcpConnections()) {
            tcp.row("tcp/" + c.network(), c.local(), c.remote(), c.state(),
                    c.runtimeFlowId() == 0 ? "-" : c.runtimeFlowId(), c.bytesFromApplication(), c.bytesToApplication(),
                    c.sendQueue(), c.receiveQueue(), c.congestionWindow(),
                    c.smoothedRttMicros() < 0 ? "-" : String.format("%.3f", c.smoothedRttMicros() / 1000.0),
                    namespace(c.namespace()));
        }
        return counters + "\n\n" + udp + "\n\n" + tcp;
    }

    /**
     * @param session the shell session; with {@code --hold}, its input
     * @param args the options and the namespace's name
     * @return the new link's status in one line; with {@code --hold}, that the namespace was detached
     */
    @Descriptor("wire a network namespace to the stack: a TUN link of its own, with addresses, routes and a resolver;"
            + " prints the link's status in one line")
    public String attach(@Descriptor("the shell session") CommandSession session,
            @Descriptor("[--create] [--forward SPEC]... [--hold] NAME: --create creates the namespace when missing"
                    + " (and deletes it when detached); --forward tcp|udp:[HOST:]HOSTPORT:NSPORT forwards a host port"
                    + " into it (repeatable); --hold keeps it attached until the session's input ends (the client"
                    + " disconnects, or Ctrl-D), then detaches it") String... args) {
        AttachArgs request = AttachArgs.parse(args);
        String line = attached(request.name(), stack.attach(request.toRequest()));
        if (!request.hold()) {
            return line;
        }
        PrintStream console = session.getConsole();
        console.println(line);
        console.flush();
        Thread self = Thread.currentThread();
        holding.add(self);
        try {
            awaitEnd(session.getKeyboard());
        } finally {
            holding.remove(self);
            stack.detach(request.name());
        }
        return request.name() + " detached";
    }

    /** The options of {@code attach}. */
    record AttachArgs(String name, boolean create, List<String> forwards, boolean hold) {

        static AttachArgs parse(String[] args) {
            boolean create = false;
            boolean hold = false;
            List<String> forwards = new ArrayList<>();
            String name = null;
            for (int i = 0; args != null && i < args.length; i++) {
                switch (args[i]) {
                    case "--create" -> create = true;
                    case "--hold" -> hold = true;
                    case "--forward" -> {
                        if (++i == args.length) {
                            throw ModuleCommands.usage(ATTACH_SYNOPSIS, "attach --forward tcp:8080:80 lab");
                        }
                        forwards.add(args[i]);
                    }
                    default -> {
                        if (args[i].startsWith("-") || name != null) {
                            throw new IllegalArgumentException("'" + args[i] + "' is not an option of attach or a"
                                    + " second name: usage: " + ATTACH_SYNOPSIS + " ('help attach' describes it)");
                        }
                        name = args[i];
                    }
                }
            }
            if (name == null) {
                throw ModuleCommands.usage(ATTACH_SYNOPSIS, "attach --create lab");
            }
            return new AttachArgs(name, create, List.copyOf(forwards), hold);
        }

        NamespaceRequest toRequest() {
            return new NamespaceRequest(name, create, forwards);
        }
    }

    /** @return an attached link in one line: namespace, link, MTU, the namespace's and the stack's addresses */
    static String attached(String name, NetStackStatus link) {
        return namespace(link, name) + " attached: link " + link.device() + ", MTU " + link.mtu() + ", namespace "
                + or(String.join(" ", link.peerAddresses()), "-") + ", stack "
                + or(String.join(" ", link.addresses()), "-");
    }

    /** Reads the input until it ends, or until the session is closed (which interrupts this thread). */
    private static void awaitEnd(InputStream input) {
        byte[] discard = new byte[512];
        try {
            while (!Thread.currentThread().isInterrupted() && input.read(discard) >= 0) {
                // whatever the client sends only keeps the attachment; its end ends it
            }
        } catch (IOException e) {
            // interrupted, or the input broke: the attachment ends either way
        }
    }

    /**
     * @param name a namespace attached to the stack
     * @return that it was detached
     */
    @Descriptor("unwire a namespace from the stack: its flows are reset, its link removed, and the namespace deleted"
            + " if the stack created it")
    public String detach(@Descriptor("the namespace, as netns lists it") String name) {
        if (!stack.detach(name)) {
            throw new IllegalArgumentException("no namespace '" + name + "' is attached to the stack; l45:netns"
                    + " lists those that are");
        }
        return name + " detached";
    }

    /** @return every attached namespace's link, or why the stack is off */
    @Descriptor("list the network namespaces wired to the stack: namespace, link, MTU, addresses on both ends")
    public String netns() {
        NetStackStatus status = stack.status();
        if (!status.running()) {
            return "network stack off: " + status.reason();
        }
        Table table = new Table("Namespace", "Link", "MTU", "Namespace addresses", "Stack addresses").right(2)
                .whenEmpty("(none)");
        for (NetStackStatus link : stack.links()) {
            table.row(namespace(link, ""), link.device(), link.mtu(), or(String.join(" ", link.peerAddresses()), "-"),
                    or(String.join(" ", link.addresses()), "-"));
        }
        return table.toString();
    }

    /** Ends the {@code attach --hold} commands still running: each detaches its namespace. */
    @Deactivate
    void deactivate() {
        holding.forEach(Thread::interrupt);
    }

    private static String namespace(NetStackStatus link, String fallback) {
        return link.namespace().isEmpty() ? or(fallback, "(runtime's)") : link.namespace();
    }

    private static String or(String text, String fallback) {
        return text.isEmpty() ? fallback : text;
    }

    /** @return a namespace as the tables show it: the runtime's own is "-" */
    private static String namespace(String name) {
        return name.isEmpty() ? "-" : name;
    }
}
