package layer45.mnet.phy.linux;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import layer45.mnet.phy.Device;
import layer45.mnet.phy.DeviceCapabilities;
import layer45.mnet.phy.RxHandler;
import layer45.mnet.phy.TxWriter;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.wire.TunnelCheck;
import layer45.mnet.wire.TunnelFrame;

/**
 * A point-to-point link to another layer45 stack through a kernel UDP socket: each packet travels as one
 * {@link TunnelFrame} (its link protocol number, then the packet) in one datagram, so IPv4, IPv6 and plugged-in
 * network protocols all cross it ({@link #carries} answers {@code true} for every number). The socket may be
 * opened in another network namespace ({@link InsideNamespace}), so two stacks in two namespaces joined by a veth
 * pair talk over it.
 *
 * <p>Datagrams from anywhere but the other end, and datagrams that are no frame of this tunnel, are dropped and
 * counted by reason; nothing is thrown for them. Each direction has one preallocated direct buffer, lent to the
 * stack through a fixed view past the header, so nothing is allocated per packet.
 *
 * <p>Threading: as {@link Device}: the loop thread receives, transmits and waits; {@link #wakeup} and
 * {@link #close} may come from any thread.
 */
public final class UdpTunnelDevice implements Device {

    /** Malformed or foreign datagrams skipped in one {@link #receive} call before it gives the loop a turn. */
    private static final int DROPS_PER_RECEIVE = 64;

    private final UdpTunnelOptions options;
    private final DeviceCapabilities capabilities;
    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress remote;
    private final ByteBuffer rx;
    private final ByteBuffer rxPacket;
    private final ByteBuffer tx;
    private final ByteBuffer txPacket;
    private final TunnelFrame frame = new TunnelFrame();
    private final EnumCounters<UdpTunnelEvent> counters = new EnumCounters<>(UdpTunnelEvent.class);
    private final EnumCounters<TunnelCheck> malformed = new EnumCounters<>(TunnelCheck.class);
    private volatile boolean closed;
    private volatile String failure;

    private UdpTunnelDevice(UdpTunnelOptions options, DatagramChannel channel, Selector selector) {
        this.options = options;
        this.capabilities = new DeviceCapabilities(options.mtu(), "tunnel " + options.name(),
                DeviceCapabilities.Offloads.NONE);
        this.channel = channel;
        this.selector = selector;
        this.remote = options.remote();
        // One byte more than the largest frame, so a longer datagram is told from one that just fits.
        this.rx = ByteBuffer.allocateDirect(TunnelFrame.HEADER_LENGTH + options.mtu() + 1);
        this.rxPacket = rx.slice(TunnelFrame.HEADER_LENGTH, options.mtu());
        this.tx = ByteBuffer.allocateDirect(TunnelFrame.HEADER_LENGTH + options.mtu());
        this.txPacket = tx.slice(TunnelFrame.HEADER_LENGTH, options.mtu());
    }

    /**
     * Opens the tunnel's socket (in its namespace, if it has one) and binds it.
     *
     * @param options addresses, namespace and MTU
     * @return the device
     * @throws IOException if the namespace cannot be entered or the socket cannot be bound (the address is not the
     *         namespace's, or the port is taken); the message says which
     */
    public static UdpTunnelDevice open(UdpTunnelOptions options) throws IOException {
        String where = options.namespace() == null ? "the runtime's network namespace"
                : "network namespace " + options.namespace();
        StandardProtocolFamily family = options.local().getAddress() instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        DatagramChannel channel = options.namespace() == null ? DatagramChannel.open(family)
                : InsideNamespace.call(InsideNamespace.file(options.namespace()), where,
                        () -> DatagramChannel.open(family));
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            try {
                channel.bind(options.local());
            } catch (IOException e) {
                throw new IOException("tunnel " + options.name() + " cannot bind " + options.local() + " in " + where
                        + ": " + e.getMessage() + "; give an address of that namespace and a free port", e);
            }
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            return new UdpTunnelDevice(options, channel, selector);
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /** @return the address and port the socket is bound to (the port chosen when the options said 0) */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("tunnel " + options.name() + " is closed", e);
        }
    }

    /** @return the tunnel's options */
    public UdpTunnelOptions options() {
        return options;
    }

    @Override
    public DeviceCapabilities capabilities() {
        return capabilities;
    }

    /** @return {@code true}: every frame says which link protocol it carries */
    @Override
    public boolean carries(int protocol) {
        return true;
    }

    /** Reads one datagram; skips (and counts) foreign, malformed and too long ones. */
    @Override
    public boolean receive(RxHandler handler) {
        if (closed || failure != null) {
            return false;
        }
        for (int dropped = 0; dropped <= DROPS_PER_RECEIVE; dropped++) {
            SocketAddress sender;
            try {
                sender = channel.receive(rx.clear());
            } catch (ClosedChannelException e) {
                return false;
            } catch (IOException e) {
                fail("receive", e);
                return false;
            }
            if (sender == null) {
                return false;
            }
            int length = rx.position();
            if (!remote.equals(sender)) {
                counters.increment(UdpTunnelEvent.RX_FOREIGN_SOURCE);
                continue;
            }
            if (length == rx.capacity()) {
                counters.increment(UdpTunnelEvent.RX_TOO_LONG);
                continue;
            }
            TunnelCheck check = frame.wrap(rx.limit(length)).check();
            if (check != TunnelCheck.VALID) {
                malformed.increment(check);
                continue;
            }
            int packetLength = frame.packetLength();
            counters.increment(UdpTunnelEvent.RX_PACKETS);
            counters.add(UdpTunnelEvent.RX_BYTES, packetLength);
            handler.receive(frame.linkProtocol(), rxPacket.clear().limit(packetLength));
            return true;
        }
        return false;
    }

    @Override
    public boolean transmit(int protocol, int length, TxWriter writer) {
        capabilities.checkTransmitLength(length);
        if (closed || failure != null) {
            counters.increment(UdpTunnelEvent.TX_DEVICE_DOWN);
            return false;
        }
        writer.write(txPacket.clear().limit(length));
        TunnelFrame.writeHeader(tx, protocol);
        int sent;
        try {
            sent = channel.send(tx.clear().limit(TunnelFrame.HEADER_LENGTH + length), remote);
        } catch (ClosedChannelException e) {
            counters.increment(UdpTunnelEvent.TX_DEVICE_DOWN);
            return false;
        } catch (IOException e) {
            // No route or an ICMP error of an earlier datagram: the link is lossy, not broken.
            counters.increment(UdpTunnelEvent.TX_ERRORS);
            return false;
        }
        if (sent == 0) {
            counters.increment(UdpTunnelEvent.TX_FULL);
            return false;
        }
        counters.increment(UdpTunnelEvent.TX_PACKETS);
        counters.add(UdpTunnelEvent.TX_BYTES, length);
        return true;
    }

    @Override
    public long nextArrivalNanos() {
        return NEVER;
    }

    @Override
    public void await(long timeoutNanos) throws InterruptedException {
        if (closed) {
            return;
        }
        try {
            if (timeoutNanos <= 0) {
                selector.selectNow();
            } else {
                // select(0) waits for ever: wait at least a millisecond.
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
            }
            selector.selectedKeys().clear();
        } catch (java.nio.channels.ClosedSelectorException | IOException e) {
            if (!closed) {
                fail("wait", e instanceof IOException io ? io : new IOException(e));
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("waiting on " + capabilities.name());
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public String failure() {
        if (failure != null) {
            return failure;
        }
        return closed ? "tunnel " + options.name() + " was closed" : null;
    }

    /** @return the tunnel's packet counters and its drops by reason ({@code rx-bad-magic}, ...) */
    @Override
    public Map<String, Long> countersByName() {
        Map<String, Long> all = new LinkedHashMap<>(counters.snapshot());
        malformed.snapshot().forEach((reason, count) -> {
            if (!reason.equals("valid")) {
                all.put("rx-" + reason, count);
            }
        });
        return all;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            selector.wakeup();
            channel.close();
            selector.close();
        } catch (IOException e) {
            // closing: nothing is left to do with them
        }
    }

    private void fail(String call, IOException e) {
        failure = "tunnel " + options.name() + " (" + this + ") failed to " + call + ": "
                + e.getMessage() + "; remove the peer link and add it again";
    }

    @Override
    public String toString() {
        return capabilities.name() + " " + endpoint(options.local()) + " <-> " + endpoint(remote);
    }

    private static String endpoint(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
