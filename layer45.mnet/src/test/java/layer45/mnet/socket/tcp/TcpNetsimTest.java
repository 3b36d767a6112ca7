package layer45.mnet.socket.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import layer45.mnet.phy.FaultInjectingDevice;
import layer45.mnet.phy.FaultOptions;
import layer45.mnet.phy.MemoryLink;
import layer45.mnet.phy.MemoryLinkOptions;
import layer45.mnet.service.TcpEcho;
import layer45.mnet.testing.Netsim;
import layer45.mnet.testing.StreamClient;
import layer45.mnet.testing.TestStack;
import layer45.mnet.time.ManualClock;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv6Address;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Two of our stacks on an in-memory link with seeded faults: streams echoed byte for byte, compared by SHA-256. */
class TcpNetsimTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @ParameterizedTest(name = "{0}, {1} bytes, loss {2}, reordering {3}, duplication {4}, {5}")
    @CsvSource({
        "ipv4, 4000000, 0.00, 0.00, 0.00, cubic",
        "ipv6, 4000000, 0.00, 0.00, 0.00, newreno",
        "ipv4, 2000000, 0.01, 0.01, 0.01, cubic",
        "ipv4, 2000000, 0.05, 0.05, 0.05, newreno",
        "ipv6, 2000000, 0.05, 0.05, 0.05, cubic",
    })
    void aStreamIsEchoedIntact(String family, long bytes, double loss, double reordering, double duplication,
            String congestion) {
        ManualClock clock = new ManualClock();
        TcpSettings settings = new TcpSettings(1024, 256 * 1024, 256 * 1024, 1L << 30, 64, 64,
                TcpSettings.DEFAULTS.minRto(), TcpSettings.DEFAULTS.maxRto(), TcpSettings.DEFAULTS.initialRto(),
                TcpSettings.DEFAULTS.delayedAck(), 6, 15, TcpSettings.DEFAULTS.keepAliveIdle(),
                TcpSettings.DEFAULTS.keepAliveInterval(), 9, TcpSettings.DEFAULTS.timeWait(),
                TcpSettings.DEFAULTS.finWait2Timeout(), congestion, true, true, true);
        MemoryLink link = MemoryLink.create(new MemoryLinkOptions("sim", 1500, 4096), clock);
        FaultOptions faults = FaultOptions.seeded(45).withLoss(loss).withReordering(reordering)
                .withDuplication(duplication).withDelayNanos(TimeUnit.MICROSECONDS.toNanos(500))
                .withJitterNanos(TimeUnit.MICROSECONDS.toNanos(100)).withQueueCapacity(4096);
        TestStack a = new TestStack(FaultInjectingDevice.wrap(link.a(), faults, clock), clock, () -> null, false,
                settings, "10.0.0.1/24", "fd00::1/64");
        TestStack b = new TestStack(FaultInjectingDevice.wrap(link.b(), faults.withSeed(46), clock), clock,
                () -> null, false, settings, "10.0.0.2/24", "fd00::2/64");
        TcpConnection[] server = new TcpConnection[1];
        TcpEcho echo = new TcpEcho(65536);
        b.tcp().listen(null, 0, 0, true, 7, conn -> {
            server[0] = conn;
            return echo.accept(conn);
        });
        boolean v4 = family.equals("ipv4");
        long high = v4 ? 0 : Ipv6Address.parse("fd00::2").high();
        long low = v4 ? Ipv4Address.parse("10.0.0.2").bits() & 0xFFFF_FFFFL : Ipv6Address.parse("fd00::2").low();
        StreamClient client = new StreamClient(bytes, 7);
        client.sentBytes = new java.io.ByteArrayOutputStream();
        client.readBytes = new java.io.ByteArrayOutputStream();
        TcpConnection c = a.tcp().connect(v4 ? a.iface().ipv4() : a.iface().ipv6(), high, low, 7, client);
        Netsim sim = new Netsim(clock, a.iface(), b.iface());
        sim.runUntil(() -> client.closedReason() != null, 600 * SECOND);
        Map<String, Long> counters = a.tcp().events().snapshot();
        assertEquals("closed", client.closedReason(), "client side: " + c + " " + counters + "; server side: "
                + server[0] + " " + b.tcp().events().snapshot());
        assertNotNull(client.sentDigest());
        assertEquals(bytes, client.read(), counters.toString());
        byte[] x = client.sentBytes.toByteArray(), y = client.readBytes.toByteArray();
        int diff = java.util.Arrays.mismatch(x, y);
        assertEquals(-1, diff, "first difference at " + diff + " of " + x.length + "/" + y.length + " " + java.util.HexFormat.of().formatHex(x, 0, 24) + " vs " + java.util.HexFormat.of().formatHex(y, 0, 24));
        assertEquals(client.sentDigest(), client.receivedDigest());
        System.out.printf("%s %d B loss %.2f: %.1f s simulated, a %s%n", family, bytes, loss,
                clock.nanos() / 1e9, counters);
        assertTrue(clock.nanos() < 600 * SECOND);
    }
}
