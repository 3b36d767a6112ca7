package layer45.mnet.iface;

import java.nio.ByteBuffer;
import layer45.mnet.frag.ReassembledDatagram;
import layer45.mnet.frag.Reassembler;
import layer45.mnet.frag.ReassemblyEvent;
import layer45.mnet.frag.ReassemblyLimits;
import layer45.mnet.phy.Device;
import layer45.mnet.phy.TxWriter;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.WireCheck;

/**
 * What the IPv4 and IPv6 layers share: the device and settings, the own addresses, reassembly and its timer, the
 * counters, and sending a packet to the device. Each subclass does its own header, rules and ICMP.
 *
 * @param <E> the layer's event counters
 */
abstract class IpLayer<E extends Enum<E>> implements NetworkLayer {

    final Device device;
    final int mtu;
    final int hopLimit;
    final boolean terminateForeign;
    final Transports transports;
    final OwnAddresses own;
    final EnumCounters<WireCheck> malformed = new EnumCounters<>(WireCheck.class);
    final EnumCounters<E> events;
    final EnumCounters<ReassemblyEvent> reassembly = new EnumCounters<>(ReassemblyEvent.class);
    final Reassembler reassembler;
    /** Holds a transport packet too large for one IP packet while it is sent in fragments. */
    final ByteBuffer scratch = ByteBuffer.allocate(65536);
    private final Reassembler.Expiry expired = this::reassemblyExpired;
    private final int linkProtocol;
    private final E sent;
    private final E deviceFull;

    IpLayer(Device device, InterfaceConfig config, Transports transports, OwnAddresses own, ReassemblyLimits limits,
            Clock clock, int linkProtocol, Class<E> eventType, E sent, E deviceFull) {
        this.device = device;
        this.mtu = device.capabilities().mtu();
        this.hopLimit = config.hopLimit();
        this.terminateForeign = config.terminateForeign();
        this.transports = transports;
        this.own = own;
        this.events = new EnumCounters<>(eventType);
        this.reassembler = new Reassembler(limits, clock, reassembly);
        this.linkProtocol = linkProtocol;
        this.sent = sent;
        this.deviceFull = deviceFull;
    }

    /** @return the layer's ICMP */
    abstract Icmp icmp();

    /** Tells the sender of a datagram whose fragments did not all come in time (ICMP time exceeded, code 1). */
    abstract void reassemblyExpired(ReassembledDatagram datagram);

    @Override
    public final int linkProtocol() {
        return linkProtocol;
    }

    @Override
    public final boolean isOwnAddress(long high, long low) {
        return own.contains(high, low);
    }

    @Override
    public final boolean sourceFor(long dstHigh, long dstLow, long[] into) {
        return own.first(into);
    }

    /** @param forwarder takes echo requests to foreign addresses (a relay); {@code null} drops them; loop thread */
    public final void echoForwarder(EchoForwarder forwarder) {
        icmp().echoForwarder(forwarder);
    }

    /** @param listener told about echo replies to the stack's own pings; {@code null} to stop */
    public final void echoListener(EchoListener listener) {
        icmp().echoListener(listener);
    }

    /** Sends an echo request from the first own address. */
    final boolean pingFromOwnAddress(long toHigh, long toLow, int ident, int sequence, ByteBuffer data) {
        if (own.isEmpty()) {
            throw new IllegalStateException("the stack has no " + protocol() + " address to ping from; configure one");
        }
        return icmp().ping(own.firstHigh(), own.firstLow(), toHigh, toLow, ident, sequence, data);
    }

    /** Discards fragments whose time ran out, telling their senders. */
    final void maintain() {
        reassembler.expire(expired);
    }

    /** @return when {@link #maintain()} next has work */
    final long nextDeadline() {
        return reassembler.nextDeadline();
    }

    final EnumCounters<WireCheck> malformed() {
        return malformed;
    }

    final EnumCounters<E> events() {
        return events;
    }

    final EnumCounters<ReassemblyEvent> reassembly() {
        return reassembly;
    }

    final EnumCounters<IcmpEvent> icmpEvents() {
        return icmp().events();
    }

    /** Sends one packet of {@code length} bytes that {@code writer} writes; counts it as sent or dropped. */
    final boolean transmit(int length, TxWriter writer) {
        if (device.transmit(linkProtocol, length, writer)) {
            events.increment(sent);
            return true;
        }
        events.increment(deviceFull);
        return false;
    }
}
