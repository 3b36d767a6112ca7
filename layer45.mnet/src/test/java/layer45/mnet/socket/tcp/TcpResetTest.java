package layer45.mnet.socket.tcp;

import static layer45.mnet.socket.tcp.TcpTestbed.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import layer45.mnet.phy.FaultOptions;
import layer45.mnet.socket.tcp.TcpFakePeer.Peer;
import layer45.mnet.socket.tcp.TcpTestbed.Segment;
import layer45.mnet.wire.TcpPacket;
import layer45.mnet.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/**
 * Resets: RFC 5961's checks against blind resets and SYNs, refusals, and the RST that answers a segment for no
 * connection (RFC 9293 section 3.10.7.1), field by field.
 */
class TcpResetTest {

    private final TcpFakePeer net = new TcpFakePeer(TcpSettings.DEFAULTS);
    private final RecordingHandler user = new RecordingHandler();

    private Peer established() {
        Peer p = net.connect(80, user);
        net.drain();
        return p;
    }

    private static Segment only(List<Segment> sent) {
        assertEquals(1, sent.size(), sent.toString());
        return sent.get(0);
    }

    @Test
    void aResetAtTheExpectedSequenceNumberResets() {
        Peer p = established();
        List<Segment> answer = net.exchange(p.seg(TcpPacket.RST, 0));
        assertEquals(List.of(), answer, "nobody answers a RST");
        assertEquals(TcpState.CLOSED, p.connection.state());
        assertEquals("connection reset by peer", user.closedReason);
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.RESETS_RECEIVED));
        assertEquals(0, net.tcp.connectionCount());
        assertEquals(0, net.tcp.memoryUsed());
        assertEquals(0, net.tcp.timerCount());
    }

    /** RFC 5961 section 3.2: in the window but not exact, a RST draws a challenge ACK and changes nothing. */
    @Test
    void aResetInTheWindowButNotExactGetsAChallengeAck() {
        Peer p = established();
        TcpRepr rst = TcpRepr.of(p.localPort, p.remotePort, p.seq + 1000, 0, TcpPacket.RST, 0, 0);
        Segment challenge = only(net.exchange(rst));
        assertTrue(challenge.ack() && !challenge.rst() && !challenge.syn());
        assertEquals(p.seq, challenge.ackNumber(), "the challenge ACK tells the expected sequence number");
        assertEquals(p.ack, challenge.seq());
        assertEquals(TcpState.ESTABLISHED, p.connection.state());
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.CHALLENGE_ACKS));
        assertNull(user.closedReason);
        // the real peer answers the challenge with a RST at the sequence number it names
        net.exchange(TcpRepr.of(p.localPort, p.remotePort, challenge.ackNumber(), 0, TcpPacket.RST, 0, 0));
        assertEquals("connection reset by peer", user.closedReason);
    }

    /** RFC 5961 section 7: a flood of forged resets draws a limited number of challenge ACKs a second. */
    @Test
    void challengeAcksAreLimitedPerSecond() {
        Peer p = established();
        int answered = 0;
        for (int k = 0; k < 50; k++) {
            answered += net.exchange(TcpRepr.of(p.localPort, p.remotePort, p.seq + 1000 + k, 0, TcpPacket.RST, 0, 0))
                    .size();
        }
        assertEquals(TcpConnection.CHALLENGES_PER_SECOND, answered, "a second's share of challenge ACKs");
        assertEquals(TcpConnection.CHALLENGES_PER_SECOND, TcpTestbed.count(net.tcp, TcpEvent.CHALLENGE_ACKS));
        assertEquals(50 - TcpConnection.CHALLENGES_PER_SECOND,
                TcpTestbed.count(net.tcp, TcpEvent.CHALLENGE_ACKS_LIMITED));
        assertEquals(TcpState.ESTABLISHED, p.connection.state());
        net.advance(SECOND);
        assertEquals(1, net.exchange(TcpRepr.of(p.localPort, p.remotePort, p.seq + 999, 0, TcpPacket.RST, 0, 0))
                .size(), "a new second, a new share");
    }

    @Test
    void aResetOutsideTheWindowIsIgnored() {
        Peer p = established();
        for (int off : new int[] { -1, -70_000, 1 << 20, 1 << 30 }) {
            assertEquals(List.of(), net.exchange(TcpRepr.of(p.localPort, p.remotePort, p.seq + off, 0, TcpPacket.RST,
                    0, 0)), "offset " + off);
        }
        assertEquals(TcpState.ESTABLISHED, p.connection.state());
        assertEquals(0, TcpTestbed.count(net.tcp, TcpEvent.RESETS_RECEIVED));
        assertEquals(0, TcpTestbed.count(net.tcp, TcpEvent.CHALLENGE_ACKS));
    }

    /** RFC 5961 section 4: a SYN on a synchronized connection draws a challenge ACK, wherever its sequence number. */
    @Test
    void aSynOnAnEstablishedConnectionGetsAChallengeAck() {
        Peer p = established();
        Segment inWindow = only(net.exchange(TcpRepr.of(p.localPort, p.remotePort, p.seq + 10, 0, TcpPacket.SYN,
                65535, 0)));
        assertTrue(inWindow.ack() && !inWindow.syn() && !inWindow.rst());
        assertEquals(p.seq, inWindow.ackNumber());
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.CHALLENGE_ACKS));
        Segment before = only(net.exchange(TcpRepr.of(p.localPort, p.remotePort, p.seq - 5000, 0, TcpPacket.SYN,
                65535, 0)));
        assertTrue(before.ack() && !before.rst());
        assertEquals(p.seq, before.ackNumber());
        assertEquals(TcpState.ESTABLISHED, p.connection.state());
        assertNull(user.closedReason);
    }

    /** RFC 5961 section 5.2: an ACK for data never sent is answered with an ACK and dropped, data and all. */
    @Test
    void anAckOfUnsentDataIsDropped() {
        Peer p = established();
        TcpRepr bogus = TcpRepr.of(p.localPort, p.remotePort, p.seq, p.ack + 5000, TcpPacket.ACK, 65535, 10);
        Segment answer = only(net.exchange(bogus, new byte[10]));
        assertEquals(p.seq, answer.ackNumber(), "its 10 bytes were not taken");
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.ACK_UNSENT_DATA));
        assertEquals(0, p.connection.readable());
        assertEquals(TcpState.ESTABLISHED, p.connection.state());
    }

    /** RFC 9293 section 3.10.7.3: in SYN_SENT, a RST whose ACK acknowledges our SYN means refused. */
    @Test
    void aResetAnsweringOurSynIsARefusal() {
        TcpConnection c = net.tcp.connect(net.iface.ipv4(), 0, TcpFakePeer.PEER_V4, 80, user);
        Segment syn = only(net.poll());
        int port = syn.tcp().srcPort();
        // a RST whose ACK does not acknowledge the SYN is dropped
        assertEquals(List.of(), net.exchange(TcpRepr.of(80, port, 0, syn.seq() + 7, TcpPacket.RST | TcpPacket.ACK, 0,
                0)));
        assertEquals(TcpState.SYN_SENT, c.state());
        // a RST without ACK is dropped too
        assertEquals(List.of(), net.exchange(TcpRepr.of(80, port, 0, 0, TcpPacket.RST, 0, 0)));
        assertEquals(TcpState.SYN_SENT, c.state());
        assertEquals(List.of(), net.exchange(TcpRepr.of(80, port, 0, syn.seq() + 1, TcpPacket.RST | TcpPacket.ACK, 0,
                0)));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals("connection refused", user.closedReason);
        assertEquals(0, net.tcp.connectionCount());
        assertEquals(0, net.tcp.memoryUsed());
        assertEquals(0, net.tcp.timerCount());
    }

    /** RFC 9293 section 3.10.7.3: in SYN_SENT, an ACK that does not acknowledge our SYN draws RST seq=SEG.ACK. */
    @Test
    void aBadAckInSynSentDrawsAReset() {
        TcpConnection c = net.tcp.connect(net.iface.ipv4(), 0, TcpFakePeer.PEER_V4, 80, user);
        Segment syn = only(net.poll());
        Segment rst = only(net.exchange(TcpRepr.of(80, syn.tcp().srcPort(), 555, syn.seq() + 100,
                TcpPacket.SYN | TcpPacket.ACK, 65535, 0)));
        assertTrue(rst.rst() && !rst.ack());
        assertEquals(syn.seq() + 100, rst.seq());
        assertEquals(TcpState.SYN_SENT, c.state());
    }

    /** Two stacks: a connection to a port nobody listens on is refused at once. */
    @Test
    void connectingToAPortWithoutListenerIsRefused() {
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS, FaultOptions.NONE.withDelayNanos(1_000_000));
        RecordingHandler h = new RecordingHandler();
        bed.connectAtoB(9999, h);
        bed.a.flush();
        assertTrue(bed.runUntil(() -> h.closedReason != null, SECOND));
        assertEquals("connection refused", h.closedReason);
        assertEquals(1, TcpTestbed.count(bed.b, TcpEvent.NO_LISTENER));
        assertEquals(1, TcpTestbed.count(bed.b, TcpEvent.RESETS_SENT));
        assertEquals(1, TcpTestbed.count(bed.a, TcpEvent.RESETS_RECEIVED));
        assertTrue(bed.now() - 1000 * SECOND < 10_000_000, "refused in one round trip");
        assertEquals(0, bed.a.connectionCount());
        assertEquals(0, bed.a.memoryUsed());
        assertEquals(0, bed.a.timerCount());
    }

    /**
     * RFC 9293 section 3.10.7.1: a segment for no connection draws a RST. If it has an ACK, the RST's sequence number
     * is that ACK, and the RST has no ACK; otherwise the RST has sequence number 0 and acknowledges SEG.SEQ +
     * SEG.LEN (SYN and FIN count). A RST draws nothing.
     */
    @Test
    void segmentsForNoConnectionAreAnsweredWithReset() {
        Segment toAck = only(net.exchange(TcpRepr.of(4000, 80, 1000, 5555, TcpPacket.ACK, 65535, 0)));
        assertEquals(TcpPacket.RST, toAck.tcp().flags());
        assertEquals(5555, toAck.seq());
        assertEquals(80, toAck.tcp().srcPort());
        assertEquals(4000, toAck.tcp().dstPort());

        Segment toSyn = only(net.exchange(TcpRepr.of(4000, 80, 1000, 0, TcpPacket.SYN, 65535, 0)));
        assertEquals(TcpPacket.RST | TcpPacket.ACK, toSyn.tcp().flags());
        assertEquals(0, toSyn.seq());
        assertEquals(1001, toSyn.ackNumber());

        Segment toDataFin = only(net.exchange(TcpRepr.of(4000, 80, 2000, 0, TcpPacket.FIN, 65535, 10),
                new byte[10]));
        assertEquals(TcpPacket.RST | TcpPacket.ACK, toDataFin.tcp().flags());
        assertEquals(2011, toDataFin.ackNumber());

        Segment toAckedData = only(net.exchange(TcpRepr.of(4000, 80, 3000, 77, TcpPacket.ACK | TcpPacket.PSH, 65535,
                100), new byte[100]));
        assertEquals(TcpPacket.RST, toAckedData.tcp().flags());
        assertEquals(77, toAckedData.seq());

        assertEquals(List.of(), net.exchange(TcpRepr.of(4000, 80, 1000, 0, TcpPacket.RST, 0, 0)));
        assertEquals(List.of(), net.exchange(TcpRepr.of(4000, 80, 1000, 9, TcpPacket.RST | TcpPacket.ACK, 0, 0)));
        assertEquals(4, TcpTestbed.count(net.tcp, TcpEvent.RESETS_SENT));
        assertEquals(6, TcpTestbed.count(net.tcp, TcpEvent.NO_LISTENER));
    }

    /** A listening port answers anything but a SYN, when no connection has it, with a RST as well. */
    @Test
    void aListenerAnswersAStrayAckWithReset() {
        net.tcp.listen(null, 0, 0, true, 80, conn -> new RecordingHandler());
        Segment rst = only(net.exchange(TcpRepr.of(4000, 80, 1000, 4242, TcpPacket.ACK, 65535, 0)));
        assertEquals(TcpPacket.RST, rst.tcp().flags());
        assertEquals(4242, rst.seq());
        assertEquals(0, net.tcp.connectionCount());
        assertEquals(0, TcpTestbed.count(net.tcp, TcpEvent.NO_LISTENER));
    }

    /** TIME_WAIT ignores RSTs (RFC 1337): the pair stays until its time is up. */
    @Test
    void timeWaitIgnoresResets() {
        Peer p = established();
        p.connection.shutdownOutput();
        Segment fin = only(net.poll());
        assertTrue(fin.fin());
        p.ack = fin.seq() + 1;
        net.exchange(p.seg(TcpPacket.ACK | TcpPacket.FIN, 0));
        p.seq++;
        assertEquals(TcpState.TIME_WAIT, p.connection.state());
        net.exchange(p.seg(TcpPacket.RST, 0));
        assertEquals(TcpState.TIME_WAIT, p.connection.state());
        assertEquals(0, TcpTestbed.count(net.tcp, TcpEvent.RESETS_RECEIVED));
        // a retransmitted FIN is acknowledged again and restarts the 2 MSL wait
        net.advance(30 * SECOND);
        p.seq--;
        Segment ack = only(net.exchange(p.seg(TcpPacket.ACK | TcpPacket.FIN, 0)));
        assertTrue(ack.ack() && !ack.fin());
        assertEquals(p.seq + 1, ack.ackNumber());
        net.advance(59 * SECOND);
        assertEquals(TcpState.TIME_WAIT, p.connection.state());
        net.advance(2 * SECOND);
        assertEquals(TcpState.CLOSED, p.connection.state());
        assertEquals(0, net.tcp.connectionCount());
    }
}
