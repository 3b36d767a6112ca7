package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing: receiving (wrap, check, walk, verify, read options) and sending (setters, option
 * writer, checksums) over reused views. Measured with the JVM's per-thread allocation counter, in bytes, not time.
 */
class HotPathAllocationTest {

    private final Ipv4Packet ip4 = new Ipv4Packet();
    private final Ipv6Packet ip6 = new Ipv6Packet();
    private final Ipv6ExtensionHeaders ext = new Ipv6ExtensionHeaders();
    private final TcpPacket tcp = new TcpPacket();
    private final UdpPacket udp = new UdpPacket();
    private final TcpOptions options = new TcpOptions();
    private final int[] sack = {1, 2, 3, 4};
    private long sink;

    private void receiveAndSend(ByteBuffer syn4, ByteBuffer hbh6, ByteBuffer udp6, ByteBuffer out) {
        if (ip4.wrap(syn4).check().valid() && ip4.verifyChecksum()
                && tcp.wrap(syn4, ip4.payloadOffset(), ip4.payloadLength()).check().valid()
                && tcp.verifyChecksum(ip4.pseudoHeaderSum(IpProtocol.TCP, tcp.length()))) {
            sink += options.parse(tcp).mss() + options.tsVal();
        }
        if (ip6.wrap(hbh6).check().valid() && ext.walk(ip6).valid()) {
            sink += ext.upperOffset();
        }
        if (ip6.wrap(udp6).check().valid() && ext.walk(ip6).valid()
                && udp.wrap(udp6, ext.upperOffset(), ext.upperLength()).check().valid()) {
            sink += udp.verifyChecksum(ip6.pseudoHeaderSum(IpProtocol.UDP, udp.udpLength())) ? 1 : 0;
        }
        ip4.wrap(out, 0, 52);
        ip4.setVersion(4);
        ip4.setHeaderLength(20);
        ip4.setTotalLength(52);
        ip4.setTtl(64);
        ip4.setProtocol(IpProtocol.TCP);
        ip4.setSrcAddr(0x0A00_0001);
        ip4.setDstAddr(0x0A00_0002);
        tcp.wrap(out, 20, 32);
        tcp.setSrcPort(1);
        tcp.setDstPort(2);
        tcp.setHeaderLength(32);
        tcp.setFlags(TcpPacket.ACK);
        TcpOptions.write(out, tcp.optionsOffset(), -1, -1, false, sack, 0, true, 5, 6);
        tcp.fillChecksum(ip4.pseudoHeaderSum(IpProtocol.TCP, 32));
        ip4.fillChecksum();
        ip4.setDstAddrWithChecksumUpdate(0x0A00_0003);
    }

    @Test
    void receivingAndSendingAllocateNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        ByteBuffer syn4 = WireFixtures.buffer(WireFixtures.IPV4_TCP_SYN);
        ByteBuffer hbh6 = WireFixtures.buffer(WireFixtures.IPV6_HBH_DEST_TCP_SYN);
        ByteBuffer udp6 = WireFixtures.buffer(WireFixtures.IPV6_ROUTING_SL0_UDP);
        ByteBuffer out = ByteBuffer.allocateDirect(52);
        for (int i = 0; i < 20_000; i++) {
            receiveAndSend(syn4, hbh6, udp6, out);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++) {
            receiveAndSend(syn4, hbh6, udp6, out);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1024, allocated + " bytes allocated over 20000 rounds");
        assertEquals(WireCheck.VALID, ip4.wrap(out, 0, 52).check());
        assertTrue(sink != 0);
    }
}
