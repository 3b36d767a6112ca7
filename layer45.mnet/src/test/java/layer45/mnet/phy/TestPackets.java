package layer45.mnet.phy;

import java.nio.ByteBuffer;

/**
 * Valid IPv4/UDP and IPv6/UDP packets with correct checksums, built by hand so the device tests depend on no
 * packet library. Addresses are from the documentation ranges (RFC 5737, RFC 3849).
 */
final class TestPackets {

    static final byte[] IPV4_SOURCE = { (byte) 192, 0, 2, 1 };
    static final byte[] IPV4_DESTINATION = { (byte) 192, 0, 2, 2 };
    static final byte[] IPV6_SOURCE = address6(1);
    static final byte[] IPV6_DESTINATION = address6(2);

    private static final int UDP = 17;

    private TestPackets() {
    }

    private static byte[] address6(int last) {
        byte[] address = new byte[16];
        address[0] = 0x20;
        address[1] = 0x01;
        address[2] = 0x0d;
        address[3] = (byte) 0xb8;
        address[15] = (byte) last;
        return address;
    }

    /** An IPv4 packet (RFC 791) carrying a UDP datagram (RFC 768), both checksums filled. */
    static byte[] ipv4Udp(int sourcePort, int destinationPort, byte[] payload) {
        int udpLength = 8 + payload.length;
        ByteBuffer packet = ByteBuffer.allocate(20 + udpLength);
        packet.put((byte) 0x45).put((byte) 0).putShort((short) (20 + udpLength))
                .putShort((short) 0x1234).putShort((short) 0x4000) // identification, DF
                .put((byte) 64).put((byte) UDP).putShort((short) 0)
                .put(IPV4_SOURCE).put(IPV4_DESTINATION);
        packet.putShort(10, (short) checksum(packet.array(), 0, 20, 0));
        putUdp(packet, 20, sourcePort, destinationPort, payload);
        long pseudo = sum(IPV4_SOURCE, 0, 4) + sum(IPV4_DESTINATION, 0, 4) + UDP + udpLength;
        packet.putShort(26, (short) udpChecksum(packet.array(), 20, udpLength, pseudo));
        return packet.array();
    }

    /** An IPv6 packet (RFC 8200) carrying a UDP datagram, its mandatory checksum filled. */
    static byte[] ipv6Udp(int sourcePort, int destinationPort, byte[] payload) {
        int udpLength = 8 + payload.length;
        ByteBuffer packet = ByteBuffer.allocate(40 + udpLength);
        packet.putInt(0x6000_0000).putShort((short) udpLength).put((byte) UDP).put((byte) 64)
                .put(IPV6_SOURCE).put(IPV6_DESTINATION);
        putUdp(packet, 40, sourcePort, destinationPort, payload);
        long pseudo = sum(IPV6_SOURCE, 0, 16) + sum(IPV6_DESTINATION, 0, 16) + udpLength + UDP;
        packet.putShort(46, (short) udpChecksum(packet.array(), 40, udpLength, pseudo));
        return packet.array();
    }

    private static void putUdp(ByteBuffer packet, int offset, int sourcePort, int destinationPort, byte[] payload) {
        packet.position(offset);
        packet.putShort((short) sourcePort).putShort((short) destinationPort)
                .putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
    }

    /** RFC 768: a computed checksum of zero is sent as all ones, since zero means "no checksum". */
    private static int udpChecksum(byte[] data, int offset, int length, long pseudoHeaderSum) {
        int checksum = checksum(data, offset, length, pseudoHeaderSum);
        return checksum == 0 ? 0xFFFF : checksum;
    }

    /** The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words. */
    static int checksum(byte[] data, int offset, int length, long initialSum) {
        long sum = initialSum + sum(data, offset, length);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    private static long sum(byte[] data, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((data[offset + i] & 0xFF) << 8) | (data[offset + i + 1] & 0xFF);
        }
        if ((length & 1) != 0) {
            sum += (data[offset + length - 1] & 0xFF) << 8;
        }
        return sum;
    }
}
