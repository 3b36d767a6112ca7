package layer45.mnet.socket.tcp;

import static layer45.mnet.socket.tcp.TcpTestbed.A_V4;
import static layer45.mnet.socket.tcp.TcpTestbed.MS;
import static layer45.mnet.socket.tcp.TcpTestbed.SECOND;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import layer45.mnet.phy.FaultOptions;
import layer45.mnet.service.TcpDiscard;
import layer45.mnet.service.TcpEcho;
import layer45.mnet.service.TcpFixedReply;
import layer45.mnet.service.TcpForward;
import layer45.mnet.testing.StreamClient;
import org.junit.jupiter.api.Test;

/** The services over a lossy link between two stacks: a forward (both of TCP's roles at once), discard, fixed reply. */
class TcpServicesTest {

    private static FaultOptions lossy(long seed) {
        return FaultOptions.seeded(seed).withLoss(0.01).withReordering(0.01).withDuplication(0.01)
                .withDelayNanos(2 * MS);
    }

    /**
     * A connects to B's port 8; B forwards it to A's echo on port 7: every byte crosses the link four times, and the
     * finish passes through the forward both ways.
     */
    @Test
    void aForwardedEchoIsIntact() {
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS, lossy(21));
        bed.a.listen(null, 0, 0, true, 7, new TcpEcho(65536));
        bed.b.listen(null, 0, 0, true, 8, new TcpForward(bed.b, bed.ifaceB.ipv4(), 0, A_V4, 7));
        StreamClient client = new StreamClient(3_000_000, 3);
        bed.connectAtoB(8, client);
        assertTrue(bed.runUntil(() -> client.closedReason() != null, 300 * SECOND));
        assertEquals("closed", client.closedReason());
        assertEquals(3_000_000, client.read());
        assertEquals(client.sentDigest(), client.receivedDigest());
        bed.run(61 * SECOND);
        assertEquals(0, bed.a.connectionCount() + bed.b.connectionCount(), "all four ends gone after TIME_WAIT");
        assertEquals(0, bed.a.memoryUsed() + bed.b.memoryUsed());
        assertEquals(0, bed.a.timerCount() + bed.b.timerCount());
    }

    /** A reset on one side of a forward resets the other. */
    @Test
    void aResetCrossesTheForward() {
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS, FaultOptions.NONE.withDelayNanos(MS));
        RecordingHandler far = new RecordingHandler();
        TcpConnection[] farEnd = new TcpConnection[1];
        bed.a.listen(null, 0, 0, true, 7, TcpTestbed.keeping(farEnd, far));
        bed.b.listen(null, 0, 0, true, 8, new TcpForward(bed.b, bed.ifaceB.ipv4(), 0, A_V4, 7));
        RecordingHandler near = new RecordingHandler();
        TcpConnection c = bed.connectAtoB(8, near);
        assertTrue(bed.runUntil(() -> far.opened, SECOND));
        c.abort("gone");
        bed.a.flush();
        assertTrue(bed.runUntil(() -> far.closedReason != null, SECOND));
        assertTrue(far.closedReason.contains("reset"), far.closedReason);
        bed.run(SECOND);
        assertEquals(0, bed.b.connectionCount());
        assertEquals(0, bed.b.memoryUsed());
    }

    @Test
    void discardTakesEverythingAndFinishes() {
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS, lossy(22));
        bed.b.listen(null, 0, 0, true, 9, new TcpDiscard());
        StreamClient client = new StreamClient(5_000_000, 4);
        bed.connectAtoB(9, client);
        assertTrue(bed.runUntil(() -> client.closedReason() != null, 300 * SECOND));
        assertEquals("closed", client.closedReason());
        assertEquals(0, client.read());
        assertEquals(5_000_000, TcpTestbed.count(bed.b, TcpEvent.BYTES_RECEIVED));
    }

    @Test
    void theFixedReplyServesItsBodyAfterTheRequest() {
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS, lossy(23));
        byte[] body = TcpFixedReply.patternBody(1_000_000);
        bed.b.listen(null, 0, 0, true, 80, new TcpFixedReply(body));
        RecordingHandler client = new RecordingHandler();
        client.closeOnFinish = true;
        client.send("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        bed.connectAtoB(80, client);
        assertTrue(bed.runUntil(() -> client.closedReason != null, 300 * SECOND));
        assertEquals("closed", client.closedReason);
        byte[] all = client.bytes();
        String head = new String(all, 0, 200, StandardCharsets.US_ASCII);
        int bodyAt = head.indexOf("\r\n\r\n") + 4;
        assertTrue(head.startsWith("HTTP/1.0 200 OK"), head);
        assertEquals(body.length, all.length - bodyAt);
        assertArrayEquals(body, java.util.Arrays.copyOfRange(all, bodyAt, all.length));
    }
}
