package layer45.mnet.iface;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import layer45.api.NetworkProtocol;
import layer45.mnet.frag.Fragment;
import layer45.mnet.frag.ReassembledDatagram;
import layer45.mnet.frag.Reassembler;
import layer45.mnet.frag.ReassemblyEvent;
import layer45.mnet.phy.Device;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.phy.TxWriter;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.Clock;
import layer45.mnet.wire.Checksum;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.Icmpv4Type;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv4Packet;
import layer45.mnet.wire.WireCheck;

/**
 * The built-in IPv4 layer (RFC 791, with the host requirements of RFC 1122): checks and demultiplexes received
 * packets, reassembles fragments, answers and sends ICMP ({@link Icmpv4}), and sends transport packets, fragmenting
 * them to the MTU.
 *
 * <p>Packets to the stack's own addresses are for the stack; packets to any other unicast address are taken too
 * when the interface terminates flows on the application's behalf ({@link InterfaceConfig#terminateForeign()}),
 * and then their TTL must allow one more hop, as a router would require. Broadcast (limited, or directed to an
 * own prefix) and multicast are ignored; loopback and "this network" destinations are dropped.
 * Options are accepted and not acted on (RFC 1122, 3.2.1.8 requires passing them up; nothing above uses them).
 */
public final class Ipv4Layer extends IpLayer<Ipv4Event> {

    /** The largest payload of an IPv4 datagram with a 20-byte header. */
    static final int MAX_PAYLOAD = 65535 - Ipv4Packet.MIN_HEADER_LENGTH;
    private static final long MASK = 0xFFFF_FFFFL;

    private final int[] directedBroadcasts;
    private final Icmpv4 icmp;

    private final Ipv4Packet rx = new Ipv4Packet();
    /** The rebuilt header of a packet {@link #unreachable} tells about. */
    private final Ipv4Packet quotedHeader = new Ipv4Packet();
    private final ByteBuffer quoted = ByteBuffer.allocate(Ipv4Packet.MIN_HEADER_LENGTH);
    private final Fragment fragment = new Fragment();
    private final Reassembler.Completion reassembled = this::deliverReassembled;
    private final Emitter emitter = new Emitter();
    private int nextIdent;

    /**
     * @param device the device to send through
     * @param config the interface's configuration (own IPv4 addresses, hop limit, limits)
     * @param transports the transports to hand payloads to
     * @param clock the stack's clock
     */
    public Ipv4Layer(Device device, InterfaceConfig config, Transports transports, Clock clock) {
        super(device, config, transports, ownAddresses(config), config.ipv4Reassembly(), clock, LinkProtocol.IPV4,
                Ipv4Event.class, Ipv4Event.SENT, Ipv4Event.DEVICE_FULL);
        this.directedBroadcasts = config.addresses(4).stream().mapToInt(Ipv4Layer::directedBroadcast)
                .filter(address -> address != 0).toArray();
        this.icmp = new Icmpv4(this, new TokenBucket(config.icmpErrorsPerSecond(), config.icmpErrorBurst(), clock));
        this.nextIdent = (int) System.nanoTime() & 0xFFFF;
    }

    private static OwnAddresses ownAddresses(InterfaceConfig config) {
        List<IpCidr> addresses = config.addresses(4);
        return new OwnAddresses(addresses.stream().map(cidr -> 0L).toList(),
                addresses.stream().map(cidr -> ((Ipv4Address) cidr.address()).bits() & MASK).toList());
    }

    @Override
    public NetworkProtocol protocol() {
        return NetworkProtocol.IPV4;
    }

    @Override
    public void receive(ByteBuffer packet) {
        rx.wrap(packet, 0, packet.limit());
        WireCheck check = rx.check();
        if (!check.valid()) {
            malformed.increment(check);
            return;
        }
        events.increment(Ipv4Event.RECEIVED);
        if (!rx.verifyChecksum()) {
            events.increment(Ipv4Event.BAD_CHECKSUM);
            return;
        }
        int src = rx.srcAddr();
        int dst = rx.dstAddr();
        if (isMartian(src)) {
            events.increment(Ipv4Event.MARTIAN_SOURCE);
            return;
        }
        boolean ownDestination = isOwn(dst);
        if (!ownDestination) {
            if (isBroadcastOrMulticast(dst)) {
                events.increment(Ipv4Event.BROADCAST_IGNORED);
                return;
            }
            if (isMartian(dst)) {
                events.increment(Ipv4Event.MARTIAN_DESTINATION);
                return;
            }
            if (!terminateForeign) {
                events.increment(Ipv4Event.NOT_FOR_US);
                return;
            }
            if (rx.ttl() <= 1) {
                events.increment(Ipv4Event.TTL_EXPIRED);
                if (rx.fragmentOffset() == 0 && !own.isEmpty()) {
                    icmp.timeExceeded(Icmpv4Type.TTL_EXCEEDED, (int) own.firstLow(), src, rx.protocol(), packet, 0,
                            rx.headerLength(), packet, rx.payloadOffset(), rx.payloadLength());
                }
                return;
            }
        }
        if (rx.isFragment()) {
            reassemble(packet, src, dst);
            return;
        }
        deliver(rx.protocol(), src, dst, ownDestination, packet, 0, rx.headerLength(), packet, rx.payloadOffset(),
                rx.payloadLength());
    }

    @Override
    public boolean send(long srcHigh, long srcLow, long dstHigh, long dstLow, int transportProtocol,
            int transportLength, TransportWriter writer) {
        if (transportLength > MAX_PAYLOAD) {
            events.increment(Ipv4Event.TOO_LARGE_TO_SEND);
            return false;
        }
        int src = (int) srcLow;
        int dst = (int) dstLow;
        long pseudo = Checksum.pseudoHeaderV4(src, dst, transportProtocol, transportLength);
        int ident = nextIdent++ & 0xFFFF;
        int total = Ipv4Packet.MIN_HEADER_LENGTH + transportLength;
        if (total <= mtu) {
            emitter.direct(src, dst, transportProtocol, ident, transportLength, writer, pseudo);
            return transmit(total, emitter);
        }
        // Too big for one packet: build the whole transport packet once, then send it in 8-byte aligned pieces.
        writer.write(scratch, 0, transportLength, pseudo);
        events.increment(Ipv4Event.FRAGMENTED);
        int piece = (mtu - Ipv4Packet.MIN_HEADER_LENGTH) & ~7;
        boolean all = true;
        for (int offset = 0; offset < transportLength; offset += piece) {
            int length = Math.min(piece, transportLength - offset);
            emitter.fragment(src, dst, transportProtocol, ident, offset, length,
                    offset + length < transportLength);
            all &= transmit(Ipv4Packet.MIN_HEADER_LENGTH + length, emitter);
        }
        return all;
    }

    @Override
    public InetAddress toInetAddress(long high, long low) {
        return new Ipv4Address((int) low).toInetAddress();
    }

    @Override
    public long pseudoHeaderSum(long srcHigh, long srcLow, long dstHigh, long dstLow, int transportProtocol,
            int transportLength) {
        return Checksum.pseudoHeaderV4((int) srcLow, (int) dstLow, transportProtocol, transportLength);
    }

    @Override
    public void unreachable(Unreachable reason, long srcHigh, long srcLow, long dstHigh, long dstLow, int protocol,
            ByteBuffer transport, int offset, int length) {
        Ipv4Packet header = quotedHeader.wrap(quoted, 0, Ipv4Packet.MIN_HEADER_LENGTH);
        header.setVersion(4);
        header.setHeaderLength(Ipv4Packet.MIN_HEADER_LENGTH);
        header.setDscpEcn(0);
        header.setTotalLength(Ipv4Packet.MIN_HEADER_LENGTH + length);
        header.setIdent(0);
        header.setFlagsAndFragmentOffset(true, false, 0);
        header.setTtl(hopLimit);
        header.setProtocol(protocol);
        header.setSrcAddr((int) srcLow);
        header.setDstAddr((int) dstLow);
        header.fillChecksum();
        events.increment(reason == Unreachable.PORT ? Ipv4Event.PORT_UNREACHABLE : Ipv4Event.HOST_UNREACHABLE);
        icmp.unreachable(reason.icmpv4Code(), (int) dstLow, (int) srcLow, protocol, quoted, 0,
                Ipv4Packet.MIN_HEADER_LENGTH, transport, offset, length);
    }

    @Override
    public int maxTransportLength() {
        return mtu - Ipv4Packet.MIN_HEADER_LENGTH;
    }

    /**
     * Sends an ICMP echo request (a ping) from the stack's first own address. Loop thread.
     *
     * @param to the destination
     * @param ident the echo identifier
     * @param sequence the sequence number
     * @param data the data from position to limit
     * @return whether it was sent
     */
    public boolean ping(Ipv4Address to, int ident, int sequence, ByteBuffer data) {
        return pingFromOwnAddress(0, to.bits() & MASK, ident, sequence, data);
    }

    @Override
    Icmp icmp() {
        return icmp;
    }

    /** @return whether the address is one of the stack's own */
    boolean isOwn(int address) {
        return own.contains(0, address & MASK);
    }

    private void reassemble(ByteBuffer packet, int src, int dst) {
        fragment.family = 4;
        fragment.srcHigh = 0;
        fragment.srcLow = src & MASK;
        fragment.dstHigh = 0;
        fragment.dstLow = dst & MASK;
        fragment.ident = rx.ident();
        fragment.protocol = rx.protocol();
        fragment.offset = rx.fragmentOffset();
        fragment.moreFragments = rx.moreFragments();
        fragment.maxPayload = 65535 - rx.headerLength();
        fragment.buffer = packet;
        fragment.dataOffset = rx.payloadOffset();
        fragment.dataLength = rx.payloadLength();
        fragment.headerOffset = 0;
        fragment.headerLength = rx.headerLength();
        reassembler.add(fragment, reassembled);
    }

    private void deliverReassembled(ReassembledDatagram datagram) {
        int dst = (int) datagram.dstLow();
        deliver(datagram.protocol(), (int) datagram.srcLow(), dst, isOwn(dst), datagram.headerBuffer(), 0,
                datagram.headerLength(), datagram.payloadBuffer(), 0, datagram.payloadLength());
    }

    @Override
    void reassemblyExpired(ReassembledDatagram datagram) {
        icmp.timeExceeded(Icmpv4Type.REASSEMBLY_TIME_EXCEEDED, (int) datagram.dstLow(),
                (int) datagram.srcLow(), datagram.protocol(), datagram.headerBuffer(), 0, datagram.headerLength(),
                datagram.payloadBuffer(), 0, datagram.payloadLength());
    }

    private void deliver(int protocol, int src, int dst, boolean ownDestination, ByteBuffer header,
            int headerOffset, int headerLength, ByteBuffer payload, int payloadOffset, int payloadLength) {
        events.increment(Ipv4Event.DELIVERED);
        if (protocol == IpProtocol.ICMP) {
            icmp.receive(src, dst, ownDestination, payload, payloadOffset, payloadLength);
            return;
        }
        Transport transport = transports.get(protocol);
        if (transport == null) {
            events.increment(Ipv4Event.UNKNOWN_PROTOCOL);
            if (ownDestination) {
                icmp.unreachable(Icmpv4Type.PROTOCOL_UNREACHABLE, dst, src, protocol, header, headerOffset,
                        headerLength, payload, payloadOffset, payloadLength);
            }
            return;
        }
        long pseudo = Checksum.pseudoHeaderV4(src, dst, protocol, payloadLength);
        int result = transport.receive(this, 0, src & MASK, 0, dst & MASK, ownDestination, payload, payloadOffset,
                payloadLength, pseudo);
        if (result == Transport.PORT_UNREACHABLE) {
            events.increment(Ipv4Event.PORT_UNREACHABLE);
            icmp.unreachable(Icmpv4Type.PORT_UNREACHABLE, dst, src, protocol, header, headerOffset, headerLength,
                    payload, payloadOffset, payloadLength);
        } else if (result == Transport.HOST_UNREACHABLE) {
            events.increment(Ipv4Event.HOST_UNREACHABLE);
            icmp.unreachable(Icmpv4Type.HOST_UNREACHABLE, dst, src, protocol, header, headerOffset, headerLength,
                    payload, payloadOffset, payloadLength);
        }
    }

    /**
     * 0.0.0.0/8, 127.0.0.0/8, multicast, class E and broadcast cannot be the source of a packet (RFC 1122, 3.2.1.3),
     * so the stack takes no flow to them: it would answer from them.
     */
    private static boolean isMartian(int address) {
        int first = address >>> 24;
        return first == 0 || first == 127 || first >= 224;
    }

    private boolean isBroadcastOrMulticast(int address) {
        if (address >>> 28 == 0xE || address == -1) {
            return true;
        }
        for (int broadcast : directedBroadcasts) {
            if (broadcast == address) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return the directed broadcast address of an own prefix (all host bits set, RFC 919); 0 for prefixes of 31
     *         and 32 bits, which have none (RFC 3021)
     */
    private static int directedBroadcast(IpCidr cidr) {
        if (cidr.prefixLength() > 30) {
            return 0;
        }
        return ((Ipv4Address) cidr.address()).bits() | -1 >>> cidr.prefixLength();
    }

    /** Writes outgoing packets into the device's buffer: one whole packet, or one fragment of the scratch. */
    private final class Emitter implements TxWriter {

        private final Ipv4Packet tx = new Ipv4Packet();
        private int src;
        private int dst;
        private int protocol;
        private int ident;
        private int offset;
        private int length;
        private boolean more;
        private TransportWriter writer;
        private long pseudo;

        void direct(int src, int dst, int protocol, int ident, int length, TransportWriter writer, long pseudo) {
            set(src, dst, protocol, ident, 0, length, false);
            this.writer = writer;
            this.pseudo = pseudo;
        }

        void fragment(int src, int dst, int protocol, int ident, int offset, int length, boolean more) {
            set(src, dst, protocol, ident, offset, length, more);
            this.writer = null;
        }

        private void set(int src, int dst, int protocol, int ident, int offset, int length, boolean more) {
            this.src = src;
            this.dst = dst;
            this.protocol = protocol;
            this.ident = ident;
            this.offset = offset;
            this.length = length;
            this.more = more;
        }

        @Override
        public void write(ByteBuffer packet) {
            int header = Ipv4Packet.MIN_HEADER_LENGTH;
            tx.wrap(packet, 0, header + length);
            tx.setVersion(4);
            tx.setHeaderLength(header);
            tx.setDscpEcn(0);
            tx.setTotalLength(header + length);
            tx.setIdent(ident);
            tx.setFlagsAndFragmentOffset(false, more, offset);
            tx.setTtl(hopLimit);
            tx.setProtocol(protocol);
            tx.setSrcAddr(src);
            tx.setDstAddr(dst);
            tx.fillChecksum();
            if (writer != null) {
                writer.write(packet, header, length, pseudo);
            } else {
                packet.put(header, scratch, offset, length);
            }
        }
    }
}
