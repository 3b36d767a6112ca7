package layer45.mnet.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import layer45.api.FlowInfo;
import layer45.api.spi.ChunkResult;
import layer45.api.spi.ChunkSink;
import layer45.api.spi.Direction;
import layer45.api.spi.FlowControl;
import layer45.api.spi.FlowTap;
import layer45.api.spi.Outcome;
import layer45.api.spi.TappedFlow;
import layer45.mnet.frag.Fragment;
import layer45.mnet.frag.ReassembledDatagram;
import layer45.mnet.frag.Reassembler;
import layer45.mnet.frag.ReassemblyEvent;
import layer45.mnet.frag.ReassemblyLimits;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.socket.udp.UdpEvent;
import layer45.mnet.socket.udp.UdpLayer;
import layer45.mnet.socket.udp.UdpPeer;
import layer45.mnet.socket.udp.UdpSettings;
import layer45.mnet.stats.EnumCounters;
import layer45.mnet.time.ManualClock;
import layer45.mnet.wire.Checksum;
import layer45.mnet.wire.Icmpv4Packet;
import layer45.mnet.wire.Icmpv4Type;
import layer45.mnet.wire.Icmpv6Packet;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv4Packet;
import layer45.mnet.wire.Ipv6Address;
import layer45.mnet.wire.Ipv6ExtensionHeaders;
import layer45.mnet.wire.Ipv6Packet;
import layer45.mnet.wire.UdpPacket;
import layer45.mnet.wire.WireCheck;

/**
 * One stack under attack: an {@link Interface} with UDP on one end of a {@link MemoryLink}, fed untrusted packets
 * through the other end, and judged on what a user of the stack would check: nothing escapes and the stack never
 * fails on a packet ({@code interface/internal-error} stays 0), everything it sends is well-formed (checked with
 * the wire views, fragments reassembled first), and its counters account for every packet it was given.
 *
 * <p>The stack is {@link #OWN4} and {@link #OWN6} and runs UDP with an echo socket on {@link #ECHO_PORT}, a
 * forwarder for foreign destinations (optional) whose peers echo back, and optionally a fake customization runtime
 * that passes datagrams through or rewrites, drops, holds or aborts them as the datagram's first byte says. Its
 * limits are small so that the fuzzer reaches them: 2 datagrams in reassembly, 4 fragments each, 8 UDP flows.
 */
final class IngressHarness {

    static final Ipv4Address OWN4 = Ipv4Address.parse("10.0.0.2");
    static final Ipv6Address OWN6 = Ipv6Address.parse("2001:db8::2");
    static final int ECHO_PORT = 7;
    /** Datagrams to this port make the fake runtime fail to open their flow. */
    static final int TAP_FAILS_PORT = 9;
    static final int MTU = 1500;

    /** The fake customization runtime. */
    enum Tap {
        /** No runtime: datagrams pass unchanged. */
        NONE,
        /** Every datagram is passed on as it is. */
        PASS_THROUGH,
        /** The datagram's first byte picks what happens to it: see {@link FakeTap#process}. */
        REWRITING
    }

    private static final Logger STACK_LOG = Logger.getLogger("layer45.mnet");
    private static volatile Throwable lastStackFailure;

    static {
        // The stack logs each failure with its stack trace: keep the last one for the assertion message, and keep
        // millions of fuzzed packets from flooding the console.
        STACK_LOG.setUseParentHandlers(false);
        STACK_LOG.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue() && record.getThrown() != null) {
                    lastStackFailure = record.getThrown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private final ManualClock clock = new ManualClock();
    private final MemoryLink link = MemoryLink.create(new MemoryLinkOptions("fuzz", MTU, 128), clock);
    private final Interface iface;
    private final UdpLayer udp;
    private final OutputChecker output = new OutputChecker();
    private final RxDrain drain = new RxDrain();
    private long injected;

    /**
     * @param tap the customization runtime
     * @param forwarder whether foreign destinations get a forwarder (whose peers echo; odd destination ports only)
     * @param terminateForeign whether the interface takes packets to foreign addresses
     */
    IngressHarness(Tap tap, boolean forwarder, boolean terminateForeign) {
        lastStackFailure = null;
        ReassemblyLimits v4 = new ReassemblyLimits(2, Reassembler.MAX_DATAGRAM, 4, Duration.ofSeconds(30));
        ReassemblyLimits v6 = new ReassemblyLimits(2, Reassembler.MAX_DATAGRAM, 4, Duration.ofSeconds(60));
        InterfaceConfig config = new InterfaceConfig(List.of(IpCidr.parse(OWN4 + "/24"), IpCidr.parse(OWN6 + "/64")),
                terminateForeign, InterfaceConfig.DEFAULT_HOP_LIMIT, 1000, 50, v4, v6);
        iface = new Interface(link.a(), config, clock);
        FakeTap fake = tap == Tap.NONE ? null : new FakeTap(tap == Tap.REWRITING);
        udp = new UdpLayer(new UdpSettings(8, Duration.ofSeconds(30)), clock, () -> fake, () -> { });
        iface.transports().add(udp);
        udp.bind(null, 0, 0, true, ECHO_PORT, (socket, flow, payload) -> flow.send(payload));
        if (forwarder) {
            udp.forwarder(flow -> flow.stackEndpoint().getPort() % 2 == 0 ? null : new EchoPeer());
        }
    }

    /** @return the interface under attack */
    Interface iface() {
        return iface;
    }

    /** @return its UDP */
    UdpLayer udp() {
        return udp;
    }

    /** @return how many packets were handed to the stack */
    long injected() {
        return injected;
    }

    /**
     * Hands the stack one packet, lets it work, and checks what it sent.
     *
     * @param linkProtocol the link protocol the packet arrives with
     * @param bytes where the packet is
     * @param offset its first byte
     * @param length its length, 1 to {@link #MTU}
     */
    void inject(int linkProtocol, byte[] bytes, int offset, int length) {
        assertTrue(link.b().transmit(linkProtocol, length, packet -> packet.put(0, bytes, offset, length)),
                "the link is drained after every packet, so it has room");
        injected++;
        run();
    }

    /** Moves the clock on, runs the timers that are due, and checks what the stack sent. */
    void advance(long amount, TimeUnit unit) {
        clock.advance(amount, unit);
        run();
    }

    /**
     * Lets every timer run out (reassembly, idle flows), then asserts that the stack never failed and that its
     * counters account for every packet it was given.
     */
    void finish() {
        for (int i = 0; i < 3; i++) {
            advance(61, TimeUnit.SECONDS);
        }
        Map<String, Map<String, Long>> c = iface.counters();
        long internalErrors = c.get("interface").get("internal-error");
        if (internalErrors != 0) {
            throw new AssertionError("the stack failed on " + internalErrors + " packets", lastStackFailure);
        }
        assertAccounted(c);
        if (c.get("ipv4").get("device-full") == 0 && c.get("ipv6").get("device-full") == 0) {
            output.assertNoFragmentsLeft();
        }
    }

    private void run() {
        for (int round = 0; round < 100 && (iface.poll(64) > 0 || link.b().nextArrivalNanos() != Long.MAX_VALUE);
                round++) {
            while (link.b().receive(drain)) {
                // Each packet is checked by the drain.
            }
        }
        while (link.b().receive(drain)) {
            // Late packets of the last round.
        }
    }

    /** Checks that every packet given to the stack ended under exactly one counter. */
    private void assertAccounted(Map<String, Map<String, Long>> c) {
        Map<String, Long> ifc = c.get("interface");
        Map<String, Long> v4 = c.get("ipv4");
        Map<String, Long> v6 = c.get("ipv6");
        Map<String, Long> r4 = c.get("reassembly-ipv4");
        Map<String, Long> r6 = c.get("reassembly-ipv6");
        Map<String, Long> udpEvents = udp.events().snapshot();
        String all = c + " udp=" + udpEvents + " udp-malformed=" + udp.malformed().snapshot();

        assertEquals(injected, ifc.get("received"), all);
        long v4In = malformed(v4) + v4.get("received");
        // A malformed extension header is counted by its check after the packet was counted as received.
        long v6In = malformed(v6) - v6.get("extension-header-problem") + v6.get("received");
        assertEquals(ifc.get("received"), ifc.get("unknown-protocol") + v4In + v6In,
                "every packet goes to IPv4, IPv6, or is counted as of an unknown link protocol: " + all);

        long fragments4 = fragmentOutcomes(r4);
        long reassembled4 = r4.get("datagram-reassembled");
        assertEquals(v4.get("received"), v4.get("bad-checksum") + v4.get("martian-source")
                + v4.get("broadcast-ignored") + v4.get("martian-destination") + v4.get("not-for-us") + v4.get("ttl-expired") + fragments4
                + v4.get("delivered") - reassembled4, "every well-formed IPv4 packet is accounted for: " + all);

        long fragments6 = fragmentOutcomes(r6);
        long reassembled6 = r6.get("datagram-reassembled");
        assertEquals(v6.get("received"), v6.get("martian-source") + v6.get("multicast-ignored")
                + v6.get("martian-destination") + v6.get("not-for-us") + v6.get("extension-header-problem") + v6.get("hop-limit-expired")
                + fragments6 + v6.get("delivered") + v6.get("bad-reassembled-headers") - reassembled6,
                "every well-formed IPv6 packet is accounted for: " + all);

        long udpIn = udp.malformed().total() + udp.events().get(UdpEvent.ZERO_CHECKSUM_IPV6)
                + udp.events().get(UdpEvent.BAD_CHECKSUM) + udp.events().get(UdpEvent.BAD_PORT)
                + udp.events().get(UdpEvent.FLOW_TABLE_FULL) + udp.events().get(UdpEvent.NO_LISTENER)
                + udp.events().get(UdpEvent.NO_RELAY) + udp.events().get(UdpEvent.TAP_FAILED)
                + udp.events().get(UdpEvent.DATAGRAMS_RECEIVED);
        assertEquals(v4.get("delivered") + v6.get("delivered"), icmpIn(c.get("icmpv4")) + icmpIn(c.get("icmpv6"))
                + v4.get("unknown-protocol") + v6.get("unknown-next-header") + v6.get("no-next-header")
                + udpIn, "every delivered datagram is taken by ICMP or UDP or counted as unknown: " + all);
    }

    private static long malformed(Map<String, Long> layer) {
        return layer.entrySet().stream().filter(e -> e.getKey().startsWith("malformed-"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Each fragment handed to reassembly ends as exactly one of these. */
    private static long fragmentOutcomes(Map<String, Long> r) {
        return r.get("fragment-accepted") + r.get("duplicate-fragment") + r.get("overlap")
                + r.get("bad-fragment-length") + r.get("inconsistent-end") + r.get("too-large")
                + r.get("too-many-fragments");
    }

    /** Each message handed to ICMP ends as exactly one of these. */
    private static long icmpIn(Map<String, Long> icmp) {
        return icmp.get("echo-answered") + icmp.get("echo-not-for-us") + icmp.get("echo-reply-received")
                + icmp.get("error-received") + icmp.get("unreachable-delivered") + icmp.get("ignored")
                + icmp.get("malformed") + icmp.get("bad-checksum");
    }

    /** Takes what the stack sent from the far end of the link and checks it. */
    private final class RxDrain implements layer45.mnet.phy.RxHandler {
        @Override
        public void receive(int protocol, ByteBuffer packet) {
            output.check(protocol, packet);
        }
    }

    /** A forwarder's peer that sends every datagram back on its flow. */
    private static final class EchoPeer implements UdpPeer {
        @Override
        public void datagram(layer45.mnet.socket.udp.UdpFlow flow, ByteBuffer payload) {
            flow.send(payload);
        }
    }

    /**
     * A customization runtime for tests: passes every datagram through, or lets the datagram's first byte choose
     * (0 original, 1 reversed, 2 tripled, 3 dropped, 4 held, 5 aborted, 6 abort requested later, 7 bypassed);
     * refuses to open flows to {@link #TAP_FAILS_PORT}.
     */
    private static final class FakeTap implements FlowTap {

        private final boolean rewriting;
        private final ByteBuffer scratch = ByteBuffer.allocate(3 * 65536);
        private long ids;

        FakeTap(boolean rewriting) {
            this.rewriting = rewriting;
        }

        @Override
        public TappedFlow open(FlowInfo info, FlowControl control) {
            if (info.local().getPort() == TAP_FAILS_PORT || info.remote().getPort() == TAP_FAILS_PORT) {
                throw new IllegalStateException("the fake runtime refuses port " + TAP_FAILS_PORT);
            }
            long id = ++ids;
            return new TappedFlow() {
                @Override
                public long id() {
                    return id;
                }

                @Override
                public ChunkResult process(Direction direction, ByteBuffer[] segments, int count, ChunkSink sink) {
                    throw new UnsupportedOperationException("UDP hands one datagram at a time");
                }

                @Override
                public ChunkResult process(Direction direction, ByteBuffer segment, ChunkSink sink) {
                    int action = !rewriting || !segment.hasRemaining() ? 0 : segment.get(segment.position()) & 7;
                    int in = segment.remaining();
                    switch (action) {
                        case 1 -> {
                            scratch.clear();
                            for (int i = segment.limit() - 1; i >= segment.position(); i--) {
                                scratch.put(segment.get(i));
                            }
                            sink.accept(scratch.flip());
                            return new Result(Outcome.CUSTOMIZED, in, in, "");
                        }
                        case 2 -> {
                            scratch.clear();
                            for (int copy = 0; copy < 3; copy++) {
                                scratch.put(segment.duplicate());
                            }
                            sink.accept(scratch.flip());
                            return new Result(Outcome.CUSTOMIZED, in, 3 * in, "");
                        }
                        case 3 -> {
                            return new Result(Outcome.DROPPED, in, 0, "");
                        }
                        case 4 -> {
                            return new Result(Outcome.HELD, in, 0, "");
                        }
                        case 5 -> {
                            return new Result(Outcome.ABORTED, in, 0, "the fake runtime aborts on a 5");
                        }
                        case 6 -> {
                            control.abort("the fake runtime aborts after a 6");
                            sink.accept(segment.duplicate());
                            return new Result(Outcome.ORIGINAL, in, in, "");
                        }
                        default -> {
                            sink.accept(segment.duplicate());
                            return new Result(action == 7 ? Outcome.BYPASSED : Outcome.ORIGINAL, in, in, "");
                        }
                    }
                }

                @Override
                public ChunkResult endOfStream(Direction direction, ChunkSink sink) {
                    return new Result(Outcome.ORIGINAL, 0, 0, "");
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private record Result(Outcome outcome, int inputBytes, int outputBytes, String abortReason)
            implements ChunkResult {
        @Override
        public int applicationBytes() {
            return outputBytes;
        }

        @Override
        public int heldBytes() {
            return 0;
        }
    }

    /**
     * Checks every packet the stack sends with the wire views: well-formed, right checksums, its own hop limit,
     * ICMP errors quoting a well-formed header of the packet they answer; fragments are reassembled and the whole
     * datagram checked.
     */
    private final class OutputChecker {

        private final Ipv4Packet ipv4 = new Ipv4Packet();
        private final Ipv6Packet ipv6 = new Ipv6Packet();
        private final Ipv6ExtensionHeaders headers = new Ipv6ExtensionHeaders();
        private final Ipv4Packet quoted4 = new Ipv4Packet();
        private final Ipv6Packet quoted6 = new Ipv6Packet();
        private final UdpPacket udpView = new UdpPacket();
        private final Icmpv4Packet icmpv4 = new Icmpv4Packet();
        private final Icmpv6Packet icmpv6 = new Icmpv6Packet();
        private final ManualClock frozen = new ManualClock();
        private final Reassembler reassembler4 = new Reassembler(ReassemblyLimits.IPV4, frozen,
                new EnumCounters<>(ReassemblyEvent.class));
        private final Reassembler reassembler6 = new Reassembler(ReassemblyLimits.IPV6, frozen,
                new EnumCounters<>(ReassemblyEvent.class));
        private final Fragment fragment = new Fragment();

        void check(int protocol, ByteBuffer packet) {
            assertTrue(packet.limit() <= MTU, "sent " + packet.limit() + " bytes on an MTU of " + MTU);
            if (protocol == LinkProtocol.IPV4) {
                check4(packet);
            } else if (protocol == LinkProtocol.IPV6) {
                check6(packet);
            } else {
                fail("the stack sent a packet of link protocol " + LinkProtocol.name(protocol));
            }
        }

        void assertNoFragmentsLeft() {
            assertEquals(0, reassembler4.datagramsInReassembly(), "an IPv4 datagram was sent with fragments missing");
            assertEquals(0, reassembler6.datagramsInReassembly(), "an IPv6 datagram was sent with fragments missing");
        }

        private void check4(ByteBuffer packet) {
            ipv4.wrap(packet, 0, packet.limit());
            assertEquals(WireCheck.VALID, ipv4.check(), "sent IPv4 packet");
            assertEquals(packet.limit(), ipv4.totalLength(), "sent IPv4 packet's total length");
            assertTrue(ipv4.verifyChecksum(), "sent IPv4 header checksum");
            assertEquals(InterfaceConfig.DEFAULT_HOP_LIMIT, ipv4.ttl());
            int src = ipv4.srcAddr();
            int dst = ipv4.dstAddr();
            assertTrue(src >>> 28 < 0xE && src >>> 24 != 0 && src >>> 24 != 127, "sent from " + new Ipv4Address(src));
            assertTrue(dst >>> 28 < 0xE && dst >>> 24 != 0 && dst >>> 24 != 127, "sent to " + new Ipv4Address(dst));
            if (!ipv4.isFragment()) {
                transport4(ipv4.protocol(), src, dst, packet, ipv4.payloadOffset(), ipv4.payloadLength());
                return;
            }
            fragment.family = 4;
            fragment.srcHigh = 0;
            fragment.srcLow = src & 0xFFFF_FFFFL;
            fragment.dstHigh = 0;
            fragment.dstLow = dst & 0xFFFF_FFFFL;
            fragment.ident = ipv4.ident();
            fragment.protocol = ipv4.protocol();
            fragment.offset = ipv4.fragmentOffset();
            fragment.moreFragments = ipv4.moreFragments();
            fragment.maxPayload = 65535 - ipv4.headerLength();
            fragment.buffer = packet;
            fragment.dataOffset = ipv4.payloadOffset();
            fragment.dataLength = ipv4.payloadLength();
            fragment.headerOffset = 0;
            fragment.headerLength = ipv4.headerLength();
            ReassemblyEvent event = reassembler4.add(fragment, this::reassembled4);
            assertTrue(event == ReassemblyEvent.FRAGMENT_ACCEPTED || event == ReassemblyEvent.DATAGRAM_REASSEMBLED,
                    "the stack's own IPv4 fragment was refused: " + event);
        }

        private void reassembled4(ReassembledDatagram d) {
            transport4(d.protocol(), (int) d.srcLow(), (int) d.dstLow(), d.payloadBuffer(), 0, d.payloadLength());
        }

        private void transport4(int protocol, int src, int dst, ByteBuffer buf, int offset, int length) {
            long pseudo = Checksum.pseudoHeaderV4(src, dst, protocol, length);
            switch (protocol) {
                case IpProtocol.UDP -> udp(buf, offset, length, pseudo);
                case IpProtocol.ICMP -> {
                    icmpv4.wrap(buf, offset, length);
                    assertEquals(WireCheck.VALID, icmpv4.check(), "sent ICMPv4 message");
                    assertTrue(icmpv4.verifyChecksum(), "sent ICMPv4 checksum");
                    int type = icmpv4.type();
                    if (type == Icmpv4Type.DEST_UNREACHABLE || type == Icmpv4Type.TIME_EXCEEDED
                            || type == Icmpv4Type.PARAMETER_PROBLEM) {
                        quoted4.wrap(buf, icmpv4.dataOffset(), icmpv4.dataLength());
                        assertEquals(WireCheck.VALID, quoted4.checkQuoted(), "header quoted in an ICMPv4 error");
                        assertEquals(dst, quoted4.srcAddr(), "an ICMPv4 error goes to the source of its packet");
                        if (quoted4.protocol() == IpProtocol.ICMP && quoted4.availablePayloadLength() > 0) {
                            int quotedType = buf.get(quoted4.payloadOffset()) & 0xFF;
                            assertTrue(quotedType == Icmpv4Type.ECHO_REQUEST || quotedType == Icmpv4Type.ECHO_REPLY
                                    || quotedType == Icmpv4Type.TIMESTAMP || quotedType == Icmpv4Type.TIMESTAMP_REPLY
                                    || quotedType == Icmpv4Type.ROUTER_ADVERTISEMENT
                                    || quotedType == Icmpv4Type.ROUTER_SOLICITATION,
                                    "an ICMPv4 error about an ICMPv4 message of type " + quotedType
                                            + " that is not a query (RFC 1122, 3.2.2)");
                        }
                    } else {
                        assertTrue(type == Icmpv4Type.ECHO_REPLY, "the stack sent ICMPv4 type " + type);
                    }
                }
                default -> fail("the stack sent IPv4 protocol " + IpProtocol.name(protocol));
            }
        }

        private void check6(ByteBuffer packet) {
            ipv6.wrap(packet, 0, packet.limit());
            assertEquals(WireCheck.VALID, ipv6.check(), "sent IPv6 packet");
            assertEquals(packet.limit(), Ipv6Packet.HEADER_LENGTH + ipv6.payloadLength(), "sent IPv6 payload length");
            assertEquals(InterfaceConfig.DEFAULT_HOP_LIMIT, ipv6.hopLimit());
            assertEquals(WireCheck.VALID, headers.walk(ipv6), "sent IPv6 extension headers");
            long srcHigh = ipv6.srcHigh();
            long srcLow = ipv6.srcLow();
            long dstHigh = ipv6.dstHigh();
            long dstLow = ipv6.dstLow();
            assertTrue(srcHigh >>> 56 != 0xFF && !(srcHigh == 0 && srcLow >>> 1 == 0),
                    "sent from " + new Ipv6Address(srcHigh, srcLow));
            assertTrue(dstHigh >>> 56 != 0xFF && !(dstHigh == 0 && dstLow >>> 1 == 0),
                    "sent to " + new Ipv6Address(dstHigh, dstLow));
            if (!headers.isFragment()) {
                transport6(headers.upperProtocol(), srcHigh, srcLow, dstHigh, dstLow, packet, headers.upperOffset(),
                        headers.upperLength());
                return;
            }
            fragment.family = 6;
            fragment.srcHigh = srcHigh;
            fragment.srcLow = srcLow;
            fragment.dstHigh = dstHigh;
            fragment.dstLow = dstLow;
            fragment.ident = headers.fragmentId();
            fragment.protocol = headers.upperProtocol();
            fragment.offset = headers.fragmentOffset();
            fragment.moreFragments = headers.moreFragments();
            fragment.maxPayload = 65535 - (headers.fragmentablePartOffset() - Ipv6Packet.HEADER_LENGTH);
            fragment.buffer = packet;
            fragment.dataOffset = headers.upperOffset();
            fragment.dataLength = headers.upperLength();
            fragment.headerOffset = 0;
            fragment.headerLength = headers.fragmentHeaderOffset();
            ReassemblyEvent event = reassembler6.add(fragment, this::reassembled6);
            assertTrue(event == ReassemblyEvent.FRAGMENT_ACCEPTED || event == ReassemblyEvent.DATAGRAM_REASSEMBLED,
                    "the stack's own IPv6 fragment was refused: " + event);
        }

        private void reassembled6(ReassembledDatagram d) {
            transport6(d.protocol(), d.srcHigh(), d.srcLow(), d.dstHigh(), d.dstLow(), d.payloadBuffer(), 0,
                    d.payloadLength());
        }

        private void transport6(int protocol, long srcHigh, long srcLow, long dstHigh, long dstLow, ByteBuffer buf,
                int offset, int length) {
            long pseudo = Checksum.pseudoHeaderV6(srcHigh, srcLow, dstHigh, dstLow, protocol, length);
            switch (protocol) {
                case IpProtocol.UDP -> udp(buf, offset, length, pseudo);
                case IpProtocol.ICMPV6 -> {
                    icmpv6.wrap(buf, offset, length);
                    assertEquals(WireCheck.VALID, icmpv6.check(), "sent ICMPv6 message");
                    assertTrue(icmpv6.verifyChecksum(pseudo), "sent ICMPv6 checksum");
                    int type = icmpv6.type();
                    if (type < 128) {
                        quoted6.wrap(buf, icmpv6.dataOffset(), icmpv6.dataLength());
                        assertEquals(WireCheck.VALID, quoted6.checkQuoted(), "header quoted in an ICMPv6 error");
                        assertTrue(quoted6.srcHigh() == dstHigh && quoted6.srcLow() == dstLow,
                                "an ICMPv6 error goes to the source of its packet");
                    } else {
                        assertEquals(129, type, "the stack sent ICMPv6 type " + type);
                    }
                }
                default -> fail("the stack sent IPv6 next header " + IpProtocol.name(protocol));
            }
        }

        private void udp(ByteBuffer buf, int offset, int length, long pseudo) {
            udpView.wrap(buf, offset, length);
            assertEquals(WireCheck.VALID, udpView.check(), "sent UDP datagram");
            assertEquals(length, udpView.udpLength(), "sent UDP length");
            assertTrue(!udpView.checksumOmitted() && udpView.verifyChecksum(pseudo), "sent UDP checksum");
        }
    }
}
