package layer45.mnet.phy.linux;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** Hand-built IP packets and their checksums (RFC 1071) for the TUN tests. */
final class TestPackets {

    static final int IPPROTO_ICMP = 1;
    static final int IPPROTO_UDP = 17;
    static final int IPPROTO_ICMPV6 = 58;

    private TestPackets() {
    }

    /** @return the address literal's bytes (a literal needs no name lookup) */
    static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** @return the one's-complement sum of {@code length} bytes from {@code offset}, folded to 16 bits */
    static int sum(byte[] bytes, int offset, int length, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((bytes[offset + i] & 0xFF) << 8) | (bytes[offset + i + 1] & 0xFF);
        }
        if ((length & 1) != 0) {
            sum += (bytes[offset + length - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** @return the internet checksum (the complement of the sum) */
    static int checksum(byte[] bytes, int offset, int length, long initial) {
        return ~sum(bytes, offset, length, initial) & 0xFFFF;
    }

    /** @return an IPv4 ICMP echo request (RFC 792) with correct header and ICMP checksums */
    static byte[] ipv4EchoRequest(String source, String destination, int identifier, int sequence, byte[] data) {
        byte[] packet = new byte[20 + 8 + data.length];
        ByteBuffer b = ByteBuffer.wrap(packet);
        b.put(0, (byte) 0x45);
        b.putShort(2, (short) packet.length);
        b.putShort(4, (short) 0x4545);
        b.putShort(6, (short) 0x4000);
        b.put(8, (byte) 64);
        b.put(9, (byte) IPPROTO_ICMP);
        b.put(12, address(source));
        b.put(16, address(destination));
        b.putShort(10, (short) checksum(packet, 0, 20, 0));
        b.put(20, (byte) 8);
        b.putShort(24, (short) identifier);
        b.putShort(26, (short) sequence);
        b.put(28, data);
        b.putShort(22, (short) checksum(packet, 20, packet.length - 20, 0));
        return packet;
    }

    /** @return an ICMPv6 echo request (RFC 4443) with the checksum over the pseudo-header (RFC 8200, 8.1) */
    static byte[] ipv6EchoRequest(String source, String destination, int identifier, int sequence, byte[] data) {
        int payload = 8 + data.length;
        byte[] packet = new byte[40 + payload];
        ByteBuffer b = ByteBuffer.wrap(packet);
        b.put(0, (byte) 0x60);
        b.putShort(4, (short) payload);
        b.put(6, (byte) IPPROTO_ICMPV6);
        b.put(7, (byte) 64);
        b.put(8, address(source));
        b.put(24, address(destination));
        b.put(40, (byte) 128);
        b.putShort(44, (short) identifier);
        b.putShort(46, (short) sequence);
        b.put(48, data);
        b.putShort(42, (short) checksum(packet, 40, payload, ipv6PseudoHeaderSum(packet, payload, IPPROTO_ICMPV6)));
        return packet;
    }

    /** @return the sum of the IPv6 pseudo-header of the packet's addresses */
    static long ipv6PseudoHeaderSum(byte[] packet, int upperLength, int nextHeader) {
        return sum(packet, 8, 32, 0) + (upperLength >>> 16) + (upperLength & 0xFFFF) + nextHeader;
    }

    /** @return the bytes from {@code offset} to the end */
    static byte[] tail(byte[] bytes, int offset) {
        return java.util.Arrays.copyOfRange(bytes, offset, bytes.length);
    }

    /** @return the 4 or 16 address bytes at {@code offset} */
    static byte[] slice(byte[] bytes, int offset, int length) {
        return java.util.Arrays.copyOfRange(bytes, offset, offset + length);
    }
}
