package layer45.mnet.phy.linux;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.wire.TunnelFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tunnel between two stacks over loopback: frames of any link protocol cross it both ways, and foreign,
 * malformed and too long datagrams are dropped and counted by reason, without an exception.
 */
@Timeout(30)
class UdpTunnelDeviceTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<String> received = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    private DatagramChannel plainSocket() throws IOException {
        DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        opened.add(channel);
        return channel;
    }

    private UdpTunnelDevice tunnel(String name, InetSocketAddress local, InetSocketAddress remote) throws IOException {
        UdpTunnelDevice device = UdpTunnelDevice.open(new UdpTunnelOptions(name, local, remote, null, 1400));
        opened.add(device);
        return device;
    }

    private static int port(DatagramChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /** Waits (bounded) for one packet and records its protocol and text; {@code false} if none came. */
    private boolean receiveOne(UdpTunnelDevice device) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (device.receive((protocol, packet) -> {
                byte[] bytes = new byte[packet.remaining()];
                packet.get(0, bytes);
                received.add(LinkProtocol.name(protocol) + ":" + new String(bytes, UTF_8));
            })) {
                return true;
            }
            device.await(20_000_000);
        }
        return false;
    }

    private static boolean send(UdpTunnelDevice device, int protocol, String text) {
        byte[] bytes = text.getBytes(UTF_8);
        return device.transmit(protocol, bytes.length, buffer -> buffer.put(0, bytes));
    }

    @Test
    void framesOfAnyLinkProtocolCrossBothWays() throws Exception {
        DatagramChannel placeholder = plainSocket();
        int portB = port(placeholder);
        placeholder.close();
        UdpTunnelDevice a = tunnel("a", new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, portB));
        UdpTunnelDevice b = tunnel("b", new InetSocketAddress(LOOPBACK, portB), a.localAddress());

        assertTrue(send(a, LinkProtocol.IPV4, "four"));
        assertTrue(send(a, LinkProtocol.EXPERIMENTAL_1, "demo"));
        assertTrue(send(b, LinkProtocol.IPV6, "six"));
        assertTrue(receiveOne(b));
        assertTrue(receiveOne(b));
        assertTrue(receiveOne(a));

        assertEquals(List.of("ipv4:four", "0x88b5:demo", "ipv6:six"), received);
        assertTrue(a.carries(LinkProtocol.EXPERIMENTAL_2) && a.carries(LinkProtocol.IPV4));
        assertEquals(2L, a.countersByName().get("tx-packets"));
        assertEquals(2L, b.countersByName().get("rx-packets"));
        assertEquals(8L, b.countersByName().get("rx-bytes"));
        assertNull(a.failure());
    }

    @Test
    void foreignAndMalformedDatagramsAreDroppedAndCountedByReason() throws Exception {
        DatagramChannel peer = plainSocket();
        UdpTunnelDevice device = tunnel("t", new InetSocketAddress(LOOPBACK, 0),
                (InetSocketAddress) peer.getLocalAddress());
        DatagramChannel stranger = plainSocket();
        InetSocketAddress to = device.localAddress();

        ByteBuffer good = ByteBuffer.allocate(TunnelFrame.HEADER_LENGTH + 2);
        TunnelFrame.writeHeader(good, LinkProtocol.IPV6);
        good.put(TunnelFrame.HEADER_LENGTH, "ok".getBytes(UTF_8));
        stranger.send(good.duplicate(), to);
        peer.send(ByteBuffer.wrap("GET / HTTP/1.0\r\n".getBytes(UTF_8)), to);
        peer.send(ByteBuffer.wrap(new byte[] {0x4C, 0x35, 1}), to);
        ByteBuffer version = good.duplicate().put(2, (byte) 9);
        peer.send(version, to);
        ByteBuffer header = ByteBuffer.allocate(TunnelFrame.HEADER_LENGTH);
        TunnelFrame.writeHeader(header, LinkProtocol.IPV4);
        peer.send(header, to);
        ByteBuffer tooLong = ByteBuffer.allocate(TunnelFrame.HEADER_LENGTH + 1401);
        TunnelFrame.writeHeader(tooLong, LinkProtocol.IPV4);
        peer.send(tooLong, to);
        good.put(2, (byte) TunnelFrame.VERSION);
        peer.send(good.clear(), to);

        assertTrue(receiveOne(device), "the well-formed frame after the bad ones");
        assertEquals(List.of("ipv6:ok"), received);
        var counters = device.countersByName();
        assertEquals(1L, counters.get("rx-foreign-source"));
        assertEquals(1L, counters.get("rx-bad-magic"));
        assertEquals(1L, counters.get("rx-truncated"));
        assertEquals(1L, counters.get("rx-bad-version"));
        assertEquals(1L, counters.get("rx-empty"));
        assertEquals(1L, counters.get("rx-too-long"));
        assertEquals(1L, counters.get("rx-packets"));
        assertNull(device.failure());
    }

    @Test
    void packetsCrossWithoutAllocatingOnTheHeap() throws Exception {
        com.sun.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean()
                instanceof com.sun.management.ThreadMXBean bean && bean.isThreadAllocatedMemorySupported() ? bean
                : null;
        org.junit.jupiter.api.Assumptions.assumeTrue(threads != null, "this JVM does not count allocated bytes");
        DatagramChannel placeholder = plainSocket();
        int portB = port(placeholder);
        placeholder.close();
        UdpTunnelDevice a = tunnel("a", new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, portB));
        UdpTunnelDevice b = tunnel("b", new InetSocketAddress(LOOPBACK, portB), a.localAddress());
        byte[] packet = new byte[100];
        layer45.mnet.phy.TxWriter writer = buffer -> buffer.put(0, packet);
        long[] received = new long[1];
        layer45.mnet.phy.RxHandler handler = (protocol, buffer) -> received[0] += buffer.remaining();
        int packets = 2000;
        exchange(a, b, writer, handler, packets); // warm up
        long before = threads.getCurrentThreadAllocatedBytes();
        exchange(a, b, writer, handler, packets);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(allocated < packets * 8L, allocated + " bytes allocated for " + packets + " packets");
        assertTrue(received[0] > 0);
    }

    private static void exchange(UdpTunnelDevice a, UdpTunnelDevice b, layer45.mnet.phy.TxWriter writer,
            layer45.mnet.phy.RxHandler handler, int packets) throws InterruptedException {
        for (int i = 0; i < packets; i++) {
            a.transmit(LinkProtocol.EXPERIMENTAL_1, 100, writer);
            for (int wait = 0; wait < 100 && !b.receive(handler); wait++) {
                b.await(1_000_000);
            }
        }
    }

    @Test
    void aClosedTunnelSendsNothingAndSaysWhy() throws Exception {
        DatagramChannel peer = plainSocket();
        UdpTunnelDevice device = tunnel("c", new InetSocketAddress(LOOPBACK, 0),
                (InetSocketAddress) peer.getLocalAddress());

        device.close();

        assertFalse(send(device, LinkProtocol.IPV4, "x"));
        assertEquals(1L, device.countersByName().get("tx-device-down"));
        assertNotNull(device.failure());
        assertFalse(device.receive((p, b) -> { }));
        device.await(1_000_000);
    }

    @Test
    void aPortTakenIsAnErrorThatSaysWhatToDo() throws Exception {
        DatagramChannel taken = plainSocket();

        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> tunnel("x", (InetSocketAddress) taken.getLocalAddress(), new InetSocketAddress(LOOPBACK, 9)));

        assertTrue(e.getMessage().contains("free port"), e.getMessage());
    }
}
