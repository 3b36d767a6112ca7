package layer45.mnet.socket.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import layer45.api.FlowInfo;
import layer45.api.spi.TappedFlow;
import layer45.mnet.iface.NetworkLayer;

/**
 * One UDP flow the stack terminates: the datagrams between one endpoint beyond the device (a program in the
 * namespace, or another stack) and one endpoint in the stack (a socket, or a relay's peer), found by their 5-tuple.
 *
 * <p>Every datagram of the flow passes through the customization runtime ({@link TappedFlow}) on its way. The flow's
 * <em>application</em>, whose "send" direction customizations see as send, is the endpoint beyond the device,
 * unless the flow was opened by a socket in the stack ({@link #applicationInStack()}).
 *
 * <p>Loop thread only, except {@link #abort(String)}.
 */
public final class UdpFlow {

    final UdpLayer udp;
    final NetworkLayer network;
    final long deviceHigh;
    final long deviceLow;
    final int devicePort;
    final long stackHigh;
    final long stackLow;
    final int stackPort;
    final boolean applicationInStack;
    final FlowInfo info;
    UdpPeer peer;
    TappedFlow tapped;
    long lastActive;
    long fromDevice;
    long toDevice;
    boolean closed;
    volatile String abortReason;
    private volatile long relayedRuntimeId;

    UdpFlow(UdpLayer udp, NetworkLayer network, long deviceHigh, long deviceLow, int devicePort, long stackHigh,
            long stackLow, int stackPort, boolean applicationInStack, FlowInfo info, long now) {
        this.udp = udp;
        this.network = network;
        this.deviceHigh = deviceHigh;
        this.deviceLow = deviceLow;
        this.devicePort = devicePort;
        this.stackHigh = stackHigh;
        this.stackLow = stackLow;
        this.stackPort = stackPort;
        this.applicationInStack = applicationInStack;
        this.info = info;
        this.lastActive = now;
    }

    /**
     * Sends a datagram from the stack's endpoint to the endpoint beyond the device, through the flow's
     * customizations. Loop thread only.
     *
     * @param payload the payload from position to limit; not kept, and its position is not moved
     * @return {@code false} if the flow is closed, a customization dropped the datagram, or it could not be sent
     */
    public boolean send(ByteBuffer payload) {
        return udp.fromStack(this, payload);
    }

    /**
     * Asks the stack to close the flow soon (from any thread): used by the customization runtime when a module
     * faults, and by relays whose host socket failed.
     *
     * @param reason why, for logs and counters
     */
    public void abort(String reason) {
        abortReason = reason;
        udp.abortLater(this);
    }

    /** @return the flow's facts, as customizations see them */
    public FlowInfo info() {
        return info;
    }

    /** @return the network layer the flow runs over */
    public NetworkLayer network() {
        return network;
    }

    /** @return the endpoint beyond the device */
    public InetSocketAddress deviceEndpoint() {
        return new InetSocketAddress(network.toInetAddress(deviceHigh, deviceLow), devicePort);
    }

    /** @return the endpoint in the stack */
    public InetSocketAddress stackEndpoint() {
        return new InetSocketAddress(network.toInetAddress(stackHigh, stackLow), stackPort);
    }

    /** @return whether the flow's application is a socket in the stack rather than the endpoint beyond the device */
    public boolean applicationInStack() {
        return applicationInStack;
    }

    /** @return whether the flow was closed */
    public boolean isClosed() {
        return closed;
    }

    /** @return the flow's identifier in the customization runtime, or 0 without one */
    public long runtimeId() {
        return tapped == null ? relayedRuntimeId : tapped.id();
    }

    /**
     * Records the runtime's flow of a flow whose peer runs the chain itself (a relay), for operators. Any thread.
     *
     * @param id the runtime's flow id
     */
    public void runtimeId(long id) {
        relayedRuntimeId = id;
    }

    /**
     * Tells the endpoint beyond the device that its datagrams cannot be delivered: ICMP destination unreachable
     * quoting a datagram of the flow (a relay's host socket got an ICMP error). Loop thread only.
     *
     * @param why which error the application should see
     */
    public void unreachable(layer45.mnet.iface.Unreachable why) {
        udp.unreachable(this, why);
    }

    @Override
    public String toString() {
        return "udp flow " + info;
    }
}
