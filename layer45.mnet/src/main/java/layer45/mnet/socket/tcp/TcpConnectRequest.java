package layer45.mnet.socket.tcp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.iface.Unreachable;

/**
 * A SYN the stack holds for its {@link TcpForwarder} until the relay knows how the real destination answered. Its
 * methods may be called from any thread, and only the first answer counts; the loop carries it out at its next turn.
 * If the application gives up first (it resets its connection attempt, or the stack stops), the request is
 * {@linkplain #cancelled() cancelled} and an answer is ignored.
 */
public final class TcpConnectRequest {

    /** What the relay answered. */
    enum Answer { NONE, ACCEPT, REFUSE, UNREACHABLE }

    final TcpLayer layer;
    final NetworkLayer network;
    final long appHigh;
    final long appLow;
    final int appPort;
    final long dstHigh;
    final long dstLow;
    final int dstPort;
    final boolean ownDestination;
    /** The SYN's TCP header (options included; any data is left for the application to send again). */
    final ByteBuffer syn;
    /** Buffer memory reserved for the connection while the SYN is held; the loop's, given back or passed on. */
    long reserved;
    private Answer answer = Answer.NONE;
    TcpHandler handler;
    Unreachable reason;
    private volatile boolean cancelled;
    private final AtomicReference<Runnable> onCancel = new AtomicReference<>();

    TcpConnectRequest(TcpLayer layer, NetworkLayer network, long appHigh, long appLow, int appPort, long dstHigh,
            long dstLow, int dstPort, boolean ownDestination, ByteBuffer syn) {
        this.layer = layer;
        this.network = network;
        this.appHigh = appHigh;
        this.appLow = appLow;
        this.appPort = appPort;
        this.dstHigh = dstHigh;
        this.dstLow = dstLow;
        this.dstPort = dstPort;
        this.ownDestination = ownDestination;
        this.syn = syn;
    }

    /** @return the application's endpoint, beyond the device */
    public InetSocketAddress application() {
        return new InetSocketAddress(network.toInetAddress(appHigh, appLow), appPort);
    }

    /** @return the destination the application connects to */
    public InetSocketAddress destination() {
        return new InetSocketAddress(network.toInetAddress(dstHigh, dstLow), dstPort);
    }

    /** @return whether the destination is one of the stack's own addresses */
    public boolean ownDestination() {
        return ownDestination;
    }

    /** @return the network layer the SYN came over */
    public NetworkLayer network() {
        return network;
    }

    /**
     * Completes the handshake with the application; the connection then goes to {@code handler} as it is, without
     * the stack's customization chain (the relay runs the chain itself).
     *
     * @param handler who hears about the connection
     */
    public void accept(TcpHandler handler) {
        answer(Answer.ACCEPT, handler, null);
    }

    /** Refuses the connection: the application gets RST, so its connect fails with "connection refused". */
    public void refuse() {
        answer(Answer.REFUSE, null, null);
    }

    /**
     * Tells the application the destination cannot be reached: ICMP destination unreachable.
     *
     * @param why which error the application should see
     */
    public void unreachable(Unreachable why) {
        answer(Answer.UNREACHABLE, null, why);
    }

    /**
     * @param action runs once if the request is cancelled: on the loop thread, or at once on this one if it already
     *        was; it must not block
     */
    public void whenCancelled(Runnable action) {
        onCancel.set(action);
        if (cancelled) {
            runCancel();
        }
    }

    /** @return whether the application gave up or the stack stopped before the answer was carried out */
    public boolean cancelled() {
        return cancelled;
    }

    private void answer(Answer kind, TcpHandler handler, Unreachable why) {
        synchronized (this) {
            if (answer != Answer.NONE) {
                return;
            }
            answer = kind;
            this.handler = handler;
            this.reason = why;
        }
        layer.answerLater(this);
    }

    synchronized Answer answer() {
        return answer;
    }

    void cancel() {
        cancelled = true;
        runCancel();
    }

    private void runCancel() {
        Runnable action = onCancel.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }

    @Override
    public String toString() {
        return "held SYN " + application() + " -> " + destination();
    }
}
