package layer45.mnet.sockets;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import layer45.api.spi.FlowTap;
import layer45.mnet.HostAddress;
import layer45.mnet.HostSockets;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.loop.StackOptions;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.mhost.MhostSettings;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.relay.OwnerSource;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.testing.ToyProtocol;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.Ipv6Address;

/**
 * Two running stacks, a client and a server, wired back to back over an in-memory link that carries IPv4, IPv6 and
 * the {@link ToyProtocol}, each with a host-identifier table that names the other: {@code srv} on the client's,
 * {@code cli} on the server's. The stand-ins for two hosts of the {@code mnet} module's tests.
 */
final class TwoStacks implements AutoCloseable {

    static final String CLIENT4 = "10.0.0.1";
    static final String SERVER4 = "10.0.0.2";
    static final String CLIENT6 = "fd00::1";
    static final String SERVER6 = "fd00::2";
    static final String CLIENT_TOY = "toy:fd4d::1";
    static final String SERVER_TOY = "toy:fd4d::2";
    private static final IpCidr TOY_PREFIX = IpCidr.parse("fd4d::/16");

    final MemoryLink link = MemoryLink.create(new MemoryLinkOptions("msock", 1500, 1024), Clock.SYSTEM);
    final HostTable clientTable = new HostTable(MhostSettings.defaults(Path.of("/tmp")));
    final HostTable serverTable = new HostTable(MhostSettings.defaults(Path.of("/tmp")));
    final ToyProtocol clientToy = new ToyProtocol();
    final ToyProtocol serverToy = new ToyProtocol();
    final RunningStack client;
    final RunningStack server;

    TwoStacks() {
        this(() -> null, () -> null);
    }

    /**
     * @param clientTap the client stack's customization runtime
     * @param serverTap the server stack's
     */
    TwoStacks(Supplier<FlowTap> clientTap, Supplier<FlowTap> serverTap) {
        client = start(link.a(), "memory msock a", clientTap, clientTable, CLIENT4 + "/24", CLIENT6 + "/64");
        server = start(link.b(), "memory msock b", serverTap, serverTable, SERVER4 + "/24", SERVER6 + "/64");
        client.plug(clientToy, List.of(Ipv6Address.parse("fd4d::1")), List.of(TOY_PREFIX));
        server.plug(serverToy, List.of(Ipv6Address.parse("fd4d::2")), List.of(TOY_PREFIX));
        serverTable.put("cli", addresses(CLIENT4, CLIENT6, CLIENT_TOY));
    }

    private static RunningStack start(MemoryLink.End end, String name, Supplier<FlowTap> tap, HostTable table,
            String... addresses) {
        StackOptions options = new StackOptions(InterfaceConfig.of(List.of(addresses).stream().map(IpCidr::parse)
                .toList()), UdpSettings.DEFAULTS, 0, name, "", List.of());
        return RunningStack.start(end, options, tap, Clock.SYSTEM, null, OwnerSource.NONE, () -> table);
    }

    /** Names the server {@code srv} on the client, at these addresses in this order. */
    void server(String... addresses) {
        clientTable.put("srv", addresses(addresses));
    }

    HostSockets clientSockets() {
        return client.sockets();
    }

    HostSockets serverSockets() {
        return server.sockets();
    }

    static List<HostAddress> addresses(String... texts) {
        return java.util.Arrays.stream(texts).map(HostAddress::parse).toList();
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
