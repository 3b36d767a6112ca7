package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.service.TcpEcho;
import layer45.mnet.testing.PacketInjector;
import layer45.mnet.testing.Packets;
import layer45.mnet.testing.SentPacket;
import layer45.mnet.testing.TestStack;
import layer45.mnet.time.ManualClock;
import layer45.mnet.wire.Checksum;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv4Repr;
import layer45.mnet.wire.TcpPacket;
import layer45.mnet.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/**
 * Our TCP against a peer scripted segment by segment, to pin down what Linux's TCP did to it over a TUN link
 * ({@code TcpTunTest}): a peer that fills the advertised window to its last byte, a peer whose data arrives with a
 * hole while our side sends full-sized segments, a peer whose duplicate ACKs each carry a larger window, and a peer
 * whose window update after a nearly closed window is lost.
 */
class TcpScriptedPeerTest {

    private static final String OURS = "10.0.0.1";
    private static final String PEER = "10.0.0.2";
    private static final int PORT = 7;
    private static final int PEER_PORT = 40000;
    private static final int PEER_ISS = 1_000_000;

    /**
     * Linux sends up to the right edge of the window we advertise, to the byte (it splits a segment to fit). The window
     * field is in units of 2^scale bytes and our side rounds it down: every byte it invites must fit in the buffer,
     * or the peer's last few bytes are cut, the next segment lands beyond a hole, and the peer has to recover
     * (fast retransmit and a halved congestion window), again and again when its data is not read at once.
     */
    @Test
    void aPeerThatFillsTheAdvertisedWindowToTheByteHasEveryByteAccepted() {
        Peer peer = new Peer(1500, false);
        List<TcpConnection> accepted = new ArrayList<>();
        peer.stack.tcp().listen(null, 0, 0, true, PORT, c -> {
            accepted.add(c);
            return new TcpHandler() { // reads nothing: the window only shrinks
                @Override
                public void readable(TcpStream stream) {
                }

                @Override
                public void closed(TcpStream stream, String reason) {
                }
            };
        });
        Seg synAck = peer.handshake();
        assertEquals(List.of(), peer.afterHandshake, "nothing answers the handshake's ACK");
        int scale = synAck.repr.windowScale();
        assertTrue(scale > 0, "the stack scales its window: " + synAck.repr);
        Seg last = peer.lastAck;
        int sent = 0;
        // Segments of an odd size, so the acknowledgment numbers fall off the scale's grid; each fills up to the edge.
        for (int k = 0; k < 1000; k++) {
            int edge = last.repr.ackNumber() + (last.repr.window() << scale);
            int room = edge - peer.sndNxt;
            if (room <= 0) {
                break;
            }
            int length = Math.min(room, 1001);
            peer.sendData(length);
            sent += length;
            List<Seg> answers = peer.exchange();
            answers.addAll(peer.advance(200)); // the delayed ACK, if any
            for (Seg s : answers) {
                last = s;
                assertEquals(peer.sndNxt, s.repr.ackNumber(), "after " + sent + " bytes, each up to the advertised"
                        + " edge " + edge + ", the stack acknowledges all of them: " + s.repr + "; " + accepted);
            }
        }
        assertEquals(0, last.repr.window(), "the window closed: " + last.repr);
        assertTrue(sent > 256 * 1024 - (1 << scale) && sent <= 256 * 1024, "the buffer's worth was taken (less at"
                + " most the rounding of the window's last unit): " + sent + " bytes; " + accepted);
        assertEquals(0, peer.stack.tcp().events().snapshot().get("out-of-order-kept"));
    }

    /**
     * While our receive buffer holds data beyond a hole, every segment we send carries SACK blocks: the payload must
     * shrink by their size, or a full-sized segment no longer fits the MTU and the IP layer fragments it (Linux
     * counted IP reassemblies from the stack at MTU 65520).
     */
    @Test
    void fullSizedSegmentsWithSackBlocksStillFitTheMtu() {
        Peer peer = new Peer(1500, true);
        peer.stack.tcp().listen(null, 0, 0, true, PORT, new TcpEcho(65536));
        peer.handshake();
        int start = peer.sndNxt;
        peer.sendAt(start + 6000, 500); // beyond a hole: SACK blocks from now on
        List<Seg> answers = peer.exchange();
        assertEquals(1, answers.size(), "a duplicate ACK with a SACK block: " + answers);
        assertEquals(1, answers.getFirst().repr.sackBlocks().size(), answers.getFirst().repr.toString());
        List<Seg> echoed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            peer.sendData(1448); // in order: the echo service sends it back at once, in full-sized segments
            echoed.addAll(peer.exchange());
        }
        int payload = 0;
        for (Seg s : echoed) {
            assertFalse(s.fragment, "not fragmented: " + s);
            assertTrue(s.ipLength <= 1500, "within the MTU: " + s);
            assertFalse(s.repr.sackBlocks().isEmpty(), "carries the SACK block: " + s);
            payload += s.repr.payloadLength();
        }
        assertEquals(4 * 1448, payload, "everything echoed: " + echoed);
        assertTrue(echoed.stream().anyMatch(s -> s.ipLength == 1500), "full-sized segments: " + echoed);
        assertEquals(0, peer.stack.iface().counters().get("ipv4").get("fragmented"));
    }

    /**
     * Linux grows its receive window as its application reads, so the duplicate ACKs that report a loss often carry
     * a larger window each. With SACK, an ACK that selectively acknowledges new data is a duplicate ACK whatever its
     * window (RFC 6675 section 2); counting only ACKs with an unchanged window (RFC 5681's rule without SACK) left
     * every such loss to the retransmission timeout.
     */
    @Test
    void duplicateAcksWithNewSackBlocksTriggerFastRetransmitThoughTheWindowGrows() {
        Peer peer = new Peer(1500, true);
        peer.listenAndWrite(8 * 1448, 8);
        peer.handshake();
        List<Seg> flight = peer.afterHandshake;
        assertTrue(flight.size() >= 5, "the initial window's segments: " + flight);
        int lost = flight.getFirst().repr.seqNumber();
        List<Seg> answers = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            int right = flight.get(k).repr.seqNumber() + flight.get(k).repr.payloadLength();
            // The first segment was lost; each later one arrives and is SACKed, the window growing every time.
            peer.sendAck(lost, 500 + 20 * k, List.of(new TcpRepr.SackBlock(flight.get(1).repr.seqNumber(), right)));
            answers.addAll(peer.exchange());
        }
        Map<String, Long> counters = peer.stack.tcp().events().snapshot();
        assertTrue(answers.stream().anyMatch(s -> s.repr.seqNumber() == lost && s.repr.payloadLength() > 0),
                "the lost segment is resent after three duplicate ACKs, without waiting for the timeout: " + answers
                        + "; " + counters);
        assertEquals(3, counters.get("duplicate-acks"), counters.toString());
        assertEquals(0, counters.get("retransmit-timeouts"), counters.toString());
    }

    /**
     * A window too small for a full segment holds the sender back (silly window avoidance), and with nothing in
     * flight no acknowledgment will come to reopen it: Linux advertises what is left of its window (a few hundred
     * bytes when nearly full) and sends one update when its application reads. If that update is lost, or overtaken
     * by an older ACK, only a probe from the sender gets the connection going again, as for a zero window
     * (RFC 9293 section 3.8.6.1). Without one, a curl download over a lossy link stalled until curl gave up.
     */
    @Test
    void aWindowTooSmallToSendIntoIsProbedLikeAZeroWindow() {
        Peer peer = new Peer(1500, true);
        peer.listenAndWrite(64 * 1024, 9);
        peer.handshake();
        List<Seg> flight = peer.afterHandshake;
        assertFalse(flight.isEmpty(), "the initial window's segments");
        // Everything is acknowledged, and what is left of the window is one unit of 2^7 bytes.
        peer.sendAck(peer.rcvNxt, 1, List.of());
        assertEquals(List.of(), peer.exchange(), "128 bytes are too few to send into while 56 KiB wait");
        // The window update that follows is lost: the stack must ask for it.
        List<Seg> later = new ArrayList<>();
        for (int i = 0; i < 20 && later.isEmpty(); i++) {
            later.addAll(peer.advance(100));
        }
        Map<String, Long> counters = peer.stack.tcp().events().snapshot();
        // Either way gets the ACK that reopens the window: a probe, or data sent into the small window once the
        // persist timer has run out (RFC 1122 section 4.2.3.4), which is what the stack does.
        assertFalse(later.isEmpty(), "the stack sends into the window or probes it within 2 s: " + counters);
        // The probe's answer reopens the window, and the data flows again.
        peer.sendAck(peer.rcvNxt, 65535, List.of());
        List<Seg> resumed = peer.exchange();
        assertTrue(resumed.stream().anyMatch(seg -> seg.repr.payloadLength() > 0), "data again: " + resumed);
    }

    /**
     * PAWS (RFC 7323 section 5) with Linux's tolerance: a segment whose timestamp is one tick older than the latest
     * (a segment reordered across a millisecond) is taken; one several ticks older is refused as a stale duplicate.
     */
    @Test
    void pawsToleratesOneTickAndRefusesOlderSegments() {
        Peer peer = new Peer(1500, true);
        peer.stack.tcp().listen(null, 0, 0, true, PORT, c -> new TcpHandler() {
            @Override
            public void readable(TcpStream stream) {
            }

            @Override
            public void closed(TcpStream stream, String reason) {
            }
        });
        peer.handshake();
        int base = (int) (peer.clock.nanos() / 1_000_000);
        int[] ticks = { 10, 9, 7 };
        for (int k = 0; k < ticks.length; k++) {
            TcpRepr data = new TcpRepr(PEER_PORT, PORT, peer.sndNxt, peer.rcvNxt, TcpPacket.ACK | TcpPacket.PSH, 65535,
                    0, -1, -1, false, List.of(), new TcpRepr.Timestamps(base + ticks[k], peer.tsRecent), 100);
            peer.send(data, Packets.bytes(100, k));
            List<Seg> answers = peer.exchange();
            answers.addAll(peer.advance(200));
            long rejected = peer.stack.tcp().events().snapshot().get("paws-rejected");
            if (k < 2) {
                peer.sndNxt += 100;
                assertEquals(0, rejected, "segment " + k + " is taken");
                assertEquals(peer.sndNxt, answers.getLast().repr.ackNumber(), "and acknowledged: " + answers);
            } else {
                assertEquals(1, rejected, "three ticks older: refused");
                assertEquals(peer.sndNxt, answers.getLast().repr.ackNumber(), "the ACK stays where it was: " + answers);
            }
        }
    }

    /** One segment the stack sent. */
    private record Seg(TcpRepr repr, int ipLength, boolean fragment) {
        @Override
        public String toString() {
            return repr + " in " + ipLength + " bytes" + (fragment ? " (a fragment)" : "");
        }
    }

    /** The other end, played by hand: IPv4, MSS of the MTU, window scale 7, SACK; timestamps optional. */
    private static final class Peer {

        final ManualClock clock = new ManualClock(1_000_000_000L);
        final MemoryLink link;
        final TestStack stack;
        final PacketInjector far;
        final int mtu;
        final boolean timestamps;
        int sndNxt = PEER_ISS;
        int rcvNxt;
        /** The stack's latest TSval, echoed. */
        int tsRecent;
        Seg lastAck;
        /** What the stack sent right after the handshake. */
        List<Seg> afterHandshake;

        Peer(int mtu, boolean timestamps) {
            this.mtu = mtu;
            this.timestamps = timestamps;
            this.link = MemoryLink.create(new MemoryLinkOptions("scripted", mtu, 4096), clock);
            this.stack = new TestStack(link.a(), clock, () -> null, false, TcpSettings.DEFAULTS, OURS + "/24");
            this.far = new PacketInjector(link.b());
        }

        /** Listens on {@link #PORT}: each connection writes {@code length} bytes once open and ignores what it reads. */
        void listenAndWrite(int length, int seed) {
            stack.tcp().listen(null, 0, 0, true, PORT, c -> new TcpHandler() {
                @Override
                public void opened(TcpStream stream) {
                    stream.write(ByteBuffer.wrap(Packets.bytes(length, seed)));
                }

                @Override
                public void readable(TcpStream stream) {
                }

                @Override
                public void closed(TcpStream stream, String reason) {
                }
            });
        }

        /** @return the SYN-ACK; the connection is established afterwards */
        Seg handshake() {
            send(new TcpRepr(PEER_PORT, PORT, sndNxt, 0, TcpPacket.SYN, 65535, 0, mtu - 40, 7, true, List.of(),
                    stamp(0), 0), new byte[0]);
            List<Seg> answer = exchange();
            assertEquals(1, answer.size(), "a SYN-ACK: " + answer);
            Seg synAck = answer.getFirst();
            assertEquals(TcpPacket.SYN | TcpPacket.ACK, synAck.repr.flags(), synAck.toString());
            sndNxt++;
            rcvNxt = synAck.repr.seqNumber() + 1;
            send(segment(sndNxt, TcpPacket.ACK, 0), new byte[0]);
            afterHandshake = exchange();
            lastAck = new Seg(new TcpRepr(PORT, PEER_PORT, rcvNxt - 1, sndNxt, TcpPacket.ACK, synAck.repr.window()
                    >> synAck.repr.windowScale(), 0, -1, -1, false, List.of(), null, 0), 0, false);
            return synAck;
        }

        void sendData(int length) {
            sendAt(sndNxt, length);
            sndNxt += length;
        }

        void sendAck(int ack, int window, List<TcpRepr.SackBlock> sack) {
            send(new TcpRepr(PEER_PORT, PORT, sndNxt, ack, TcpPacket.ACK, window, 0, -1, -1, false, sack, stamp(1), 0),
                    new byte[0]);
        }

        void sendAt(int seq, int length) {
            send(segment(seq, TcpPacket.ACK | TcpPacket.PSH, length), Packets.bytes(length, seq));
        }

        private TcpRepr segment(int seq, int flags, int length) {
            return new TcpRepr(PEER_PORT, PORT, seq, rcvNxt, flags, 65535, 0, -1, -1, false, List.of(), stamp(1),
                    length);
        }

        /** @return the Timestamps option, echoing the stack's latest TSval (0 in a SYN), or null without */
        private TcpRepr.Timestamps stamp(int ecr) {
            return timestamps ? new TcpRepr.Timestamps((int) (clock.nanos() / 1_000_000), ecr == 0 ? 0 : tsRecent)
                    : null;
        }

        private void send(TcpRepr repr, byte[] payload) {
            int length = repr.headerLength() + payload.length;
            ByteBuffer buffer = ByteBuffer.allocate(length);
            TcpPacket p = new TcpPacket().wrap(buffer, 0, length);
            repr.emit(p);
            buffer.put(repr.headerLength(), payload);
            p.fillChecksum(Checksum.pseudoHeaderV4(Packets.v4(PEER).bits(), Packets.v4(OURS).bits(), IpProtocol.TCP,
                    length));
            far.inject(LinkProtocol.IPV4, Packets.ipv4(PEER, OURS, IpProtocol.TCP, buffer.array()));
        }

        /** Lets the stack work, then parses what it sent; the peer takes in-order data it is sent. */
        List<Seg> exchange() {
            for (int i = 0; i < 1000 && stack.iface().poll(64) > 0; i++) {
                // until the stack has nothing left to do
            }
            List<Seg> segments = new ArrayList<>();
            for (SentPacket sent : far.drain()) {
                Ipv4Repr ip = sent.ipv4();
                byte[] bytes = sent.ipPayload();
                boolean fragment = ip.moreFragments() || ip.fragmentOffset() != 0;
                if (ip.fragmentOffset() != 0) {
                    segments.add(new Seg(segments.getLast().repr, sent.bytes().length, true));
                    continue;
                }
                TcpPacket p = new TcpPacket().wrap(ByteBuffer.wrap(bytes), 0, bytes.length);
                TcpRepr repr = TcpRepr.parse(p);
                if (repr.timestamps() != null) {
                    tsRecent = repr.timestamps().tsVal();
                }
                if (repr.seqNumber() == rcvNxt && !fragment) {
                    rcvNxt += repr.payloadLength();
                }
                segments.add(new Seg(repr, sent.bytes().length, fragment));
            }
            return segments;
        }

        /** Moves the clock on, running the stack's timers. */
        List<Seg> advance(int millis) {
            clock.advance(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
            return exchange();
        }
    }
}
