package layer45.runtime.driver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.NetworkProtocol;
import layer45.api.ProcessOwner;
import layer45.api.Transport;
import layer45.api.spi.FlowTap;

/**
 * Drives flows through a {@link FlowTap} with no network: each {@link DriverFlow} plays the application on one side
 * and the peer on the other, records what reached each, and checks the runtime's byte accounting. What a stack
 * built on the SPI will do, in memory and deterministically.
 */
public final class InMemoryFlowDriver {

    private final FlowTap tap;

    /** @param tap the runtime's entry point for stacks */
    public InMemoryFlowDriver(FlowTap tap) {
        this.tap = Objects.requireNonNull(tap, "tap");
    }

    /**
     * Opens a flow.
     *
     * @param info the flow's facts
     * @return the flow, ready for chunks
     */
    public DriverFlow open(FlowInfo info) {
        return new DriverFlow(tap, info);
    }

    /**
     * Describes a flow opened by the local application.
     *
     * @param transport TCP or UDP
     * @param process the owning process's task name
     * @param local "address:port" of the application
     * @param remote "address:port" of the peer
     * @return the flow's facts, owned by pid 4242 / thread {@code process}
     */
    public static FlowInfo flow(Transport transport, String process, String local, String remote) {
        InetSocketAddress l = endpoint(local);
        return new FlowInfo(transport, NetworkProtocol.of(l.getAddress()), l, endpoint(remote), Initiator.LOCAL,
                new ProcessOwner(4242, 4242, process, process, 1000));
    }

    /**
     * @param text "a.b.c.d:port" or "[v6]:port"
     * @return the endpoint, without any name lookup
     */
    public static InetSocketAddress endpoint(String text) {
        int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon).replace("[", "").replace("]", "");
        return new InetSocketAddress(InetAddress.ofLiteral(host), Integer.parseInt(text.substring(colon + 1)));
    }
}
