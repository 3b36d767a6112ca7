package layer45.mnet.phy.linux;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static layer45.mnet.phy.linux.TestPackets.IPPROTO_ICMP;
import static layer45.mnet.phy.linux.TestPackets.IPPROTO_ICMPV6;
import static layer45.mnet.phy.linux.TestPackets.IPPROTO_UDP;
import static layer45.mnet.phy.linux.TestPackets.address;
import static layer45.mnet.phy.linux.TestPackets.checksum;
import static layer45.mnet.phy.linux.TestPackets.ipv6PseudoHeaderSum;
import static layer45.mnet.phy.linux.TestPackets.slice;
import static layer45.mnet.phy.linux.TestPackets.tail;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import layer45.mnet.phy.Device;
import layer45.mnet.phy.DeviceCapabilities;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.testing.TestNamespace;

/**
 * A real TUN device in a namespace of its own (root only; skipped with the reason elsewhere). The namespace holds
 * only {@code lo} and the device, so the test traffic (10.77.0.0/24, fd77::/64) reaches nothing else.
 */
@Timeout(60)
class TunDeviceTest {

    private static final String LINK = "mnet0";
    private static final int MTU = 65520;
    private static final int QUEUE_LENGTH = 777;

    private LinkConfigurator links;
    private TestNamespace namespace;
    private TunDevice tun;

    @BeforeEach
    void openAndConfigure() throws TunException {
        TestNamespace.assumeTunAvailable();
        links = new LinkConfigurator();
        namespace = TestNamespace.create();
        tun = TunDevice.open(new TunOptions("l45t%d", MTU));
        links.moveToNamespace(tun.name(), namespace.name());
        links.rename(namespace.name(), tun.name(), LINK);
        links.setMtu(namespace.name(), LINK, MTU);
        links.setTxQueueLength(namespace.name(), LINK, QUEUE_LENGTH);
        links.addAddress(namespace.name(), LINK, "10.77.0.1/24");
        links.addAddress(namespace.name(), LINK, "fd77::1/64");
        links.up(namespace.name(), LINK);
        links.addRoute(namespace.name(), "10.78.0.0/16", LINK);
        links.addRoute(namespace.name(), "fd78::/64", LINK);
    }

    @AfterEach
    void closeAndDelete() {
        try {
            if (tun != null) {
                tun.close();
            }
        } finally {
            if (namespace != null) {
                namespace.close();
            }
        }
    }

    @Test
    void reportsItsCapabilities() {
        assertTrue(tun.name().matches("l45t\\d+"), tun.name());
        assertEquals(new DeviceCapabilities(MTU, "tun " + tun.name(), DeviceCapabilities.Offloads.NONE),
                tun.capabilities());
        assertEquals(Device.NEVER, tun.nextArrivalNanos());
        assertNull(tun.failure());
    }

    @Test
    void appliesMtuQueueLengthAddressesAndRoutes() {
        links.addRoute(namespace.name(), "default", LINK);
        links.addRoute(namespace.name(), "::/0", LINK);
        String link = ip("-d", "link", "show", "dev", LINK);
        assertTrue(link.contains(" mtu 65520 "), link);
        assertTrue(link.contains(" qlen 777"), link);
        assertTrue(link.contains("state UNKNOWN") || link.contains(",UP"), link);
        assertTrue(link.contains("tun type tun pi off"), link);
        String addresses = ip("addr", "show", "dev", LINK);
        assertTrue(addresses.contains("inet 10.77.0.1/24 "), addresses);
        assertTrue(addresses.contains("inet6 fd77::1/64 "), addresses);
        String loopback = ip("link", "show", "dev", "lo");
        assertTrue(loopback.contains(",UP"), loopback);
        String routes4 = ip("-4", "route", "show");
        assertTrue(routes4.contains("default dev mnet0"), routes4);
        assertTrue(routes4.contains("10.78.0.0/16 dev mnet0"), routes4);
        String routes6 = ip("-6", "route", "show");
        assertTrue(routes6.contains("default dev mnet0"), routes6);
        assertTrue(routes6.contains("fd78::/64 dev mnet0"), routes6);
    }

    @Test
    void receivesAUdpDatagramSentInTheNamespace() throws InterruptedException {
        namespace.exec("bash", "-c", "echo hello > /dev/udp/10.77.0.2/9999").requireSuccess();
        byte[] packet = receiveFirst((protocol, p) -> protocol == LinkProtocol.IPV4 && p[9] == IPPROTO_UDP
                && ByteBuffer.wrap(p).getShort(22) == 9999);
        int headerLength = (packet[0] & 0x0F) * 4;
        assertArrayEquals(address("10.77.0.1"), slice(packet, 12, 4));
        assertArrayEquals(address("10.77.0.2"), slice(packet, 16, 4));
        assertEquals(packet.length, ByteBuffer.wrap(packet).getShort(2));
        assertEquals("hello\n", new String(tail(packet, headerLength + 8), StandardCharsets.US_ASCII));
        assertTrue(tun.counters().get(TunEvent.RX_PACKETS) >= 1);
        assertTrue(tun.counters().get(TunEvent.RX_BYTES) >= packet.length);
    }

    @Test
    void receivesAnIpv6UdpDatagramSentInTheNamespace() throws InterruptedException {
        namespace.exec("bash", "-c", "echo hello6 > /dev/udp/fd77::2/9999").requireSuccess();
        byte[] packet = receiveFirst((protocol, p) -> protocol == LinkProtocol.IPV6 && p[6] == IPPROTO_UDP
                && ByteBuffer.wrap(p).getShort(42) == 9999);
        assertArrayEquals(address("fd77::1"), slice(packet, 8, 16));
        assertArrayEquals(address("fd77::2"), slice(packet, 24, 16));
        assertEquals(packet.length - 40, ByteBuffer.wrap(packet).getShort(4));
        assertEquals("hello6\n", new String(tail(packet, 48), StandardCharsets.US_ASCII));
    }

    @Test
    void transmitsAnEchoRequestAndReceivesTheKernelsReply() throws InterruptedException {
        byte[] data = "layer45 ping v4!".getBytes(StandardCharsets.US_ASCII);
        byte[] request = TestPackets.ipv4EchoRequest("10.77.0.2", "10.77.0.1", 0x4c45, 7, data);

        assertTrue(tun.transmit(LinkProtocol.IPV4, request.length, buffer -> buffer.put(request)));

        byte[] reply = receiveFirst((protocol, p) -> protocol == LinkProtocol.IPV4 && p[9] == IPPROTO_ICMP
                && p[20] == 0 && ByteBuffer.wrap(p).getShort(24) == 0x4c45);
        assertArrayEquals(address("10.77.0.1"), slice(reply, 12, 4));
        assertArrayEquals(address("10.77.0.2"), slice(reply, 16, 4));
        assertEquals(0, checksum(reply, 0, 20, 0), "IPv4 header checksum");
        assertEquals(0, checksum(reply, 20, reply.length - 20, 0), "ICMP checksum");
        assertEquals(7, ByteBuffer.wrap(reply).getShort(26));
        assertArrayEquals(data, tail(reply, 28));
        assertEquals(1, tun.counters().get(TunEvent.TX_PACKETS));
        assertEquals(request.length, tun.counters().get(TunEvent.TX_BYTES));
    }

    @Test
    void transmitsAnIpv6EchoRequestAndReceivesTheKernelsReply() throws InterruptedException {
        byte[] data = "layer45 ping v6!".getBytes(StandardCharsets.US_ASCII);
        byte[] request = TestPackets.ipv6EchoRequest("fd77::2", "fd77::1", 0x4c46, 9, data);

        assertTrue(tun.transmit(LinkProtocol.IPV6, request.length, buffer -> buffer.put(request)));

        byte[] reply = receiveFirst((protocol, p) -> protocol == LinkProtocol.IPV6 && p[6] == IPPROTO_ICMPV6
                && (p[40] & 0xFF) == 129 && ByteBuffer.wrap(p).getShort(44) == 0x4c46);
        assertArrayEquals(address("fd77::1"), slice(reply, 8, 16));
        assertArrayEquals(address("fd77::2"), slice(reply, 24, 16));
        int payload = reply.length - 40;
        assertEquals(0, checksum(reply, 40, payload, ipv6PseudoHeaderSum(reply, payload, IPPROTO_ICMPV6)),
                "ICMPv6 checksum");
        assertEquals(9, ByteBuffer.wrap(reply).getShort(46));
        assertArrayEquals(data, tail(reply, 48));
    }

    @Test
    void countsWhatItCannotCarry() {
        boolean[] written = new boolean[1];
        assertFalse(tun.transmit(LinkProtocol.EXPERIMENTAL_1, 40, buffer -> written[0] = true));
        assertFalse(written[0], "the writer of a packet the device cannot carry is not called");
        assertEquals(1, tun.counters().get(TunEvent.TX_UNSUPPORTED_PROTOCOL));

        // The kernel tells IPv4 from IPv6 by the version nibble and refuses anything else (EINVAL).
        assertFalse(tun.transmit(LinkProtocol.IPV4, 40, buffer -> buffer.put(new byte[40])));
        assertEquals(1, tun.counters().get(TunEvent.TX_REJECTED));
        assertNull(tun.failure(), "a refused packet does not break the device");

        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> tun.transmit(LinkProtocol.IPV4, MTU + 1, buffer -> { }));
        assertTrue(tooLong.getMessage().startsWith("packet length 65521 is outside 1..65520 of TUN device l45t"),
                tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tun.transmit(LinkProtocol.IPV4, 0, buffer -> { }));
        assertEquals(0, tun.counters().get(TunEvent.TX_PACKETS));
    }

    @Test
    void countsAndSkipsPacketsLongerThanTheStacksMtu() throws TunException, InterruptedException {
        // The stack's MTU is 1280 while the link's is 9000: the kernel sends what the link allows.
        try (TunDevice small = TunDevice.open(new TunOptions("l45t%d", 1280))) {
            links.moveToNamespace(small.name(), namespace.name());
            links.setMtu(namespace.name(), small.name(), 9000);
            links.addAddress(namespace.name(), small.name(), "10.88.0.1/24");
            links.up(namespace.name(), small.name());
            namespace.exec("bash", "-c", "head -c 2000 /dev/zero > /dev/udp/10.88.0.2/9999").requireSuccess();
            for (int round = 0; round < 100 && small.counters().get(TunEvent.RX_TOO_LONG) == 0; round++) {
                small.await(MILLISECONDS.toNanos(100));
                for (int i = 0; i < 100 && small.receive((protocol, packet) -> { }); i++) {
                    // only the link-up packets of IPv6 fit
                }
            }
            assertEquals(1, small.counters().get(TunEvent.RX_TOO_LONG), small.counters()::toString);
            assertNull(small.failure());
        }
    }

    @Test
    void lendsABigEndianBufferOfExactlyTheRequestedLength() {
        byte[] request = TestPackets.ipv4EchoRequest("10.77.0.2", "10.77.0.1", 1, 1, new byte[3]);
        AtomicReference<String> seen = new AtomicReference<>();
        assertTrue(tun.transmit(LinkProtocol.IPV4, request.length, buffer -> {
            seen.set(buffer.position() + "/" + buffer.limit() + "/" + buffer.order());
            buffer.order(java.nio.ByteOrder.LITTLE_ENDIAN).put(request);
        }));
        assertEquals("0/31/BIG_ENDIAN", seen.get());
        assertTrue(tun.transmit(LinkProtocol.IPV4, request.length, buffer -> {
            seen.set(buffer.position() + "/" + buffer.limit() + "/" + buffer.order());
            buffer.put(request);
        }));
        assertEquals("0/31/BIG_ENDIAN", seen.get(), "a handler's changes do not leak into the next packet");
    }

    @Test
    void awaitReturnsAfterWakeupFromAnotherThread() throws InterruptedException {
        Thread waker = Thread.ofPlatform().name("waker").start(tun::wakeup);
        waker.join(SECONDS.toMillis(10));
        // Packets the kernel sends at link-up may end a wait early (allowed); wait until the wakeup was seen.
        for (int round = 0; round < 100 && tun.counters().get(TunEvent.WAKEUPS) == 0; round++) {
            drain();
            tun.await(SECONDS.toNanos(30));
        }
        assertEquals(1, tun.counters().get(TunEvent.WAKEUPS));
    }

    @Test
    void awaitReturnsAfterTheTimeout() throws InterruptedException {
        tun.await(0);
        tun.await(MILLISECONDS.toNanos(50));
        tun.await(-1);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> tun.await(SECONDS.toNanos(30)));
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt is consumed as InterruptedException");
    }

    @Test
    void closeRemovesTheDeviceAndLaterCallsDoNothing() throws InterruptedException {
        assertEquals(0, ipResult("link", "show", "dev", LINK).exitCode());
        tun.close();
        CommandResult gone = ipResult("link", "show", "dev", LINK);
        assertNotEquals(0, gone.exitCode(), gone::toString);
        assertTrue(gone.stderr().contains("does not exist"), gone::toString);

        tun.close();
        assertFalse(tun.receive((protocol, packet) -> { }));
        assertFalse(tun.transmit(LinkProtocol.IPV4, 20, buffer -> { }));
        assertEquals(1, tun.counters().get(TunEvent.TX_DEVICE_DOWN));
        tun.wakeup();
        tun.await(SECONDS.toNanos(30));
    }

    @Test
    void closeFromAnotherThreadEndsAWaitingLoopThread() throws InterruptedException {
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicReference<Throwable> loopError = new AtomicReference<>();
        Thread loop = Thread.ofPlatform().name("loop").start(() -> {
            waiting.countDown();
            try {
                tun.await(SECONDS.toNanos(30));
                tun.await(SECONDS.toNanos(30));
            } catch (Throwable e) {
                loopError.set(e);
            }
        });
        assertTrue(waiting.await(10, SECONDS));
        tun.close();
        loop.join(SECONDS.toMillis(20));
        assertFalse(loop.isAlive(), "the loop thread is still in await after close");
        assertNull(loopError.get());
        assertNotEquals(0, ipResult("link", "show", "dev", LINK).exitCode());
    }

    @Test
    void reportsOneFailureWhenTheInterfaceIsDeleted() throws InterruptedException {
        ip("link", "del", "dev", LINK);
        for (int round = 0; round < 100 && tun.failure() == null; round++) {
            tun.await(MILLISECONDS.toNanos(100));
            drain();
        }
        String failure = tun.failure();
        assertNotNull(failure, "no failure after the interface was deleted; counters " + tun.counters());
        assertTrue(failure.startsWith("TUN device " + tun.name() + " failed: "), failure);
        assertTrue(failure.contains("deleted (ip link del)"), failure);
        assertFalse(tun.receive((protocol, packet) -> { }));
        assertFalse(tun.transmit(LinkProtocol.IPV4, 20, buffer -> { }));
        tun.await(SECONDS.toNanos(30));
    }

    /** Receives packets until one matches, for at most ten seconds. */
    private byte[] receiveFirst(BiPredicate<Integer, byte[]> wanted) throws InterruptedException {
        AtomicReference<byte[]> found = new AtomicReference<>();
        long deadline = System.nanoTime() + SECONDS.toNanos(10);
        for (int round = 0; round < 1000 && found.get() == null && System.nanoTime() < deadline; round++) {
            tun.await(MILLISECONDS.toNanos(100));
            for (int i = 0; i < 100 && found.get() == null; i++) {
                boolean received = tun.receive((protocol, packet) -> {
                    byte[] copy = new byte[packet.remaining()];
                    packet.get(copy);
                    if (wanted.test(protocol, copy)) {
                        found.set(copy);
                    }
                });
                if (!received) {
                    break;
                }
            }
        }
        assertNotNull(found.get(), "no matching packet arrived; counters " + tun.counters());
        return found.get();
    }

    private void drain() {
        for (int i = 0; i < 100 && tun.receive((protocol, packet) -> { }); i++) {
            // discard what the kernel sent at link-up
        }
    }

    private String ip(String... arguments) {
        return ipResult(arguments).requireSuccess().stdout();
    }

    private CommandResult ipResult(String... arguments) {
        List<String> command = new java.util.ArrayList<>(List.of("ip", "-n", namespace.name()));
        command.addAll(List.of(arguments));
        return CommandRunner.processes().run(command, Duration.ofSeconds(10));
    }
}
