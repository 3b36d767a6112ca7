package layer45.mnet.phy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import layer45.mnet.time.ManualClock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults on the receive side of a memory link, driven by a manual clock the way a deterministic stack driver runs:
 * deliver what is due, then jump the clock to {@code nextArrivalNanos()}.
 */
@Timeout(60)
class FaultInjectingDeviceTest {

    private static final long MS = 1_000_000;

    /** A packet the simulated stack received, copied out, with the clock reading it was received at. */
    private record Delivery(long atNanos, int protocol, byte[] bytes) {
        int number() {
            return ByteBuffer.wrap(bytes).getInt(0);
        }

        @Override
        public String toString() {
            return atNanos + " " + LinkProtocol.name(protocol) + " " + HexFormat.of().formatHex(bytes);
        }
    }

    /** One end of a memory link sends numbered packets; the other end, behind the faults, receives them. */
    private static final class Simulation implements AutoCloseable {
        final ManualClock clock = new ManualClock();
        final MemoryLink link = MemoryLink.create(new MemoryLinkOptions("sim", 1500, 64), clock);
        final FaultInjectingDevice device;
        final List<Delivery> deliveries = new ArrayList<>();
        private final RxHandler recorder = (protocol, packet) -> {
            byte[] bytes = new byte[packet.remaining()];
            packet.get(bytes);
            deliveries.add(new Delivery(clock.nanos(), protocol, bytes));
        };

        Simulation(FaultOptions faults) {
            device = FaultInjectingDevice.wrap(link.b(), faults, clock);
        }

        void send(int number, int length) {
            assertTrue(link.a().transmit(LinkProtocol.EXPERIMENTAL_1, length,
                    buffer -> buffer.put(packet(number, length))));
        }

        boolean receiveOne() {
            return device.receive(recorder);
        }

        void deliverDue() {
            for (int i = 0; i < 100_000 && device.receive(recorder); i++) {
                // recorder keeps it
            }
        }

        /** Delivers every release up to {@code instant}, in order, then leaves the clock there. */
        void runUntil(long instant) {
            for (int i = 0; i < 100_000; i++) {
                long next = device.nextArrivalNanos();
                if (next > instant) {
                    break;
                }
                clock.advanceTo(next);
                deliverDue();
            }
            clock.advanceTo(instant);
        }

        /** Sends {@code count} packets {@code gapNanos} apart, delivering as it goes, then until nothing is held. */
        Simulation run(int count, int length, long gapNanos) {
            for (int i = 0; i < count; i++) {
                send(i, length);
                deliverDue();
                runUntil(clock.nanos() + gapNanos);
            }
            runUntil(Device.NEVER - 1);
            assertEquals(0, device.held());
            return this;
        }

        List<Integer> numbers() {
            return deliveries.stream().map(Delivery::number).toList();
        }

        long count(FaultEvent event) {
            return device.counters().get(event);
        }

        @Override
        public void close() {
            device.close();
        }
    }

    static byte[] packet(int number, int length) {
        ByteBuffer packet = ByteBuffer.allocate(length).putInt(number);
        while (packet.hasRemaining()) {
            packet.put((byte) (number * 7 + packet.position()));
        }
        return packet.array();
    }

    private static Simulation run(FaultOptions faults, int count, int length, long gapNanos) {
        try (Simulation simulation = new Simulation(faults)) {
            return simulation.run(count, length, gapNanos);
        }
    }

    /** Asserts that {@code actual} events in {@code trials} are within five standard deviations of {@code p}. */
    private static void assertBinomial(String what, long actual, int trials, double p) {
        double mean = trials * p;
        double tolerance = 5 * Math.sqrt(trials * p * (1 - p));
        assertTrue(Math.abs(actual - mean) <= tolerance, what + ": " + actual + " of " + trials + ", expected "
                + mean + " ± " + tolerance + " (5σ of the binomial distribution)");
    }

    // ---- no faults

    @Test
    void withoutFaultsEveryPacketPassesUnchangedInOrderAtOnce() {
        Simulation simulation = run(FaultOptions.NONE, 1_000, 100, 1_000);
        assertEquals(1_000, simulation.deliveries.size());
        for (int i = 0; i < 1_000; i++) {
            Delivery delivery = simulation.deliveries.get(i);
            assertEquals(i * 1_000L, delivery.atNanos(), "received when sent");
            assertEquals(LinkProtocol.EXPERIMENTAL_1, delivery.protocol());
            assertArrayEquals(packet(i, 100), delivery.bytes());
        }
        assertEquals(1_000, simulation.count(FaultEvent.RECEIVED));
        assertEquals(1_000, simulation.count(FaultEvent.PASSED));
        assertEquals(2_000, simulation.device.counters().total(), "nothing else happened");
        assertTrue(FaultOptions.NONE.isNone());
    }

    // ---- determinism

    private static final FaultOptions EVERYTHING = FaultOptions.seeded(42).withLoss(0.05).withDuplication(0.05)
            .withReordering(0.1).withCorruption(0.05).withDelayNanos(2 * MS).withJitterNanos(MS)
            .withRateBytesPerSecond(10_000_000).withQueueCapacity(64);

    @Test
    void theSameSeedGivesTheSameOutcome() {
        Simulation first = run(EVERYTHING, 3_000, 200, 20_000);
        Simulation second = run(EVERYTHING, 3_000, 200, 20_000);
        assertEquals(first.deliveries.toString(), second.deliveries.toString());
        assertEquals(first.device.counters().snapshot(), second.device.counters().snapshot());
        for (FaultEvent event : FaultEvent.values()) {
            assertTrue(first.count(event) > 0, "the run exercises " + event + ": " + first.device.counters());
        }

        Simulation otherSeed = run(EVERYTHING.withSeed(43), 3_000, 200, 20_000);
        assertNotEquals(first.deliveries.toString(), otherSeed.deliveries.toString());
    }

    @Test
    void whichPacketsAreLostDoesNotDependOnTheOtherFaults() {
        FaultOptions lossOnly = FaultOptions.seeded(7).withLoss(0.2);
        Set<Integer> alone = new TreeSet<>(run(lossOnly, 2_000, 64, 10_000).numbers());
        Set<Integer> withOthers = new TreeSet<>(run(lossOnly.withDuplication(0.3).withReordering(0.3)
                .withJitterNanos(MS), 2_000, 64, 10_000).numbers());
        assertEquals(alone, withOthers);
    }

    // ---- loss, duplication, corruption, reordering

    @ParameterizedTest
    @ValueSource(doubles = { 0.01, 0.1, 0.5 })
    void lossDropsTheConfiguredShare(double loss) {
        int count = 10_000;
        Simulation simulation = run(FaultOptions.seeded(1).withLoss(loss), count, 40, 1_000);
        long lost = count - simulation.deliveries.size();
        assertEquals(lost, simulation.count(FaultEvent.LOST));
        assertBinomial("lost", lost, count, loss);
        List<Integer> numbers = simulation.numbers();
        for (int i = 1; i < numbers.size(); i++) {
            assertTrue(numbers.get(i - 1) < numbers.get(i), "survivors keep their order");
        }
    }

    @Test
    void duplicationDeliversAnIdenticalSecondCopyRightAfterTheFirst() {
        Simulation simulation = run(FaultOptions.seeded(2).withDuplication(1), 100, 64, 1_000);
        assertEquals(200, simulation.deliveries.size());
        for (int i = 0; i < 100; i++) {
            assertArrayEquals(packet(i, 64), simulation.deliveries.get(2 * i).bytes());
            assertArrayEquals(packet(i, 64), simulation.deliveries.get(2 * i + 1).bytes());
        }
        assertEquals(100, simulation.count(FaultEvent.DUPLICATED));
        assertEquals(200, simulation.count(FaultEvent.PASSED));
    }

    @Test
    void duplicationCopiesTheConfiguredShare() {
        Simulation simulation = run(FaultOptions.seeded(3).withDuplication(0.1), 10_000, 40, 1_000);
        long duplicates = simulation.deliveries.size() - 10_000;
        assertEquals(duplicates, simulation.count(FaultEvent.DUPLICATED));
        assertBinomial("duplicated", duplicates, 10_000, 0.1);
    }

    @Test
    void corruptionFlipsExactlyOneBitOfARandomByte() {
        int length = 64;
        Simulation simulation = run(FaultOptions.seeded(4).withCorruption(1), 2_000, length, 1_000);
        assertEquals(2_000, simulation.count(FaultEvent.CORRUPTED));
        Set<Integer> bytesHit = new HashSet<>();
        Set<Integer> bitsHit = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            byte[] sent = packet(i, length);
            byte[] received = simulation.deliveries.get(i).bytes();
            int flipped = 0;
            for (int j = 0; j < length; j++) {
                int difference = (sent[j] ^ received[j]) & 0xFF;
                flipped += Integer.bitCount(difference);
                if (difference != 0) {
                    bytesHit.add(j);
                    bitsHit.add(Integer.numberOfTrailingZeros(difference));
                }
            }
            assertEquals(1, flipped, "packet " + i + " differs in exactly one bit");
        }
        assertEquals(length, bytesHit.size(), "every byte position gets hit over 2000 packets");
        assertEquals(8, bitsHit.size());
    }

    @Test
    void corruptionHitsTheConfiguredShare() {
        Simulation simulation = run(FaultOptions.seeded(5).withCorruption(0.05), 10_000, 40, 1_000);
        long corrupted = 0;
        for (int i = 0; i < 10_000; i++) {
            corrupted += java.util.Arrays.equals(packet(i, 40), simulation.deliveries.get(i).bytes()) ? 0 : 1;
        }
        assertEquals(corrupted, simulation.count(FaultEvent.CORRUPTED));
        assertBinomial("corrupted", corrupted, 10_000, 0.05);
    }

    @Test
    void reorderingLetsLaterPacketsOvertakeAHeldOne() {
        int count = 2_000;
        Simulation simulation = run(FaultOptions.seeded(6).withReordering(0.1), count, 64, 100_000);
        List<Integer> numbers = simulation.numbers();
        assertEquals(count, numbers.size(), "reordering loses nothing");
        assertEquals(count, new HashSet<>(numbers).size(), "and copies nothing");
        int overtaken = 0;
        int highest = -1;
        for (int number : numbers) {
            if (number < highest) {
                overtaken++;
            }
            highest = Math.max(highest, number);
        }
        assertTrue(overtaken > 0, "some packets arrive after a later one");
        assertTrue(overtaken <= simulation.count(FaultEvent.REORDERED),
                "only held packets are overtaken: " + overtaken + " > " + simulation.count(FaultEvent.REORDERED));
        assertBinomial("reordered", simulation.count(FaultEvent.REORDERED), count, 0.1);
    }

    // ---- time: delay, jitter, rate

    @Test
    void delayIsVisibleThroughNextArrivalAndTheClock() {
        try (Simulation simulation = new Simulation(FaultOptions.seeded(7).withDelayNanos(5 * MS))) {
            assertEquals(Device.NEVER, simulation.device.nextArrivalNanos());
            simulation.send(0, 100);
            assertEquals(5 * MS, simulation.device.nextArrivalNanos());
            assertFalse(simulation.receiveOne(), "not yet released");
            simulation.clock.advanceTo(5 * MS - 1);
            assertFalse(simulation.receiveOne());
            assertEquals(5 * MS, simulation.device.nextArrivalNanos());
            simulation.clock.advanceTo(5 * MS);
            assertTrue(simulation.receiveOne());
            assertEquals(Device.NEVER, simulation.device.nextArrivalNanos());
            assertEquals(1, simulation.count(FaultEvent.DELAYED));
        }
    }

    @Test
    void jitterSpreadsReleasesOverDelayToDelayPlusJitter() {
        try (Simulation simulation = new Simulation(FaultOptions.seeded(8).withDelayNanos(2 * MS)
                .withJitterNanos(MS))) {
            Set<Long> delays = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                long sent = simulation.clock.nanos();
                simulation.send(i, 100);
                long release = simulation.device.nextArrivalNanos();
                assertTrue(release >= sent + 2 * MS && release <= sent + 3 * MS, "released after " + (release - sent));
                delays.add(release - sent);
                simulation.clock.advanceTo(release);
                assertTrue(simulation.receiveOne());
                simulation.clock.advance(10, TimeUnit.MILLISECONDS);
            }
            assertTrue(delays.size() > 400, "jitter varies: " + delays.size() + " distinct delays of 500");
        }
    }

    @Test
    void theRateLimitReleasesEachPacketWhenItsBytesHaveCrossedTheBottleneck() {
        try (Simulation simulation = new Simulation(FaultOptions.seeded(9).withRateBytesPerSecond(1_000_000))) {
            int[] lengths = { 1_000, 500, 1_500, 1_000 };
            for (int i = 0; i < lengths.length; i++) {
                simulation.send(i, lengths[i]);
            }
            long[] releases = { MS, 1_500_000, 3 * MS, 4 * MS }; // cumulative bytes / 1 MB/s
            for (int i = 0; i < releases.length; i++) {
                assertEquals(releases[i], simulation.device.nextArrivalNanos());
                simulation.clock.advanceTo(releases[i]);
                assertTrue(simulation.receiveOne());
                assertFalse(simulation.receiveOne(), "the next packet is still on the bottleneck");
            }
            assertEquals(List.of(0, 1, 2, 3), simulation.numbers());

            simulation.clock.advanceTo(10 * MS); // the bottleneck is idle: a new packet starts when it arrives
            simulation.send(4, 250);
            assertEquals(10 * MS + 250_000, simulation.device.nextArrivalNanos());
        }
    }

    @Test
    void aFullQueueTailDropsAndCountsQueueFull() {
        try (Simulation simulation = new Simulation(FaultOptions.seeded(10).withDelayNanos(MS)
                .withQueueCapacity(3))) {
            for (int i = 0; i < 5; i++) {
                simulation.send(i, 100);
            }
            simulation.runUntil(Device.NEVER - 1);
            assertEquals(List.of(0, 1, 2), simulation.numbers());
            assertEquals(2, simulation.count(FaultEvent.QUEUE_FULL));
            assertEquals(0, simulation.count(FaultEvent.RATE_DROPPED));
        }
    }

    @Test
    void aFullQueueBehindARateLimitCountsRateDropped() {
        try (Simulation simulation = new Simulation(FaultOptions.seeded(11).withRateBytesPerSecond(100_000)
                .withQueueCapacity(3))) {
            for (int i = 0; i < 5; i++) {
                simulation.send(i, 100);
            }
            simulation.runUntil(Device.NEVER - 1);
            assertEquals(List.of(0, 1, 2), simulation.numbers());
            assertEquals(2, simulation.count(FaultEvent.RATE_DROPPED));
            assertEquals(0, simulation.count(FaultEvent.QUEUE_FULL));
            assertEquals(3 * MS, simulation.deliveries.get(2).atNanos(), "dropped packets took no bottleneck time");
        }
    }

    // ---- the rest of the device

    @Test
    void awaitReturnsAtOnceWhenAPacketIsDueAndWaitsNoLongerThanTheNextRelease() throws InterruptedException {
        try (Simulation simulation = new Simulation(FaultOptions.seeded(12).withDelayNanos(MS))) {
            simulation.send(0, 100);
            // The next release is 1 ms away on the clock: the wait is capped there, not at 20 s (class timeout).
            simulation.device.await(TimeUnit.SECONDS.toNanos(20));
            simulation.clock.advanceTo(MS);
            simulation.device.await(TimeUnit.SECONDS.toNanos(20)); // due: returns at once
            assertTrue(simulation.receiveOne());
        }
    }

    @Test
    void transmitAndTheRestGoToTheInnerDevice() {
        try (Simulation simulation = new Simulation(EVERYTHING)) {
            FaultInjectingDevice device = simulation.device;
            assertSame(simulation.link.b().capabilities(), device.capabilities());
            assertSame(simulation.link.b(), device.inner());
            assertTrue(device.transmit(LinkProtocol.IPV6, 3, buffer -> buffer.put(new byte[] { 1, 2, 3 })));
            assertTrue(simulation.link.a().receive((protocol, packet) -> {
                assertEquals(LinkProtocol.IPV6, protocol);
                assertEquals(3, packet.remaining());
            }), "transmit is not disturbed");
            device.close();
            assertTrue(simulation.link.isClosed());
            assertTrue(device.failure().startsWith("link closed"));
        }
    }

    @Test
    void optionsAreValidatedWithTheOffendingValue() {
        assertMessage("loss is 1.5", () -> FaultOptions.NONE.withLoss(1.5));
        assertMessage("duplication is NaN", () -> FaultOptions.NONE.withDuplication(Double.NaN));
        assertMessage("reordering is -0.1", () -> FaultOptions.NONE.withReordering(-0.1));
        assertMessage("corruption is 2.0", () -> FaultOptions.NONE.withCorruption(2));
        assertMessage("delayNanos is -1", () -> FaultOptions.NONE.withDelayNanos(-1));
        assertMessage("jitterNanos is 3600000000001", () -> FaultOptions.NONE.withJitterNanos(3_600_000_000_001L));
        assertMessage("rateBytesPerSecond is -5", () -> FaultOptions.NONE.withRateBytesPerSecond(-5));
        assertMessage("queueCapacity is 0", () -> FaultOptions.NONE.withQueueCapacity(0));
        assertTrue(FaultOptions.seeded(3).isNone());
        assertFalse(FaultOptions.NONE.withRateBytesPerSecond(1).isNone());
        assertEquals(3, FaultOptions.seeded(3).seed());
    }

    @Test
    void aQueueTooLargeToPreallocateIsRefused() {
        try (MemoryLink link = MemoryLink.create(new MemoryLinkOptions("big", 65520, 1), new ManualClock())) {
            assertMessage("lower queueCapacity",
                    () -> FaultInjectingDevice.wrap(link.b(), FaultOptions.NONE.withQueueCapacity(20_000),
                            new ManualClock()));
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable executable) {
        String message = assertThrows(IllegalArgumentException.class, executable).getMessage();
        assertTrue(message.contains(expected), message);
    }
}
