package layer45.mnet.socket.tcp;

import static layer45.mnet.socket.tcp.TcpTestbed.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import layer45.mnet.socket.tcp.TcpFakePeer.Peer;
import layer45.mnet.socket.tcp.TcpTestbed.Segment;
import layer45.mnet.testing.Packets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Loss detection and recovery against a hand-driven receiver that selectively acknowledges what it pleases: the
 * stack sends 1460-byte segments, ten at first (RFC 6928's initial window), and the tests decide which were lost.
 */
class TcpRecoveryTest {

    private static final int MSS = TcpFakePeer.MSS;

    private TcpFakePeer net;
    private RecordingHandler user;
    private Peer peer;
    /** The stack's first data sequence number. */
    private int base;

    @BeforeEach
    void open() {
        TcpTestbed.Knobs k = TcpTestbed.knobs();
        k.congestionControl = "newreno";
        net = new TcpFakePeer(k.build());
        user = new RecordingHandler();
        peer = net.connect(80, user, true);
        base = peer.ack;
    }

    /** @return the sequence number of the stack's {@code i}th segment */
    private int at(int i) {
        return base + i * MSS;
    }

    private List<Segment> sendData(int segments) {
        user.send(Packets.bytes(segments * MSS, 1));
        return net.poll();
    }

    private static List<Segment> data(List<Segment> sent) {
        return sent.stream().filter(s -> s.length() > 0).toList();
    }

    @Test
    void tenSegmentsGoOutAtFirst() {
        List<Segment> sent = data(sendData(40));
        assertEquals(10, sent.size(), sent.toString());
        for (int i = 0; i < 10; i++) {
            assertEquals(at(i), sent.get(i).seq());
            assertEquals(MSS, sent.get(i).length());
        }
    }

    /**
     * RFC 6675 section 2: an ACK that SACKs new data is a duplicate even if it carries data of its own. A peer that
     * talks back while it receives (an echo, a chatty protocol) must not leave a loss to the retransmission timer.
     */
    @Test
    void acksCarryingDataStillSignalLoss() {
        sendData(40);
        List<Segment> answer = List.of();
        for (int i = 1; i <= 3; i++) {
            answer = net.exchange(peer.sack(100, at(1), at(1 + i)), Packets.bytes(100, i));
            peer.seq += 100;
        }
        assertTrue(answer.stream().anyMatch(s -> s.seq() == at(0) && s.length() == MSS),
                "segment 0 retransmitted at once: " + answer);
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.FAST_RETRANSMITS) - 0);
        assertEquals(0, TcpTestbed.count(net.tcp, TcpEvent.RETRANSMIT_TIMEOUTS));
    }

    /**
     * RFC 3042 (RFC 5681 section 3.2): the first two duplicate ACKs each let one new segment out beyond the
     * congestion window, so that a small window still gathers the three duplicates fast retransmit needs.
     */
    @Test
    void limitedTransmitSendsANewSegmentOnEachOfTheFirstTwoDuplicates() {
        sendData(40);
        List<Segment> first = data(net.exchange(peer.sack(0, at(1), at(2))));
        assertEquals(1, first.size(), first.toString());
        assertEquals(at(10), first.get(0).seq());
        List<Segment> second = data(net.exchange(peer.sack(0, at(1), at(3))));
        assertEquals(1, second.size(), second.toString());
        assertEquals(at(11), second.get(0).seq());
        List<Segment> third = data(net.exchange(peer.sack(0, at(1), at(4))));
        assertEquals(at(0), third.get(0).seq(), "fast retransmit on the third: " + third);
    }

    /**
     * RFC 6582 section 3.2 step 2 and RFC 6675 section 5.1: once the cumulative ACK reaches the recovery point, a
     * new loss starts a new recovery. The recovery point is one past the highest byte sent, so an ACK equal to it
     * covers it: the check is "at or above", not "above".
     */
    @Test
    void aLossRightAfterARecoveryIsRecoveredFastToo() {
        sendData(60);
        for (int i = 1; i <= 3; i++) {
            net.exchange(peer.sack(0, at(1), at(1 + i)));
        }
        assertEquals(1, TcpTestbed.count(net.tcp, TcpEvent.FAST_RETRANSMITS));
        // Everything sent before the recovery arrives (segments 0 to 11: the initial window and two limited
        // transmits); segments 12 on, sent during the recovery, too, except segment 12.
        for (int i = 4; i <= 11; i++) {
            net.exchange(peer.sack(0, at(1), at(1 + i)));
        }
        peer.ack = at(12);
        net.exchange(peer.ack());
        List<Segment> answer = List.of();
        for (int i = 1; i <= 3; i++) {
            answer = data(net.exchange(peer.sack(0, at(13), at(13 + i))));
        }
        assertTrue(answer.stream().anyMatch(s -> s.seq() == at(12)),
                "the new loss is retransmitted at once: " + answer);
        assertEquals(2, TcpTestbed.count(net.tcp, TcpEvent.FAST_RETRANSMITS));
        assertEquals(0, TcpTestbed.count(net.tcp, TcpEvent.RETRANSMIT_TIMEOUTS));
    }

    /**
     * A retransmission lost in its turn: segments sent after it are SACKed while its hole stays open. Three of them
     * say it is gone (as RACK, RFC 8985, reasons), and it is sent again without waiting for the timer.
     */
    @Test
    void aLostRetransmissionIsSentAgainBeforeTheTimer() {
        sendData(60);
        for (int i = 1; i <= 3; i++) {
            net.exchange(peer.sack(0, at(1), at(1 + i)));
        }
        // segment 0 went out again (and is lost again); segments 1 to 11 arrive
        List<Segment> newer = List.of();
        for (int i = 4; i <= 11; i++) {
            newer = data(net.exchange(peer.sack(0, at(1), at(1 + i))));
        }
        List<Segment> sentSince = new java.util.ArrayList<>(newer);
        int sacked = 12;
        List<Segment> answer = List.of();
        int guard = 0;
        while (answer.stream().noneMatch(s -> s.seq() == at(0)) && guard++ < 10) {
            answer = data(net.exchange(peer.sack(0, at(1), at(++sacked))));
            sentSince.addAll(answer);
        }
        assertTrue(answer.stream().anyMatch(s -> s.seq() == at(0)), "segment 0 sent a third time: " + sentSince);
        assertTrue(sacked <= 12 + 3 + 1, "after about three segments sent after the retransmission arrived: "
                + sacked);
        assertEquals(0, TcpTestbed.count(net.tcp, TcpEvent.RETRANSMIT_TIMEOUTS));
        // once it arrives, everything is acknowledged and the recovery ends
        peer.ack = at(sacked);
        net.exchange(peer.ack());
        assertEquals(0, net.advance(150 * MS).stream().filter(s -> s.seq() == at(0)).count());
    }
}
