package layer45.mnet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.socket.tcp.TcpHandler;
import layer45.mnet.socket.tcp.TcpSettings;
import layer45.mnet.socket.tcp.TcpStream;
import layer45.mnet.testing.Netsim;
import layer45.mnet.testing.TestStack;
import layer45.mnet.time.ManualClock;
import layer45.mnet.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpSource} between two of our stacks: the pattern from offset 0 on every connection, a finish answered
 * with a finish; and the source's stack reusing closed connections' buffers (closed cleanly, or reset with bytes
 * queued), which must come back empty.
 */
class TcpSourceTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Reads the source, checks each byte against the pattern, finishes after {@code wanted} bytes. */
    private static final class Reader implements TcpHandler {
        final long wanted;
        final boolean reset;
        final ByteBuffer scratch = ByteBuffer.allocate(8192);
        long read;
        long wrong = -1;
        String closed;

        Reader(long wanted, boolean reset) {
            this.wanted = wanted;
            this.reset = reset;
        }

        @Override
        public void readable(TcpStream c) {
            while (c.readable() > 0) {
                scratch.clear();
                int n = c.read(scratch);
                for (int k = 0; k < n; k++) {
                    int i = (int) ((read + k) & (TcpSource.PATTERN - 1));
                    if (wrong < 0 && scratch.get(k) != (byte) (i * 31 + (i >> 8))) {
                        wrong = read + k;
                    }
                }
                read += n;
                if (read >= wanted && reset) {
                    c.abort("enough"); // the source's connection is reset with its send buffer full
                    return;
                }
                if (read >= wanted) {
                    c.shutdownOutput(); // the source finishes in turn; what it sent meanwhile is still read
                }
            }
        }

        @Override
        public void closed(TcpStream c, String reason) {
            closed = reason;
        }
    }

    @Test
    void everyConnectionGetsThePatternFromTheStartAndFinishesAfterThePeer() {
        ManualClock clock = new ManualClock();
        TcpSettings settings = TcpSettings.DEFAULTS.withBuffers(64 * 1024, 64 * 1024);
        MemoryLink link = MemoryLink.create(new MemoryLinkOptions("sim", 1500, 4096), clock);
        TestStack client = new TestStack(link.a(), clock, () -> null, false, settings, "10.0.0.1/24");
        TestStack server = new TestStack(link.b(), clock, () -> null, false, settings, "10.0.0.2/24");
        server.tcp().listen(null, 0, 0, true, 19, new TcpSource());
        long address = Ipv4Address.parse("10.0.0.2").bits() & 0xFFFF_FFFFL;
        Netsim sim = new Netsim(clock, client.iface(), server.iface());
        // Several connections one after the other: from the second on, the source's stack hands out buffers of
        // closed connections, which must hold nothing of the last one's stream, even when it was reset full.
        for (int round = 0; round < 6; round++) {
            boolean reset = round % 2 == 1;
            Reader reader = new Reader(300_000 + 70_001L * round, reset);
            client.tcp().connect(client.iface().ipv4(), 0, address, 19, reader);
            assertTrue(sim.runUntil(() -> reader.closed != null, 60 * SECOND), "round " + round + ": not closed");
            sim.settle(SECOND);
            assertEquals(reset ? "enough" : "closed", reader.closed, "round " + round);
            assertTrue(reader.read >= reader.wanted, "round " + round + ": read " + reader.read);
            assertEquals(-1, reader.wrong, "round " + round + ": the first wrong byte");
            assertEquals(0, server.tcp().connectionCount(), "round " + round + ": the source's connection is gone");
            assertEquals(0, server.tcp().memoryUsed(), "round " + round + ": its memory is back");
        }
    }
}
