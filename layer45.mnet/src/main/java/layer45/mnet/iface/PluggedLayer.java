package layer45.mnet.iface;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import layer45.api.NetworkProtocol;
import layer45.mnet.NetworkHeader;
import layer45.mnet.NetworkProtocolHandler;
import layer45.mnet.phy.Device;
import layer45.mnet.phy.TxWriter;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.wire.Ipv6Address;

/**
 * A network layer for a plugged-in {@link NetworkProtocolHandler}: the handler reads and writes its header, and
 * this layer does the rest as IPv4 and IPv6 do (own addresses, transports, counters). It has no fragmentation and
 * no ICMP: a transport packet must fit the MTU, and undeliverable packets are dropped and counted.
 *
 * <p>Whatever the handler throws is caught and counted; the packet is dropped and the stack goes on.
 */
public final class PluggedLayer implements NetworkLayer {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");

    private final NetworkProtocolHandler handler;
    private final NetworkProtocol protocol;
    private final Device device;
    private final Transports transports;
    private final int hopLimit;
    private final OwnAddresses own;
    private final Map<String, long[]> counters = new LinkedHashMap<>();
    private final EnumCounters<InterfaceEvent> interfaceEvents;
    private final NetworkHeader rxHeader = new NetworkHeader();
    private final NetworkHeader txHeader = new NetworkHeader();
    private final Emitter emitter = new Emitter();
    private ByteBuffer header = ByteBuffer.allocate(64);

    /**
     * @param handler the protocol
     * @param ownAddresses the stack's own addresses on it
     * @param device the device it is carried on
     * @param transports the transports to hand payloads to
     * @param hopLimit the hop limit of packets sent
     */
    public PluggedLayer(NetworkProtocolHandler handler, List<Ipv6Address> ownAddresses, Device device,
            Transports transports, int hopLimit) {
        this(handler, ownAddresses, device, transports, hopLimit, new EnumCounters<>(InterfaceEvent.class));
    }

    /** As the public constructor; the handler's failures are also counted in {@code interfaceEvents}. */
    PluggedLayer(NetworkProtocolHandler handler, List<Ipv6Address> ownAddresses, Device device,
            Transports transports, int hopLimit, EnumCounters<InterfaceEvent> interfaceEvents) {
        this.handler = handler;
        this.interfaceEvents = interfaceEvents;
        this.protocol = new NetworkProtocol(handler.name());
        this.device = device;
        this.transports = transports;
        this.hopLimit = hopLimit;
        this.own = new OwnAddresses(ownAddresses.stream().map(Ipv6Address::high).toList(),
                ownAddresses.stream().map(Ipv6Address::low).toList());
        for (String name : List.of("received", "delivered", "sent", "not-for-us", "unknown-transport",
                "port-unreachable", "too-large-to-send", "device-full", "handler-failed")) {
            counters.put(name, new long[1]);
        }
    }

    /** @return the handler this layer runs */
    public NetworkProtocolHandler handler() {
        return handler;
    }

    @Override
    public int linkProtocol() {
        return handler.linkProtocol();
    }

    @Override
    public NetworkProtocol protocol() {
        return protocol;
    }

    @Override
    public void receive(ByteBuffer packet) {
        String problem;
        try {
            problem = handler.parse(packet, rxHeader);
        } catch (RuntimeException e) {
            failed("parse", e);
            return;
        }
        if (problem != null) {
            count(problem);
            return;
        }
        count("received");
        boolean ownDestination = isOwnAddress(rxHeader.dstHigh(), rxHeader.dstLow());
        if (!ownDestination) {
            count("not-for-us");
            return;
        }
        Transport transport = transports.get(rxHeader.transportProtocol());
        if (transport == null) {
            count("unknown-transport");
            return;
        }
        long pseudo;
        try {
            pseudo = handler.pseudoHeaderSum(rxHeader, rxHeader.payloadLength());
        } catch (RuntimeException e) {
            failed("pseudoHeaderSum", e);
            return;
        }
        count("delivered");
        int result = transport.receive(this, rxHeader.srcHigh(), rxHeader.srcLow(), rxHeader.dstHigh(),
                rxHeader.dstLow(), true, packet, rxHeader.payloadOffset(), rxHeader.payloadLength(), pseudo);
        if (result != Transport.DELIVERED) {
            count("port-unreachable");
        }
    }

    @Override
    public boolean send(long srcHigh, long srcLow, long dstHigh, long dstLow, int transportProtocol,
            int transportLength, TransportWriter writer) {
        txHeader.source(srcHigh, srcLow).destination(dstHigh, dstLow).transport(transportProtocol, hopLimit);
        int headerLength;
        long pseudo;
        try {
            txHeader.payload(0, transportLength);
            headerLength = handler.headerLength(txHeader);
            txHeader.payload(headerLength, transportLength);
            pseudo = handler.pseudoHeaderSum(txHeader, transportLength);
        } catch (RuntimeException e) {
            failed("headerLength", e);
            return false;
        }
        int total = headerLength + transportLength;
        if (total > device.capabilities().mtu()) {
            count("too-large-to-send");
            return false;
        }
        if (header.capacity() < headerLength) {
            header = ByteBuffer.allocate(headerLength);
        }
        header.clear().limit(headerLength);
        try {
            // The handler writes into a scratch first, so a handler that throws never leaves half a packet sent.
            handler.emit(header, txHeader);
        } catch (RuntimeException e) {
            failed("emit", e);
            return false;
        }
        emitter.set(headerLength, transportLength, writer, pseudo);
        if (!device.transmit(handler.linkProtocol(), total, emitter)) {
            count("device-full");
            return false;
        }
        count("sent");
        return true;
    }

    @Override
    public boolean isOwnAddress(long high, long low) {
        return own.contains(high, low);
    }

    @Override
    public boolean sourceFor(long dstHigh, long dstLow, long[] into) {
        return own.first(into);
    }

    @Override
    public InetAddress toInetAddress(long high, long low) {
        return new Ipv6Address(high, low).toInetAddress();
    }

    @Override
    public int maxTransportLength() {
        try {
            return device.capabilities().mtu() - handler.headerLength(txHeader.payload(0, 0));
        } catch (RuntimeException e) {
            failed("headerLength", e);
            return 0;
        }
    }

    @Override
    public long pseudoHeaderSum(long srcHigh, long srcLow, long dstHigh, long dstLow, int transportProtocol,
            int transportLength) {
        txHeader.source(srcHigh, srcLow).destination(dstHigh, dstLow).transport(transportProtocol, hopLimit);
        try {
            return handler.pseudoHeaderSum(txHeader, transportLength);
        } catch (RuntimeException e) {
            failed("pseudoHeaderSum", e);
            return 0;
        }
    }

    /** @return the layer's counters, by name; loop thread (snapshots are taken there) */
    Map<String, Long> counters() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        counters.forEach((name, value) -> snapshot.put(name, value[0]));
        return snapshot;
    }

    private void count(String name) {
        counters.computeIfAbsent(name, key -> new long[1])[0]++;
    }

    private void failed(String call, RuntimeException e) {
        count("handler-failed");
        interfaceEvents.increment(InterfaceEvent.HANDLER_FAILED);
        LOG.log(System.Logger.Level.WARNING, "mnet: network protocol " + protocol + " (" + handler.getClass().getName()
                + ") threw from " + call + "; the packet is dropped and the stack goes on", e);
    }

    /** Copies the header the handler wrote, then the transport writes the rest. */
    private final class Emitter implements TxWriter {

        private int headerLength;
        private int transportLength;
        private TransportWriter writer;
        private long pseudo;

        void set(int headerLength, int transportLength, TransportWriter writer, long pseudo) {
            this.headerLength = headerLength;
            this.transportLength = transportLength;
            this.writer = writer;
            this.pseudo = pseudo;
        }

        @Override
        public void write(ByteBuffer packet) {
            packet.put(0, header, 0, headerLength);
            writer.write(packet, headerLength, transportLength, pseudo);
        }
    }
}
