package layer45.mnet.socket.tcp;

import static layer45.mnet.socket.tcp.TcpTestbed.MS;
import static layer45.mnet.socket.tcp.TcpTestbed.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import layer45.mnet.phy.FaultOptions;
import layer45.mnet.service.TcpEcho;
import layer45.mnet.testing.StreamClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tens of megabytes echoed through two stacks over a 100 Mbit/s link with 10 ms of round trip, seeded loss,
 * reordering and duplication, compared by SHA-256 both ways; the same seed gives the same run, to the nanosecond and
 * the counter.
 */
class TcpLargeStreamTest {

    /** What one run produced. */
    record Outcome(long simulatedNanos, String sent, String echoed, long read, Map<String, Long> client,
            Map<String, Long> server, Map<String, Long> clientFaults, Map<String, Long> serverFaults) {
    }

    static FaultOptions faults(long seed, double loss, double disorder) {
        return FaultOptions.seeded(seed).withLoss(loss).withReordering(disorder).withDuplication(disorder)
                .withDelayNanos(5 * MS).withJitterNanos(200_000).withRateBytesPerSecond(12_500_000)
                .withQueueCapacity(512);
    }

    static Outcome echo(long bytes, double loss, long seed, String congestion) {
        return echo(bytes, loss, 0.01, seed, congestion);
    }

    /**
     * @param disorder the probability of reordering, and of duplication
     */
    static Outcome echo(long bytes, double loss, double disorder, long seed, String congestion) {
        TcpTestbed.Knobs knobs = TcpTestbed.knobs();
        knobs.congestionControl = congestion;
        knobs.sendBuffer = 512 * 1024;
        knobs.receiveBuffer = 512 * 1024;
        TcpTestbed bed = new TcpTestbed(knobs.build(), faults(seed, loss, disorder));
        bed.b.listen(null, 0, 0, true, 7, new TcpEcho(65536));
        StreamClient client = new StreamClient(bytes, seed);
        TcpConnection c = bed.connectAtoB(7, client);
        long start = bed.now();
        bed.runUntil(() -> client.closedReason() != null, 3600 * SECOND);
        long elapsed = bed.now() - start;
        assertEquals("closed", client.closedReason(), () -> "client " + c + " " + TcpTestbed.nonZero(bed.a)
                + "; server " + TcpTestbed.nonZero(bed.b));
        assertNotNull(client.sentDigest());
        return new Outcome(elapsed, client.sentDigest(), client.receivedDigest(), client.read(),
                TcpTestbed.nonZero(bed.a), TcpTestbed.nonZero(bed.b), bed.faultsB.counters().snapshot(),
                bed.faultsA.counters().snapshot());
    }

    @ParameterizedTest(name = "{0} bytes each way, loss {1}, reordering and duplication {2}, {3}")
    @CsvSource({
        "20000000, 0.00, 0.00, cubic",
        "20000000, 0.00, 0.01, cubic",
        "20000000, 0.01, 0.01, cubic",
        "20000000, 0.05, 0.01, cubic",
        "20000000, 0.05, 0.01, newreno",
    })
    void twentyMegabytesAreEchoedIntact(long bytes, double loss, double disorder, String congestion) {
        Outcome o = echo(bytes, loss, disorder, 45, congestion);
        assertEquals(bytes, o.read());
        assertEquals(o.sent(), o.echoed(), "SHA-256 of what was sent and what came back");
        System.out.printf("echo %d B each way, loss %.2f, disorder %.2f, %s: %.3f s simulated; client %d fast"
                + " retransmits, %d RTOs; server %d fast retransmits, %d RTOs%n  client %s%n  server %s%n"
                + "  faults toward server %s%n  faults toward client %s%n", bytes, loss, disorder, congestion,
                o.simulatedNanos() / 1e9, o.client().getOrDefault("fast-retransmits", 0L),
                o.client().getOrDefault("retransmit-timeouts", 0L), o.server().getOrDefault("fast-retransmits", 0L),
                o.server().getOrDefault("retransmit-timeouts", 0L), o.client(), o.server(), o.clientFaults(),
                o.serverFaults());
        assertTrue(o.simulatedNanos() < 120 * SECOND, "took " + o.simulatedNanos() / 1e9 + " s simulated");
        if (loss == 0 && disorder == 0) {
            assertEquals(null, o.client().get("retransmit-timeouts"));
            assertTrue(o.simulatedNanos() < 3 * SECOND, "20 MB at 12.5 MB/s: " + o.simulatedNanos() / 1e9 + " s");
        }
        long rtos = o.client().getOrDefault("retransmit-timeouts", 0L) + o.server().getOrDefault(
                "retransmit-timeouts", 0L);
        long losses = o.clientFaults().getOrDefault("lost", 0L) + o.serverFaults().getOrDefault("lost", 0L);
        assertTrue(rtos <= Math.max(2, losses / 50), rtos + " RTOs for " + losses + " losses: recovery should be"
                + " fast, not timer-driven");
    }

    /** ISNs and ephemeral ports differ from run to run; time, counters and faults do not. */
    @Test
    void theSameSeedGivesTheSameRun() {
        Outcome first = echo(20_000_000, 0.05, 7, "cubic");
        Outcome second = echo(20_000_000, 0.05, 7, "cubic");
        assertEquals(first, second);
        System.out.printf("seed 7, twice: %.6f s simulated both times; client %s%n", first.simulatedNanos() / 1e9,
                first.client());
        Outcome other = echo(4_000_000, 0.05, 8, "cubic");
        assertEquals(first.sent(), first.echoed());
        assertEquals(other.sent(), other.echoed());
        assertTrue(other.simulatedNanos() != first.simulatedNanos() || !other.client().equals(first.client()),
                "another seed should give another run");
    }
}
