package layer45.mnet.socket.tcp;

import static layer45.mnet.socket.tcp.TcpTestbed.MS;
import static layer45.mnet.socket.tcp.TcpTestbed.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import layer45.mnet.phy.FaultOptions;
import layer45.mnet.service.TcpEcho;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Thousands of short connections (connect, a few bytes echoed, close), one after another and many at once: all
 * complete, and once TIME_WAIT has passed nothing is left behind (connections, buffer memory, timers).
 */
class TcpConnectionStormTest {

    /** Connects, sends a few bytes, reads their echo, then closes. */
    static final class ShortClient implements TcpHandler {
        final byte[] message;
        final ByteBuffer in = ByteBuffer.allocate(256);
        int read;
        String closed;
        TcpConnection connection;

        ShortClient(int n) {
            message = ("hello " + n + " ").repeat(2).getBytes();
        }

        @Override
        public void opened(TcpStream c) {
            if (c.write(ByteBuffer.wrap(message)) != message.length) {
                throw new AssertionError("a few bytes should fit");
            }
        }

        @Override
        public void readable(TcpStream c) {
            while (c.readable() > 0) {
                in.clear();
                int n = c.read(in);
                for (int i = 0; i < n; i++) {
                    if (in.get(i) != message[read + i]) {
                        throw new AssertionError("echo differs at " + (read + i));
                    }
                }
                read += n;
            }
            if (read == message.length) {
                c.close();
            }
        }

        @Override
        public void closed(TcpStream c, String reason) {
            closed = reason;
        }
    }

    static void storm(TcpTestbed bed, int total, int concurrency, long maxNanos) {
        bed.b.listen(null, 0, 0, true, 7, new TcpEcho(4096));
        List<ShortClient> open = new ArrayList<>();
        int started = 0;
        int done = 0;
        long end = bed.now() + maxNanos;
        while (done < total && bed.now() < end) {
            while (open.size() < concurrency && started < total) {
                ShortClient client = new ShortClient(started++);
                client.connection = bed.connectAtoB(7, client);
                open.add(client);
            }
            bed.a.flush();
            if (!bed.runUntil(() -> open.stream().anyMatch(x -> x.closed != null), end - bed.now())) {
                break; // nothing left to do, or out of time: the assertion below says what is stuck
            }
            for (var it = open.iterator(); it.hasNext(); ) {
                ShortClient client = it.next();
                if (client.closed != null) {
                    assertEquals("closed", client.closed);
                    assertEquals(client.message.length, client.read);
                    it.remove();
                    done++;
                }
            }
        }
        assertEquals(total, done, () -> "completed; client " + TcpTestbed.nonZero(bed.a) + " server "
                + TcpTestbed.nonZero(bed.b) + "; still open: " + open.stream().map(x -> x.connection.toString()).toList());
    }

    static void assertNothingLeft(TcpTestbed bed, int total) {
        // The server closed second: its side is gone at once. The client closed first: its side waits in TIME_WAIT.
        bed.run(SECOND);
        assertEquals(0, bed.b.connectionCount(), "server connections left");
        assertEquals(0, bed.b.memoryUsed(), "server memory");
        assertEquals(0, bed.b.timerCount(), "server timers");
        assertTrue(bed.a.connectionCount() <= total);
        assertEquals(0, bed.a.memoryUsed(), "TIME_WAIT holds no buffer memory");
        bed.run(bed.a.settings().timeWait().toNanos() + SECOND);
        assertEquals(0, bed.a.connectionCount(), "client connections left after TIME_WAIT");
        assertEquals(0, bed.a.memoryUsed(), "client memory");
        assertEquals(0, bed.a.timerCount(), "client timers");
        Map<String, Long> client = TcpTestbed.nonZero(bed.a);
        Map<String, Long> server = TcpTestbed.nonZero(bed.b);
        assertEquals(total, client.get("connections-opened"), client.toString());
        assertEquals(total, server.get("connections-opened"), server.toString());
        assertEquals(total, client.get("connections-closed"), client.toString());
        assertEquals(total, server.get("connections-closed"), server.toString());
        assertEquals(null, client.get("connections-aborted"), client.toString());
        assertEquals(null, server.get("connections-aborted"), server.toString());
    }

    /** With the default settings: 256 KiB buffers each way and 1 GiB for all, so 2048 connections' worth. */
    @ParameterizedTest(name = "{0} connections, {1} at a time")
    @CsvSource({ "3000, 1", "3000, 50" })
    void thousandsOfShortConnections(int total, int concurrency) {
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS,
                FaultOptions.NONE.withDelayNanos(100_000).withQueueCapacity(1024));
        long start = bed.now();
        storm(bed, total, concurrency, 3600 * SECOND);
        long took = bed.now() - start;
        int timeWait = bed.a.connectionCount();
        System.out.printf("storm: %d connections, %d at a time: %.3f s simulated, %d in TIME_WAIT after%n  client %s%n"
                + "  server %s%n", total, concurrency, took / 1e9, timeWait, TcpTestbed.nonZero(bed.a),
                TcpTestbed.nonZero(bed.b));
        assertNothingLeft(bed, total);
    }

    /** Lossy: SYNs, FINs and their ACKs get lost too, and every connection still ends cleanly. */
    @Test
    void aStormOverALossyLink() {
        TcpTestbed bed = new TcpTestbed(TcpSettings.DEFAULTS, FaultOptions.seeded(3).withLoss(0.02)
                .withDuplication(0.01).withReordering(0.01).withDelayNanos(MS).withQueueCapacity(1024));
        storm(bed, 1000, 50, 600 * SECOND);
        assertNothingLeft(bed, 1000);
    }
}
