package layer45.mnet.sockets;

import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import layer45.mnet.HostAddress;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.iface.Unreachable;
import layer45.mnet.mhost.TranslatedFlow;
import layer45.mnet.socket.udp.UdpFlow;

/**
 * Where a datagram socket's sends to one host identifier and port go: its first usable address, and the next one
 * each time an ICMP destination-unreachable error comes back for the current one, as the relay's flows to a virtual
 * address do. Until the peer answered, the latest datagram is kept and sent again to the next address, so a request
 * is not lost to the failover. Loop thread only.
 */
final class DatagramDestination {

    private static final int MAX_DATAGRAM = 65535;

    private final DatagramEndpoint endpoint;
    private final TranslatedFlow flow;
    private final long tableChanges;
    private final long layerChanges;
    private int index;
    private boolean chosen;
    private boolean answered;
    private ByteBuffer kept;
    private UdpFlow current;
    /** Set when every address failed: the next send reports it, and the one after starts from the first again. */
    private String exhausted;

    DatagramDestination(DatagramEndpoint endpoint, TranslatedFlow flow, long tableChanges, long layerChanges) {
        this.endpoint = endpoint;
        this.flow = flow;
        this.tableChanges = tableChanges;
        this.layerChanges = layerChanges;
    }

    /** @return whether the table or the stack's protocols changed since the translation: translate again */
    boolean outdated(long nowTableChanges, long nowLayerChanges) {
        return nowTableChanges != tableChanges || nowLayerChanges != layerChanges;
    }

    TranslatedFlow flow() {
        return flow;
    }

    /**
     * Sends one datagram to the current address, choosing it first if needed.
     *
     * @return {@code null}, or the failure to report to the program
     */
    java.io.IOException send(ByteBuffer payload) {
        if (exhausted != null) {
            return new NoRouteToHostException(exhausted);
        }
        // the common case, a flow that works, costs no lookup
        UdpFlow target = current != null && !current.isClosed() && chosen ? current : select();
        if (target == null) {
            exhausted = "no address of host identifier " + flow.latest().identifier() + " is usable for port "
                    + flow.port() + ": " + flow.attempts();
            return new NoRouteToHostException(exhausted + "; check its addresses (l45:mhost list) and the stack's"
                    + " network protocols");
        }
        if (!answered) {
            keep(payload);
        }
        target.send(payload); // false: dropped by a customization or the device, as UDP may lose any datagram
        return null;
    }

    /** @return whether every address failed and the failure was reported: the socket translates anew */
    boolean spent() {
        return exhausted != null;
    }

    /** A datagram came back on the current flow: the address works, nothing more to keep. */
    void answered(UdpFlow from) {
        if (from == current) {
            answered = true;
            kept = null;
        }
    }

    /** An ICMP error says the current address cannot be reached: the next one, with the kept datagram. */
    void unreachable(UdpFlow from, Unreachable why) {
        if (from != current || exhausted != null) {
            return;
        }
        flow.failed(target(flow.usable().get(index)), why.words());
        index++;
        chosen = false;
        UdpFlow next = select();
        if (next == null) {
            exhausted = "every address of host identifier " + flow.latest().identifier() + " failed for port "
                    + flow.port() + ": " + flow.attempts();
            return;
        }
        if (!answered && kept != null) {
            next.send(kept.duplicate());
        }
    }

    /** @return the flow to the first address from {@link #index} on that the stack can send to, or {@code null} */
    private UdpFlow select() {
        while (index < flow.usable().size()) {
            HostAddress address = flow.usable().get(index);
            NetworkLayer layer = Addressing.layer(endpoint.stack().iface, address.protocol());
            String unusable = layer == null ? "skipped (protocol " + address.protocol() + " not in this stack)"
                    : Addressing.unavailable(endpoint.stack().iface, address.protocol());
            UdpFlow opened = unusable == null ? endpoint.flowTo(layer, address, target(address).getPort()) : null;
            if (opened == null) {
                flow.failed(target(address), unusable != null ? unusable : "refused by the stack (flow table full,"
                        + " or the customization runtime could not open the flow)");
                index++;
                chosen = false;
                continue;
            }
            if (opened != current) {
                endpoint.forget(current);
                current = opened;
                endpoint.remember(opened, this);
            }
            if (!chosen) {
                chosen = true;
                flow.chose(address, target(address), index == 0 ? "first usable address" : "next address", true);
            }
            return opened;
        }
        if (chosen || flow.latest() == null || flow.latest().chosen() != null) {
            flow.chose(null, null, flow.usable().isEmpty() ? "no usable address" : "every address failed", true);
        }
        return null;
    }

    /** Keeps the latest datagram until the peer answers. */
    private void keep(ByteBuffer payload) {
        if (kept == null) {
            kept = ByteBuffer.allocate(MAX_DATAGRAM);
        }
        kept.clear().put(0, payload, payload.position(), payload.remaining()).limit(payload.remaining());
    }

    private InetSocketAddress target(HostAddress address) {
        return address.socketAddress(flow.port());
    }

    /** The socket closed, or a new translation replaces this one. */
    void end() {
        endpoint.forget(current);
        current = null;
        flow.ended();
    }
}
