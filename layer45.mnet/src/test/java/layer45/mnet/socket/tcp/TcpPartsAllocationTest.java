package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * What a connection calls per segment allocates nothing: the buffers, the estimator, both congestion controls, the
 * ISN generator and sequence arithmetic. Measured with the JVM's per-thread allocation counter, in bytes.
 */
class TcpPartsAllocationTest {

    private final SendBuffer send = new SendBuffer(64 * 1024);
    private final ReceiveBuffer receive = new ReceiveBuffer(64 * 1024, 32);
    private final RttEstimator rtt = new RttEstimator(200_000_000, 60_000_000_000L, 1_000_000_000);
    private final CongestionControl reno = CongestionControls.byName("newreno").create();
    private final CongestionControl cubic = CongestionControls.byName("cubic").create();
    private final IsnGenerator isn = new IsnGenerator(1, 2);
    private final ByteBuffer app = ByteBuffer.allocate(4096);
    private final ByteBuffer segment = ByteBuffer.allocateDirect(1500);
    private final int[] lefts = new int[4];
    private final int[] rights = new int[4];
    private long now;
    private int rounds;
    private long sink;

    private void oneRound() {
        now += 1_000_000;
        rounds++;
        // Send side: the application writes, segments are copied out, ACKs discard.
        app.clear();
        send.write(app);
        send.copyTo(0, segment, 40, Math.min(1460, send.size()));
        send.discard(send.size() / 2);
        // Receive side: a hole, data behind it, the hole filled, SACK blocks, the application reads.
        receive.write(1460, segment, 40, 1460);
        receive.write(4000, segment, 40, 500);
        receive.sackBlocks(lefts, rights, 4);
        receive.write(0, segment, 40, 1460);
        receive.copyReadable(0, segment, 0, 100);
        app.clear();
        receive.read(app);
        receive.consume(receive.readable());
        receive.clear();
        // Timers and windows.
        rtt.sample(20_000_000 + (now & 0xFFFF));
        rtt.backoff();
        drive(reno);
        drive(cubic);
        cubic.onAck(1460, cubic.window(), -1, now);
        sink += isn.isn(now, 0, 0x0A000001, 40000, 0, 0x0A000002, 80) + isn.timestampOffset(0, 1, 0, 2);
        sink += SeqNumber.inWindow((int) now, 5, 100) ? 1 : SeqNumber.diff((int) now, 7);
        sink += rtt.rto() + reno.window() + cubic.window();
    }

    private void drive(CongestionControl cc) {
        if (rounds % 1000 == 0) {
            cc.onCongestionEvent(cc.window(), now);
            cc.onRecoveryEnd(now);
        }
        if (rounds % 5000 == 0) {
            cc.onRetransmitTimeout(cc.window(), now);
            cc.onIdleRestart(now);
        }
        cc.onAck(1460, cc.window(), 20_000_000, now);
    }

    @Test
    void thePerSegmentCallsAllocateNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        // Warm up so that the measured rounds run compiled code, as the stack's loop does.
        reno.init(1460, 0);
        cubic.init(1460, 0);
        for (int i = 0; i < 50_000; i++) {
            oneRound();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 50_000; i++) {
            oneRound();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1024, allocated + " bytes allocated over 50000 rounds");
        assertTrue(sink != 0);
    }
}
