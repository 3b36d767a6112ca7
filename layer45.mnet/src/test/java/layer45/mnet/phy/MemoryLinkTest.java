package layer45.mnet.phy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import layer45.mnet.time.ManualClock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What one end of a memory link sends, the other receives: in order, with its protocol, within capacity. */
@Timeout(30)
class MemoryLinkTest {

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(20);

    private final ManualClock clock = new ManualClock(42);
    private MemoryLink link = MemoryLink.create(new MemoryLinkOptions("t", 1500, 4), clock);

    @AfterEach
    void close() {
        link.close();
    }

    /** A received packet copied out of the lent buffer. */
    private record Received(int protocol, byte[] bytes) {
    }

    private static boolean send(Device device, int protocol, byte[] bytes) {
        return device.transmit(protocol, bytes.length, buffer -> buffer.put(bytes));
    }

    private static Received receive(Device device) {
        List<Received> into = new ArrayList<>();
        boolean got = device.receive((protocol, packet) -> {
            byte[] bytes = new byte[packet.remaining()];
            packet.get(bytes);
            into.add(new Received(protocol, bytes));
        });
        assertEquals(got, !into.isEmpty(), "receive() answers whether it called the handler");
        return got ? into.get(0) : null;
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    @Test
    void packetsArriveInOrderWithTheirProtocolNumbers() {
        int[] protocols = { LinkProtocol.IPV4, LinkProtocol.IPV6, LinkProtocol.EXPERIMENTAL_1, 0x1234 };
        for (int i = 0; i < protocols.length; i++) {
            assertTrue(send(link.a(), protocols[i], bytes(i, i + 1, i + 2)));
        }
        for (int i = 0; i < protocols.length; i++) {
            Received received = receive(link.b());
            assertEquals(protocols[i], received.protocol());
            assertArrayEquals(bytes(i, i + 1, i + 2), received.bytes());
        }
        assertNull(receive(link.b()));
        assertEquals(4, link.a().counters().get(MemoryLinkEvent.TX_PACKETS));
        assertEquals(12, link.a().counters().get(MemoryLinkEvent.TX_BYTES));
        assertEquals(4, link.b().counters().get(MemoryLinkEvent.RX_PACKETS));
        assertEquals(12, link.b().counters().get(MemoryLinkEvent.RX_BYTES));
        assertEquals(0, link.a().counters().get(MemoryLinkEvent.RX_PACKETS), "a received nothing");
    }

    @Test
    void theLentBufferIsExactlyThePacketBigEndianFromPositionZero() {
        link.a().transmit(LinkProtocol.IPV4, 1500, buffer -> {
            assertEquals(0, buffer.position());
            assertEquals(1500, buffer.limit());
            buffer.putInt(0, 0x0A0B0C0D);
        });
        link.b().receive((protocol, packet) -> {
            assertEquals(0, packet.position());
            assertEquals(1500, packet.limit());
            assertEquals(0x0A0B0C0D, packet.getInt(0));
        });
    }

    @Test
    void theRingWrapsAroundWithoutLosingOrder() {
        for (int round = 0; round < 25; round++) {
            for (int i = 0; i < 3; i++) {
                assertTrue(send(link.a(), LinkProtocol.IPV4, bytes(round, i)));
            }
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(bytes(round, i), receive(link.b()).bytes());
            }
        }
    }

    @Test
    void aFullRingDropsAndCountsWithoutCallingTheWriter() {
        for (int i = 0; i < 4; i++) {
            assertTrue(send(link.a(), LinkProtocol.IPV4, bytes(i)));
        }
        AtomicBoolean written = new AtomicBoolean();
        assertFalse(link.a().transmit(LinkProtocol.IPV4, 1, buffer -> written.set(true)));
        assertFalse(written.get(), "the writer of a dropped packet is not called");
        assertFalse(send(link.a(), LinkProtocol.IPV4, bytes(9)));
        assertEquals(2, link.a().counters().get(MemoryLinkEvent.TX_QUEUE_FULL));
        assertEquals(4, link.a().counters().get(MemoryLinkEvent.TX_PACKETS));

        assertArrayEquals(bytes(0), receive(link.b()).bytes());
        assertTrue(send(link.a(), LinkProtocol.IPV4, bytes(4)), "a freed slot takes the next packet");
        for (int i = 1; i <= 4; i++) {
            assertArrayEquals(bytes(i), receive(link.b()).bytes());
        }
    }

    @Test
    void theTwoDirectionsAreIndependent() {
        for (int i = 0; i < 4; i++) {
            assertTrue(send(link.a(), LinkProtocol.IPV4, bytes(0xA, i)));
        }
        assertFalse(send(link.a(), LinkProtocol.IPV4, bytes(0xA, 9)), "a to b is full");
        assertTrue(send(link.b(), LinkProtocol.IPV6, bytes(0xB, 0)), "b to a still has room");
        assertEquals(LinkProtocol.IPV6, receive(link.a()).protocol());
        assertNull(receive(link.a()));
        assertArrayEquals(bytes(0xA, 0), receive(link.b()).bytes());
    }

    @Test
    void nextArrivalIsNowWhileAPacketWaitsAndNeverOtherwise() {
        assertEquals(Device.NEVER, link.b().nextArrivalNanos());
        send(link.a(), LinkProtocol.IPV4, bytes(1));
        assertEquals(42, link.b().nextArrivalNanos());
        assertEquals(Device.NEVER, link.a().nextArrivalNanos(), "nothing travels towards a");
        clock.advance(8, TimeUnit.NANOSECONDS);
        assertEquals(50, link.b().nextArrivalNanos());
        receive(link.b());
        assertEquals(Device.NEVER, link.b().nextArrivalNanos());
    }

    @Test
    void rejectsLengthsOutsideOneToMtu() {
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> link.a().transmit(LinkProtocol.IPV4, 1501, buffer -> { }));
        assertTrue(tooLong.getMessage().contains("1501"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> link.a().transmit(LinkProtocol.IPV4, 0, buffer -> { }));
    }

    @Test
    void capabilitiesNameTheEnds() {
        assertEquals("memory t a", link.a().capabilities().name());
        assertEquals("memory t b", link.b().capabilities().name());
        assertEquals(1500, link.b().capabilities().mtu());
        assertEquals(DeviceCapabilities.Offloads.NONE, link.a().capabilities().offloads());
    }

    @Test
    void optionsAreValidatedWithTheOffendingValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MemoryLinkOptions("x", 1500, 0))
                .getMessage().contains("capacity 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MemoryLinkOptions("x", 1000, 4))
                .getMessage().contains("MTU 1000"));
        assertThrows(IllegalArgumentException.class, () -> new MemoryLinkOptions(" ", 1500, 4));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MemoryLinkOptions("x", 65520, 1 << 20))
                .getMessage().contains("lower the capacity"));
    }

    // ---- waiting across threads

    /** Starts a thread that runs {@code await} on {@code device} and waits until it blocks (bounded). */
    private static Thread awaitInThread(Device device, AtomicBoolean returned) throws InterruptedException {
        Thread waiter = new Thread(() -> {
            try {
                device.await(LONG_WAIT);
                returned.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "await " + device);
        waiter.setDaemon(true);
        waiter.start();
        for (int i = 0; i < 2_000 && waiter.getState() != Thread.State.TIMED_WAITING && waiter.isAlive(); i++) {
            Thread.sleep(5);
        }
        assertEquals(Thread.State.TIMED_WAITING, waiter.getState(), "the waiter blocks in await");
        return waiter;
    }

    private static void assertEnds(Thread waiter, AtomicBoolean returned) throws InterruptedException {
        waiter.join(TimeUnit.NANOSECONDS.toMillis(LONG_WAIT) / 2);
        assertFalse(waiter.isAlive(), "await returned before its timeout");
        assertTrue(returned.get());
    }

    @Test
    void awaitReturnsWhenThePeerTransmitsFromItsThread() throws InterruptedException {
        AtomicBoolean returned = new AtomicBoolean();
        Thread waiter = awaitInThread(link.b(), returned);
        send(link.a(), LinkProtocol.IPV4, bytes(1));
        assertEnds(waiter, returned);
        assertArrayEquals(bytes(1), receive(link.b()).bytes());
    }

    @Test
    void wakeupFromAnotherThreadEndsAWait() throws InterruptedException {
        AtomicBoolean returned = new AtomicBoolean();
        Thread waiter = awaitInThread(link.b(), returned);
        link.b().wakeup();
        assertEnds(waiter, returned);
        assertNull(receive(link.b()));
    }

    @Test
    void aWakeupBeforeAwaitMakesTheNextAwaitReturnAtOnceOnlyOnce() throws InterruptedException {
        link.b().wakeup();
        link.b().await(LONG_WAIT); // the class timeout bounds this if the wakeup were lost
        AtomicBoolean returned = new AtomicBoolean();
        Thread waiter = awaitInThread(link.b(), returned); // asserts that this await blocks
        link.b().wakeup();
        assertEnds(waiter, returned);
    }

    @Test
    void awaitReturnsAtOnceWhileAPacketWaitsAndAfterItsTimeout() throws InterruptedException {
        link.b().await(0);
        link.b().await(TimeUnit.MILLISECONDS.toNanos(1)); // nothing arrives: returns after its timeout
        send(link.a(), LinkProtocol.IPV4, bytes(1));
        link.b().await(LONG_WAIT); // bounded by the class timeout
        assertArrayEquals(bytes(1), receive(link.b()).bytes());
    }

    // ---- closing

    @Test
    void closingOneEndClosesBoth() throws InterruptedException {
        send(link.a(), LinkProtocol.IPV4, bytes(1));
        assertNull(link.b().failure());
        link.a().close();
        assertTrue(link.isClosed());
        assertFalse(send(link.b(), LinkProtocol.IPV4, bytes(2)));
        assertFalse(send(link.a(), LinkProtocol.IPV4, bytes(3)));
        assertNull(receive(link.b()), "waiting packets are discarded");
        assertNull(receive(link.a()));
        assertEquals(Device.NEVER, link.b().nextArrivalNanos());
        assertTrue(link.b().failure().startsWith("link closed"), link.b().failure());
        assertTrue(link.a().failure().contains("memory link t"), link.a().failure());
        assertEquals(1, link.b().counters().get(MemoryLinkEvent.TX_LINK_CLOSED));
        link.b().await(LONG_WAIT); // returns at once on a closed link; bounded by the class timeout
        link.b().close(); // idempotent
    }

    @Test
    void closingWakesAThreadWaitingOnTheOtherEnd() throws InterruptedException {
        AtomicBoolean returned = new AtomicBoolean();
        Thread waiter = awaitInThread(link.b(), returned);
        link.a().close();
        assertEnds(waiter, returned);
    }

    @Test
    void twoThreadsStreamManyPacketsInOrderThroughASmallRing() throws InterruptedException {
        link = MemoryLink.create(new MemoryLinkOptions("stream", 1500, 8), clock);
        int count = 20_000;
        int[] next = { 0 };
        AtomicBoolean inOrder = new AtomicBoolean(true);
        RxHandler check = (protocol, packet) -> {
            if (packet.getInt(0) != next[0]++) {
                inOrder.set(false);
            }
        };
        Thread receiver = new Thread(() -> {
            try {
                for (int rounds = 0; next[0] < count && rounds < 10 * count; rounds++) {
                    while (link.b().receive(check)) {
                        // check() counts
                    }
                    link.b().await(TimeUnit.MILLISECONDS.toNanos(100));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "receiver");
        receiver.start();
        ByteBuffer number = ByteBuffer.allocate(4);
        int sent = 0;
        for (int attempts = 0; sent < count && attempts < 10_000 * count; attempts++) {
            number.putInt(0, sent);
            if (link.a().transmit(LinkProtocol.IPV4, 4, buffer -> buffer.put(0, number, 0, 4))) {
                sent++;
            } else {
                Thread.onSpinWait(); // the ring is full until the receiver catches up
            }
        }
        receiver.join(20_000);
        assertFalse(receiver.isAlive());
        assertEquals(count, sent);
        assertEquals(count, link.b().counters().get(MemoryLinkEvent.RX_PACKETS), "every packet arrived once");
        assertTrue(inOrder.get(), "in order");
        assertEquals(count, link.a().counters().get(MemoryLinkEvent.TX_PACKETS), "refused sends are not counted sent");
    }
}
