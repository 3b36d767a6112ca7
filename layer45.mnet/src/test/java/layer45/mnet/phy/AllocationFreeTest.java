package layer45.mnet.phy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import layer45.mnet.time.ManualClock;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Packets cross a memory link, a fault injector and a pcap writer without allocating on the heap. */
@Timeout(60)
class AllocationFreeTest {

    private static final int PACKETS = 20_000;

    @TempDir
    Path directory;

    private final byte[] packet = TestPackets.ipv4Udp(50000, 50001, new byte[100]);
    private final TxWriter writer = buffer -> buffer.put(0, packet);
    private long received;
    private final RxHandler handler = (protocol, buffer) -> received += buffer.get(9);

    @Test
    void aStackOfDevicesAllocatesNothingPerPacket() {
        com.sun.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean()
                instanceof com.sun.management.ThreadMXBean bean && bean.isThreadAllocatedMemorySupported() ? bean
                : null;
        Assumptions.assumeTrue(threads != null, "this JVM does not count allocated bytes per thread");
        ManualClock clock = new ManualClock();
        try (MemoryLink link = MemoryLink.create(new MemoryLinkOptions("alloc", 1500, 64), clock);
                PcapWriterDevice device = PcapWriterDevice.wrap(
                        FaultInjectingDevice.wrap(link.b(), FaultOptions.seeded(1).withLoss(0.01).withDuplication(0.01)
                                .withReordering(0.05).withCorruption(0.01).withDelayNanos(10_000)
                                .withJitterNanos(5_000).withRateBytesPerSecond(100_000_000), clock),
                        directory.resolve("alloc.pcap"), clock)) {
            exchange(link, device, clock); // warm up
            long before = threads.getCurrentThreadAllocatedBytes();
            exchange(link, device, clock);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < PACKETS, allocated + " bytes allocated for " + PACKETS + " packets each way");
            assertEquals(PACKETS * 2L, link.a().counters().get(MemoryLinkEvent.TX_PACKETS));
        }
    }

    private void exchange(MemoryLink link, Device device, ManualClock clock) {
        for (int i = 0; i < PACKETS; i++) {
            link.a().transmit(LinkProtocol.IPV4, packet.length, writer);
            device.transmit(LinkProtocol.IPV4, packet.length, writer);
            link.a().receive(handler);
            for (int j = 0; j < 8 && device.receive(handler); j++) {
                // drain what is due
            }
            clock.advance(2, TimeUnit.MICROSECONDS);
        }
        clock.advance(1, TimeUnit.SECONDS);
        while (device.receive(handler)) {
            // the rest
        }
        assertEquals(Device.NEVER, device.nextArrivalNanos());
        assertTrue(received != 0);
    }
}
