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
import layer45.mnet.wire.Icmpv6Type;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv6Address;
import layer45.mnet.wire.Ipv6ExtensionHeaders;
import layer45.mnet.wire.Ipv6Packet;
import layer45.mnet.wire.WireCheck;

/**
 * The built-in IPv6 layer (RFC 8200, host requirements of RFC 8504): checks received packets and walks their
 * extension headers, reassembles fragments, answers and sends ICMPv6 ({@link Icmpv6}), and sends transport packets,
 * fragmenting them at the source when they exceed the MTU.
 *
 * <p>As for IPv4, packets to the stack's own addresses are for the stack, packets to other global unicast
 * addresses are terminated when the interface does that, and multicast is ignored: a TUN link is point to point
 * and needs no neighbour discovery. Loopback, unspecified and IPv4-mapped addresses, which never appear on a link,
 * are dropped.
 */
public final class Ipv6Layer extends IpLayer<Ipv6Event> {

    /** The largest IPv6 payload without a jumbogram. */
    static final int MAX_PAYLOAD = 65535;
    private static final int FRAGMENT_HEADER_LENGTH = 8;

    private final Icmpv6 icmp;

    private final Ipv6Packet rx = new Ipv6Packet();
    /** The rebuilt header of a packet {@link #unreachable} tells about. */
    private final Ipv6Packet quotedHeader = new Ipv6Packet();
    private final ByteBuffer quoted = ByteBuffer.allocate(Ipv6Packet.HEADER_LENGTH);
    private final Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();
    private final Ipv6Packet kept = new Ipv6Packet();
    private final Ipv6ExtensionHeaders keptHeaders = new Ipv6ExtensionHeaders();
    private final Fragment fragment = new Fragment();
    private final Reassembler.Completion reassembled = this::deliverReassembled;
    private final Emitter emitter = new Emitter();
    private int nextIdent;

    /**
     * @param device the device to send through
     * @param config the interface's configuration (own IPv6 addresses, hop limit, limits)
     * @param transports the transports to hand payloads to
     * @param clock the stack's clock
     */
    public Ipv6Layer(Device device, InterfaceConfig config, Transports transports, Clock clock) {
        super(device, config, transports, ownAddresses(config), config.ipv6Reassembly(), clock, LinkProtocol.IPV6,
                Ipv6Event.class, Ipv6Event.SENT, Ipv6Event.DEVICE_FULL);
        this.icmp = new Icmpv6(this, new TokenBucket(config.icmpErrorsPerSecond(), config.icmpErrorBurst(), clock));
        this.nextIdent = (int) System.nanoTime();
    }

    private static OwnAddresses ownAddresses(InterfaceConfig config) {
        List<Ipv6Address> addresses = config.addresses(6).stream().map(cidr -> (Ipv6Address) cidr.address())
                .toList();
        return new OwnAddresses(addresses.stream().map(Ipv6Address::high).toList(),
                addresses.stream().map(Ipv6Address::low).toList());
    }

    @Override
    public NetworkProtocol protocol() {
        return NetworkProtocol.IPV6;
    }

    @Override
    public void receive(ByteBuffer packet) {
        rx.wrap(packet, 0, packet.limit());
        WireCheck check = rx.check();
        if (!check.valid()) {
            malformed.increment(check);
            return;
        }
        events.increment(Ipv6Event.RECEIVED);
        long srcHigh = rx.srcHigh();
        long srcLow = rx.srcLow();
        long dstHigh = rx.dstHigh();
        long dstLow = rx.dstLow();
        if (isMulticast(srcHigh) || isLoopbackOrMapped(srcHigh, srcLow)) {
            events.increment(Ipv6Event.MARTIAN_SOURCE);
            return;
        }
        if (isMulticast(dstHigh)) {
            events.increment(Ipv6Event.MULTICAST_IGNORED);
            return;
        }
        // The unspecified source is for duplicate address detection and MLD reports, both sent to multicast.
        if (srcHigh == 0 && srcLow == 0) {
            events.increment(Ipv6Event.MARTIAN_SOURCE);
            return;
        }
        boolean ownDestination = isOwnAddress(dstHigh, dstLow);
        if (!ownDestination) {
            if (dstHigh == 0 && dstLow == 0 || isLoopbackOrMapped(dstHigh, dstLow)) {
                events.increment(Ipv6Event.MARTIAN_DESTINATION);
                return;
            }
            if (!terminateForeign || isLinkLocal(dstHigh)) {
                events.increment(Ipv6Event.NOT_FOR_US);
                return;
            }
        }
        check = headers.walk(rx);
        if (!check.valid()) {
            malformed.increment(check);
            events.increment(Ipv6Event.EXTENSION_HEADER_PROBLEM);
            if (headers.problemPointer() >= 0 && headers.unrecognizedOptionAction() != 1) {
                icmp.parameterProblem(headers.problemCode(), headers.problemPointer(), dstHigh, dstLow, srcHigh,
                        srcLow, packet, 0, packet.limit());
            }
            return;
        }
        if (!ownDestination && rx.hopLimit() <= 1) {
            events.increment(Ipv6Event.HOP_LIMIT_EXPIRED);
            if (!own.isEmpty() && headers.fragmentOffset() == 0) {
                icmp.timeExceeded(Icmpv6Type.HOP_LIMIT_EXCEEDED, own.firstHigh(), own.firstLow(), srcHigh, srcLow,
                        headers.upperProtocol(), packet, 0, headers.upperOffset(), packet, headers.upperOffset(),
                        headers.upperLength());
            }
            return;
        }
        if (headers.isFragment()) {
            reassemble(packet, srcHigh, srcLow, dstHigh, dstLow);
            return;
        }
        int upper = headers.upperOffset();
        deliver(headers.upperProtocol(), srcHigh, srcLow, dstHigh, dstLow, ownDestination, packet, 0, upper, packet,
                upper, upper, upper + headers.upperLength(), headers.upperProtocolFieldOffset());
    }

    @Override
    public boolean send(long srcHigh, long srcLow, long dstHigh, long dstLow, int transportProtocol,
            int transportLength, TransportWriter writer) {
        // The Fragment header is not part of the original packet (RFC 8200, 4.5): 65535 bytes fit in fragments too.
        if (transportLength > MAX_PAYLOAD) {
            events.increment(Ipv6Event.TOO_LARGE_TO_SEND);
            return false;
        }
        long pseudo = Checksum.pseudoHeaderV6(srcHigh, srcLow, dstHigh, dstLow, transportProtocol, transportLength);
        int total = Ipv6Packet.HEADER_LENGTH + transportLength;
        if (total <= mtu) {
            emitter.direct(srcHigh, srcLow, dstHigh, dstLow, transportProtocol, transportLength, writer, pseudo);
            return transmit(total, emitter);
        }
        // RFC 8200, 4.5: the source fragments; each piece but the last carries a multiple of 8 bytes.
        writer.write(scratch, 0, transportLength, pseudo);
        events.increment(Ipv6Event.FRAGMENTED);
        int ident = nextIdent++;
        int piece = (mtu - Ipv6Packet.HEADER_LENGTH - FRAGMENT_HEADER_LENGTH) & ~7;
        boolean all = true;
        for (int offset = 0; offset < transportLength; offset += piece) {
            int length = Math.min(piece, transportLength - offset);
            emitter.fragment(srcHigh, srcLow, dstHigh, dstLow, transportProtocol, ident, offset, length,
                    offset + length < transportLength);
            all &= transmit(Ipv6Packet.HEADER_LENGTH + FRAGMENT_HEADER_LENGTH + length, emitter);
        }
        return all;
    }

    @Override
    public InetAddress toInetAddress(long high, long low) {
        return new Ipv6Address(high, low).toInetAddress();
    }

    @Override
    public long pseudoHeaderSum(long srcHigh, long srcLow, long dstHigh, long dstLow, int transportProtocol,
            int transportLength) {
        return Checksum.pseudoHeaderV6(srcHigh, srcLow, dstHigh, dstLow, transportProtocol, transportLength);
    }

    @Override
    public void unreachable(Unreachable reason, long srcHigh, long srcLow, long dstHigh, long dstLow, int protocol,
            ByteBuffer transport, int offset, int length) {
        Ipv6Packet header = quotedHeader.wrap(quoted, 0, Ipv6Packet.HEADER_LENGTH);
        header.setVersion(6);
        header.setTrafficClass(0);
        header.setFlowLabel(0);
        header.setPayloadLength(length);
        header.setNextHeader(protocol);
        header.setHopLimit(hopLimit);
        header.setSrcAddr(srcHigh, srcLow);
        header.setDstAddr(dstHigh, dstLow);
        events.increment(reason == Unreachable.PORT ? Ipv6Event.PORT_UNREACHABLE : Ipv6Event.ADDRESS_UNREACHABLE);
        icmp.unreachable(reason.icmpv6Code(), dstHigh, dstLow, srcHigh, srcLow, protocol, quoted, 0,
                Ipv6Packet.HEADER_LENGTH, transport, offset, length);
    }

    @Override
    public int maxTransportLength() {
        return mtu - Ipv6Packet.HEADER_LENGTH;
    }

    /**
     * Sends an ICMPv6 echo request (a ping) from the stack's first own address. Loop thread.
     *
     * @param to the destination
     * @param ident the echo identifier
     * @param sequence the sequence number
     * @param data the data from position to limit
     * @return whether it was sent
     */
    public boolean ping(Ipv6Address to, int ident, int sequence, ByteBuffer data) {
        return pingFromOwnAddress(to.high(), to.low(), ident, sequence, data);
    }

    @Override
    Icmp icmp() {
        return icmp;
    }

    private void reassemble(ByteBuffer packet, long srcHigh, long srcLow, long dstHigh, long dstLow) {
        fragment.family = 6;
        fragment.srcHigh = srcHigh;
        fragment.srcLow = srcLow;
        fragment.dstHigh = dstHigh;
        fragment.dstLow = dstLow;
        fragment.ident = headers.fragmentId();
        fragment.protocol = headers.upperProtocol();
        fragment.offset = headers.fragmentOffset();
        fragment.moreFragments = headers.moreFragments();
        // The payload length field covers the unfragmentable extension headers too, not the Fragment header
        // (RFC 8200, 4.5).
        fragment.maxPayload = MAX_PAYLOAD - (headers.fragmentHeaderOffset() - Ipv6Packet.HEADER_LENGTH);
        fragment.buffer = packet;
        fragment.dataOffset = headers.upperOffset();
        fragment.dataLength = headers.upperLength();
        fragment.headerOffset = 0;
        // Kept with the Fragment header, so a reassembly timeout quotes the first fragment as it came.
        fragment.headerLength = headers.fragmentablePartOffset();
        reassembler.add(fragment, reassembled);
    }

    private void deliverReassembled(ReassembledDatagram datagram) {
        // Rebuild the original packet's headers (RFC 8200, 4.5): drop the Fragment header from the kept headers,
        // name the fragmentable part's first header in its place, and give the whole payload length.
        ByteBuffer header = datagram.headerBuffer();
        kept.wrap(header, 0, datagram.headerLength());
        if (!kept.checkQuoted().valid() || !keptHeaders.walk(kept).valid()
                || keptHeaders.fragmentablePartOffset() != datagram.headerLength()) {
            events.increment(Ipv6Event.BAD_REASSEMBLED_HEADERS);
            return;
        }
        int unfragmentable = keptHeaders.fragmentHeaderOffset();
        header.put(keptHeaders.fragmentNextHeaderFieldOffset(), (byte) datagram.protocol());
        header.putShort(4, (short) (unfragmentable - Ipv6Packet.HEADER_LENGTH + datagram.payloadLength()));
        // The fragmentable part may begin with more extension headers (Destination Options, say): skip them.
        ByteBuffer payload = datagram.payloadBuffer();
        int protocol = datagram.protocol();
        int offset = 0;
        int end = datagram.payloadLength();
        for (int skipped = 0; isSkippableExtension(protocol); skipped++) {
            if (skipped == Ipv6ExtensionHeaders.MAX_EXTENSION_HEADERS || end - offset < 2) {
                events.increment(Ipv6Event.BAD_REASSEMBLED_HEADERS);
                return;
            }
            int length = protocol == IpProtocol.AH ? ((payload.get(offset + 1) & 0xFF) + 2) * 4
                    : ((payload.get(offset + 1) & 0xFF) + 1) * 8;
            if (length > end - offset) {
                events.increment(Ipv6Event.BAD_REASSEMBLED_HEADERS);
                return;
            }
            protocol = payload.get(offset) & 0xFF;
            offset += length;
        }
        deliver(protocol, datagram.srcHigh(), datagram.srcLow(), datagram.dstHigh(), datagram.dstLow(),
                isOwnAddress(datagram.dstHigh(), datagram.dstLow()), header, 0, unfragmentable, payload, 0, offset,
                end, -1);
    }

    private static boolean isSkippableExtension(int protocol) {
        return protocol == IpProtocol.IPV6_OPTS || protocol == IpProtocol.AH;
    }

    @Override
    void reassemblyExpired(ReassembledDatagram datagram) {
        icmp.timeExceeded(Icmpv6Type.REASSEMBLY_TIME_EXCEEDED, datagram.dstHigh(), datagram.dstLow(),
                datagram.srcHigh(), datagram.srcLow(), datagram.protocol(), datagram.headerBuffer(), 0,
                datagram.headerLength(), datagram.payloadBuffer(), 0, datagram.payloadLength());
    }

    /**
     * Hands an upper-layer packet to ICMPv6 or a transport. The packet is quoted in errors as {@code header}
     * ({@code [headerOffset, headerOffset + headerLength)}: the IPv6 header and the extension headers before the
     * payload) then {@code payload[quoteOffset, end)}; the upper layer itself is {@code payload[upperOffset, end)}.
     *
     * @param protocolField the absolute index in {@code header} of the Next Header field naming the upper layer
     *        (for a parameter problem), or -1 if the quoted packet is not contiguous from {@code header}
     */
    private void deliver(int protocol, long srcHigh, long srcLow, long dstHigh, long dstLow, boolean ownDestination,
            ByteBuffer header, int headerOffset, int headerLength, ByteBuffer payload, int quoteOffset,
            int upperOffset, int end, int protocolField) {
        events.increment(Ipv6Event.DELIVERED);
        int upperLength = end - upperOffset;
        if (protocol == IpProtocol.ICMPV6) {
            long pseudo = Checksum.pseudoHeaderV6(srcHigh, srcLow, dstHigh, dstLow, protocol, upperLength);
            icmp.receive(srcHigh, srcLow, dstHigh, dstLow, ownDestination, payload, upperOffset, upperLength, pseudo);
            return;
        }
        if (protocol == IpProtocol.IPV6_NONXT) {
            events.increment(Ipv6Event.NO_NEXT_HEADER);
            return;
        }
        Transport transport = transports.get(protocol);
        if (transport == null) {
            events.increment(Ipv6Event.UNKNOWN_NEXT_HEADER);
            if (ownDestination && protocolField >= 0) {
                icmp.parameterProblem(Icmpv6Type.UNRECOGNIZED_NEXT_HEADER, protocolField - headerOffset, dstHigh,
                        dstLow, srcHigh, srcLow, header, headerOffset, headerLength + end - quoteOffset);
            }
            return;
        }
        long pseudo = Checksum.pseudoHeaderV6(srcHigh, srcLow, dstHigh, dstLow, protocol, upperLength);
        int result = transport.receive(this, srcHigh, srcLow, dstHigh, dstLow, ownDestination, payload,
                upperOffset, upperLength, pseudo);
        if (result == Transport.PORT_UNREACHABLE) {
            events.increment(Ipv6Event.PORT_UNREACHABLE);
            icmp.unreachable(Icmpv6Type.PORT_UNREACHABLE, dstHigh, dstLow, srcHigh, srcLow, protocol, header,
                    headerOffset, headerLength, payload, quoteOffset, end - quoteOffset);
        } else if (result == Transport.HOST_UNREACHABLE) {
            events.increment(Ipv6Event.ADDRESS_UNREACHABLE);
            icmp.unreachable(Icmpv6Type.ADDRESS_UNREACHABLE, dstHigh, dstLow, srcHigh, srcLow, protocol, header,
                    headerOffset, headerLength, payload, quoteOffset, end - quoteOffset);
        }
    }

    private static boolean isMulticast(long high) {
        return high >>> 56 == 0xFF;
    }

    /** ::1 and IPv4-mapped addresses (::ffff:0:0/96) never appear on a link (RFC 4291, 2.5.3 and 2.5.5.2). */
    private static boolean isLoopbackOrMapped(long high, long low) {
        return high == 0 && (low == 1 || low >>> 32 == 0xFFFF);
    }

    private static boolean isLinkLocal(long high) {
        return (high >>> 54) == (0xFE80L >>> 6);
    }

    /** Writes outgoing packets into the device's buffer: one whole packet, or one fragment of the scratch. */
    private final class Emitter implements TxWriter {

        private final Ipv6Packet tx = new Ipv6Packet();
        private long srcHigh;
        private long srcLow;
        private long dstHigh;
        private long dstLow;
        private int protocol;
        private int ident;
        private int offset;
        private int length;
        private boolean more;
        private boolean fragmented;
        private TransportWriter writer;
        private long pseudo;

        void direct(long srcHigh, long srcLow, long dstHigh, long dstLow, int protocol, int length,
                TransportWriter writer, long pseudo) {
            set(srcHigh, srcLow, dstHigh, dstLow, protocol, length);
            this.fragmented = false;
            this.writer = writer;
            this.pseudo = pseudo;
        }

        void fragment(long srcHigh, long srcLow, long dstHigh, long dstLow, int protocol, int ident, int offset,
                int length, boolean more) {
            set(srcHigh, srcLow, dstHigh, dstLow, protocol, length);
            this.fragmented = true;
            this.ident = ident;
            this.offset = offset;
            this.more = more;
        }

        private void set(long srcHigh, long srcLow, long dstHigh, long dstLow, int protocol, int length) {
            this.srcHigh = srcHigh;
            this.srcLow = srcLow;
            this.dstHigh = dstHigh;
            this.dstLow = dstLow;
            this.protocol = protocol;
            this.length = length;
        }

        @Override
        public void write(ByteBuffer packet) {
            int header = Ipv6Packet.HEADER_LENGTH;
            int extra = fragmented ? FRAGMENT_HEADER_LENGTH : 0;
            tx.wrap(packet, 0, header + extra + length);
            tx.setVersion(6);
            tx.setTrafficClass(0);
            tx.setFlowLabel(0);
            tx.setPayloadLength(extra + length);
            tx.setNextHeader(fragmented ? IpProtocol.IPV6_FRAG : protocol);
            tx.setHopLimit(hopLimit);
            tx.setSrcAddr(srcHigh, srcLow);
            tx.setDstAddr(dstHigh, dstLow);
            if (!fragmented) {
                writer.write(packet, header, length, pseudo);
                return;
            }
            packet.put(header, (byte) protocol);
            packet.put(header + 1, (byte) 0);
            packet.putShort(header + 2, (short) (offset | (more ? 1 : 0)));
            packet.putInt(header + 4, ident);
            packet.put(header + FRAGMENT_HEADER_LENGTH, scratch, offset, length);
        }
    }
}
