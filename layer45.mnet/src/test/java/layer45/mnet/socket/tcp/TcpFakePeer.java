package layer45.mnet.socket.tcp;

import static layer45.mnet.socket.tcp.TcpTestbed.SECOND;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import layer45.mnet.iface.Interface;
import layer45.mnet.iface.InterfaceConfig;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.socket.tcp.TcpTestbed.Segment;
import layer45.mnet.testing.PacketInjector;
import layer45.mnet.testing.Packets;
import layer45.mnet.time.ManualClock;
import layer45.mnet.wire.Checksum;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.TcpPacket;
import layer45.mnet.wire.TcpRepr;

/**
 * One stack under test (10.0.0.1) and a hand-driven peer (10.0.0.2) on the far end of its link: the test writes
 * the peer's segments field by field and reads back, decoded, what the stack answered.
 */
final class TcpFakePeer {

    static final String US = "10.0.0.1";
    static final String PEER = "10.0.0.2";
    static final long PEER_V4 = Ipv4Address.parse(PEER).bits() & 0xFFFF_FFFFL;
    static final int MSS = 1460;

    final ManualClock clock = new ManualClock(1000 * SECOND);
    final MemoryLink link = MemoryLink.create(new MemoryLinkOptions("fake-peer", 1500, 4096), clock);
    final Interface iface;
    final TcpLayer tcp;
    final PacketInjector far = new PacketInjector(link.b());

    TcpFakePeer(TcpSettings settings) {
        iface = new Interface(link.a(), InterfaceConfig.of(List.of(IpCidr.parse(US + "/24"))), clock);
        tcp = new TcpLayer(settings, clock);
        iface.transports().add(tcp);
    }

    /** @return a segment from the peer: fields as given, no options */
    static TcpRepr seg(int srcPort, int dstPort, int seq, int ack, int flags, int window, int payload) {
        return TcpRepr.of(srcPort, dstPort, seq, ack, flags, window, payload);
    }

    /** Puts one segment from the peer on the link, with a right checksum. */
    void inject(TcpRepr repr, byte[] payload) {
        if (payload.length != repr.payloadLength()) {
            throw new IllegalArgumentException("payload length " + payload.length + " vs " + repr);
        }
        ByteBuffer tcpBytes = ByteBuffer.allocate(repr.bufferLength());
        TcpPacket view = new TcpPacket().wrap(tcpBytes, 0, tcpBytes.capacity());
        repr.emit(view);
        tcpBytes.put(repr.headerLength(), payload);
        view.fillChecksum(Checksum.pseudoHeaderV4(Ipv4Address.parse(PEER).bits(), Ipv4Address.parse(US).bits(),
                IpProtocol.TCP, tcpBytes.capacity()));
        far.inject(LinkProtocol.IPV4, Packets.ipv4(PEER, US, IpProtocol.TCP, tcpBytes.array()));
    }

    void inject(TcpRepr repr) {
        inject(repr, new byte[repr.payloadLength()]);
    }

    /** Injects a segment, lets the stack process it, and returns what it sent. */
    List<Segment> exchange(TcpRepr repr, byte[] payload) {
        inject(repr, payload);
        return poll();
    }

    List<Segment> exchange(TcpRepr repr) {
        return exchange(repr, new byte[repr.payloadLength()]);
    }

    /** Polls the stack until it is idle and returns the TCP segments it sent. */
    List<Segment> poll() {
        for (int round = 0; round < 10_000 && iface.poll(64) > 0; round++) {
            // each round takes up to 64 packets
        }
        tcp.flush();
        return drain();
    }

    /** @return the TCP segments the stack sent since the last call */
    List<Segment> drain() {
        List<Segment> out = new ArrayList<>();
        for (var p : far.drain()) {
            Segment s = TcpTestbed.decode(clock.nanos(), p.protocol(), ByteBuffer.wrap(p.bytes()), p.bytes().length);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** Moves the clock by {@code nanos}, timer by timer, and returns everything the stack sent meanwhile. */
    List<Segment> advance(long nanos) {
        long end = clock.nanos() + nanos;
        List<Segment> out = new ArrayList<>(poll());
        while (true) {
            long next = iface.pollAt();
            if (next > end) {
                break;
            }
            clock.advanceTo(Math.max(next, clock.nanos()));
            out.addAll(poll());
            if (next <= clock.nanos() && iface.pollAt() <= clock.nanos()) {
                clock.advanceTo(clock.nanos() + 1); // a timer that is due but did nothing: move on
            }
        }
        clock.advanceTo(end);
        out.addAll(poll());
        return out;
    }

    /** What the peer knows after a handshake. */
    static final class Peer {
        final int localPort;
        final int remotePort;
        /** The next sequence number the peer sends. */
        int seq;
        /** The next sequence number the peer expects from the stack. */
        int ack;
        int window = 65535;
        TcpConnection connection;

        Peer(int localPort, int remotePort) {
            this.localPort = localPort;
            this.remotePort = remotePort;
        }

        /** @return a segment from the peer at its current numbers */
        TcpRepr seg(int flags, int payload) {
            return TcpRepr.of(localPort, remotePort, seq, ack, flags, window, payload);
        }

        TcpRepr ack() {
            return seg(TcpPacket.ACK, 0);
        }

        /** @return an ACK at the peer's numbers with SACK blocks, given as pairs of left and right edges */
        TcpRepr sack(int payload, int... edges) {
            List<TcpRepr.SackBlock> blocks = new ArrayList<>();
            for (int i = 0; i < edges.length; i += 2) {
                blocks.add(new TcpRepr.SackBlock(edges[i], edges[i + 1]));
            }
            return new TcpRepr(localPort, remotePort, seq, ack, TcpPacket.ACK, window, 0, -1, -1, false, blocks, null,
                    payload);
        }
    }

    /**
     * Opens a connection from the stack to the peer (active open): the peer answers the SYN with a SYN-ACK
     * offering only an MSS, and the stack's ACK completes it.
     */
    Peer connect(int peerPort, TcpHandler handler) {
        return connect(peerPort, handler, false);
    }

    /** As {@link #connect(int, TcpHandler)}, the SYN-ACK offering SACK too if {@code sack}. */
    Peer connect(int peerPort, TcpHandler handler, boolean sack) {
        TcpConnection c = tcp.connect(iface.ipv4(), 0, PEER_V4, peerPort, handler);
        List<Segment> syn = poll();
        if (syn.size() != 1 || !syn.get(0).syn()) {
            throw new AssertionError("expected one SYN, got " + syn);
        }
        Peer p = new Peer(peerPort, syn.get(0).tcp().srcPort());
        p.connection = c;
        p.seq = 7_000_000;
        p.ack = syn.get(0).seq() + 1;
        TcpRepr synAck = new TcpRepr(peerPort, p.remotePort, p.seq, p.ack, TcpPacket.SYN | TcpPacket.ACK, p.window, 0,
                MSS, -1, sack, List.of(), null, 0);
        p.seq++;
        List<Segment> ack = exchange(synAck);
        if (c.state() != TcpState.ESTABLISHED) {
            throw new AssertionError("not established: " + c + " after " + ack);
        }
        return p;
    }

    /**
     * Opens a connection from the peer to a port the stack listens on (passive open), options as given on the SYN.
     */
    Peer accept(int port, int peerPort, TcpRepr synOptions, TcpConnection[] accepted) {
        Peer p = new Peer(peerPort, port);
        p.seq = 9_000_000;
        TcpRepr syn = new TcpRepr(peerPort, port, p.seq, 0, TcpPacket.SYN, p.window, 0, synOptions.mss(),
                synOptions.windowScale(), synOptions.sackPermitted(), List.of(), synOptions.timestamps(), 0);
        List<Segment> synAck = exchange(syn);
        if (synAck.size() != 1 || !synAck.get(0).syn() || !synAck.get(0).ack()) {
            throw new AssertionError("expected one SYN-ACK, got " + synAck);
        }
        p.seq++;
        p.ack = synAck.get(0).seq() + 1;
        exchange(p.ack());
        p.connection = accepted[0];
        return p;
    }
}
