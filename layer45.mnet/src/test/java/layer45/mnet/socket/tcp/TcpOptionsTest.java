package layer45.mnet.socket.tcp;

import static layer45.mnet.socket.tcp.TcpTestbed.MS;
import static layer45.mnet.socket.tcp.TcpTestbed.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import layer45.mnet.phy.FaultOptions;
import layer45.mnet.service.TcpEcho;
import layer45.mnet.socket.tcp.TcpTestbed.Segment;
import layer45.mnet.testing.Packets;
import layer45.mnet.testing.StreamClient;
import layer45.mnet.wire.TcpPacket;
import layer45.mnet.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/**
 * Options on the wire: the MSS is honoured, and window scaling, timestamps and SACK are used only when both ends
 * offered them (RFC 9293 3.7.1, RFC 7323, RFC 2018).
 */
class TcpOptionsTest {

    /** Echoes a seeded stream A to B and back, recording every segment both send; returns the client. */
    private static StreamClient echo(TcpTestbed bed, long bytes) {
        bed.wireA.recording = true;
        bed.wireB.recording = true;
        bed.b.listen(null, 0, 0, true, 7, new TcpEcho(65536));
        StreamClient client = new StreamClient(bytes, 5);
        TcpConnection c = bed.connectAtoB(7, client);
        assertTrue(bed.runUntil(() -> client.closedReason() != null, 300 * SECOND), c.toString());
        assertEquals("closed", client.closedReason());
        assertEquals(bytes, client.read());
        assertEquals(client.sentDigest(), client.receivedDigest());
        return client;
    }

    private static List<Segment> after(List<Segment> all) {
        return all.stream().filter(s -> !s.syn()).toList();
    }

    private static Segment syn(List<Segment> all) {
        return all.stream().filter(Segment::syn).findFirst().orElseThrow();
    }

    /** The peer's MSS bounds every segment's payload, timestamps' 12 bytes included (RFC 9293 3.7.1, RFC 6691). */
    @Test
    void thePeersMssIsHonoured() {
        TcpFakePeer net = new TcpFakePeer(TcpSettings.DEFAULTS);
        RecordingHandler user = new RecordingHandler();
        TcpConnection c = net.tcp.connect(net.iface.ipv4(), 0, TcpFakePeer.PEER_V4, 80, user);
        Segment ourSyn = net.poll().get(0);
        assertEquals(1460, ourSyn.tcp().mss(), "ours: the link's 1500 less 40");
        net.exchange(new TcpRepr(80, ourSyn.tcp().srcPort(), 1000, ourSyn.seq() + 1, TcpPacket.SYN | TcpPacket.ACK,
                65535, 0, 536, -1, false, List.of(), null, 0));
        assertEquals(TcpState.ESTABLISHED, c.state());
        user.send(Packets.bytes(20_000, 1));
        List<Segment> data = net.poll().stream().filter(s -> s.length() > 0).toList();
        assertTrue(data.size() > 5, data.toString());
        for (Segment s : data) {
            assertTrue(s.length() <= 536, s.toString());
        }
        assertEquals(536, data.get(0).length(), "full-sized segments are the MSS");
    }

    /**
     * Two stacks on a 1280-byte link (IPv6's minimum): the MSS is 1240, every packet fits the MTU (data segments
     * carrying SACK blocks and timestamps too, under loss and reordering), and the stream arrives intact.
     */
    @Test
    void aSmallMtuIsNeverExceeded() {
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS, TcpSettings.DEFAULTS, FaultOptions.seeded(4)
                .withLoss(0.03).withReordering(0.03).withDelayNanos(2 * MS), 1280);
        echo(bed, 1_000_000);
        List<Segment> all = new java.util.ArrayList<>(bed.wireA.take());
        all.addAll(bed.wireB.take());
        assertEquals(1240, syn(all).tcp().mss());
        long withSack = 0;
        for (Segment s : all) {
            assertTrue(!s.fragment(), "TCP segments are never fragmented: " + s);
            int ipLength = 20 + s.tcp().headerLength() + s.length();
            assertTrue(ipLength <= 1280, "a " + ipLength + "-byte packet on a 1280-byte link: " + s);
            if (!s.tcp().sackBlocks().isEmpty() && s.length() > 0) {
                withSack++;
            }
        }
        assertTrue(withSack > 0, "some data segments carried SACK blocks");
    }

    @Test
    void windowScalingIsUsedWhenBothOfferIt() {
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS);
        echo(bed, 500_000);
        List<Segment> fromA = bed.wireA.take();
        List<Segment> fromB = bed.wireB.take();
        assertEquals(3, syn(fromA).tcp().windowScale(), "256 KiB needs a shift of 3");
        assertEquals(3, syn(fromB).tcp().windowScale());
        // a window field with nothing unread is the whole buffer, shifted
        assertTrue(after(fromA).stream().anyMatch(s -> s.tcp().window() == (256 * 1024) >> 3), fromA.toString());
        assertTrue(after(fromA).stream().allMatch(s -> s.tcp().window() <= (256 * 1024) >> 3));
    }

    @Test
    void windowScalingIsNotUsedWhenOneSideDoesNotOfferIt() {
        TcpTestbed.Knobs off = TcpTestbed.knobs();
        off.windowScaling = false;
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS, off.build(), FaultOptions.NONE, 1500);
        echo(bed, 500_000);
        List<Segment> fromA = bed.wireA.take();
        List<Segment> fromB = bed.wireB.take();
        assertEquals(3, syn(fromA).tcp().windowScale(), "A offers it");
        assertEquals(-1, syn(fromB).tcp().windowScale(), "B does not");
        // A's windows are plain bytes, capped at 65535, never shifted: 32768 would be 256 KiB >> 3
        assertTrue(after(fromA).stream().anyMatch(s -> s.tcp().window() == 65535), fromA.toString());
        assertTrue(after(fromA).stream().noneMatch(s -> s.tcp().window() == 32768));
        assertTrue(after(fromB).stream().anyMatch(s -> s.tcp().window() == 65535));
    }

    @Test
    void timestampsAreNotUsedWhenOneSideDoesNotOfferThem() {
        TcpTestbed.Knobs off = TcpTestbed.knobs();
        off.timestamps = false;
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS, off.build(), FaultOptions.NONE.withDelayNanos(MS), 1500);
        echo(bed, 300_000);
        List<Segment> fromA = bed.wireA.take();
        List<Segment> fromB = bed.wireB.take();
        assertTrue(syn(fromA).tcp().timestamps() != null, "A offers them");
        assertNull(syn(fromB).tcp().timestamps(), "B does not");
        for (Segment s : after(fromA)) {
            assertNull(s.tcp().timestamps(), s.toString());
        }
        for (Segment s : after(fromB)) {
            assertNull(s.tcp().timestamps(), s.toString());
        }
        // without timestamps a full segment carries the whole MSS
        assertTrue(after(fromA).stream().anyMatch(s -> s.length() == 1460));
    }

    @Test
    void timestampsAreUsedWhenBothOfferThem() {
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS, FaultOptions.NONE.withDelayNanos(MS));
        echo(bed, 300_000);
        List<Segment> fromA = bed.wireA.take();
        for (Segment s : after(fromA)) {
            assertTrue(s.tcp().timestamps() != null, s.toString());
        }
        assertTrue(after(fromA).stream().allMatch(s -> s.length() <= 1448), "the MSS less the option's 12 bytes");
    }

    /** SACK off on one side: no SACK blocks ever, even under loss, and recovery still works (NewReno). */
    @Test
    void sackIsNotUsedWhenOneSideDoesNotOfferIt() {
        TcpTestbed.Knobs off = TcpTestbed.knobs();
        off.sack = false;
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS, off.build(), FaultOptions.seeded(8).withLoss(0.02)
                .withReordering(0.02).withDelayNanos(2 * MS), 1500);
        echo(bed, 2_000_000);
        List<Segment> fromA = bed.wireA.take();
        List<Segment> fromB = bed.wireB.take();
        assertTrue(syn(fromA).tcp().sackPermitted());
        assertTrue(!syn(fromB).tcp().sackPermitted());
        for (Segment s : fromA) {
            assertTrue(s.tcp().sackBlocks().isEmpty(), s.toString());
        }
        for (Segment s : fromB) {
            assertTrue(s.tcp().sackBlocks().isEmpty(), s.toString());
        }
        assertTrue(TcpTestbed.count(bed.a, TcpEvent.OUT_OF_ORDER_KEPT) > 0, "there was something to SACK");
        assertTrue(TcpTestbed.count(bed.a, TcpEvent.FAST_RETRANSMITS) > 0);
    }

    @Test
    void sackIsUsedWhenBothOfferIt() {
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS, FaultOptions.seeded(8).withLoss(0.02)
                .withReordering(0.02).withDelayNanos(2 * MS));
        echo(bed, 2_000_000);
        List<Segment> fromA = bed.wireA.take();
        assertTrue(fromA.stream().anyMatch(s -> !s.tcp().sackBlocks().isEmpty()));
    }
}
