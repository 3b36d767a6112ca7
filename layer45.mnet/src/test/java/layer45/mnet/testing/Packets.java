package layer45.mnet.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import layer45.mnet.wire.Checksum;
import layer45.mnet.wire.Icmpv4Packet;
import layer45.mnet.wire.Icmpv4Repr;
import layer45.mnet.wire.Icmpv6Packet;
import layer45.mnet.wire.Icmpv6Repr;
import layer45.mnet.wire.IpAddress;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Ipv4Address;
import layer45.mnet.wire.Ipv4Packet;
import layer45.mnet.wire.Ipv4Repr;
import layer45.mnet.wire.Ipv6Address;
import layer45.mnet.wire.Ipv6Packet;
import layer45.mnet.wire.Ipv6Repr;
import layer45.mnet.wire.UdpPacket;
import layer45.mnet.wire.UdpRepr;

/**
 * Builds the packets tests inject into a stack, with the wire package's Reprs and correct checksums: IPv4 and IPv6
 * headers (options, extension headers, fragments), UDP datagrams and ICMP messages. Everything is a fresh
 * {@code byte[]}, so a test can corrupt a copy at will.
 */
public final class Packets {

    private Packets() {
    }

    /** @return an IPv4 address */
    public static Ipv4Address v4(String address) {
        return Ipv4Address.parse(address);
    }

    /** @return an IPv6 address */
    public static Ipv6Address v6(String address) {
        return Ipv6Address.parse(address);
    }

    /** @return {@code length} bytes from a seeded generator: the same seed gives the same bytes */
    public static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** @return the arrays one after the other */
    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }

    /** @return bytes {@code [from, from + length)} of {@code bytes} */
    public static byte[] slice(byte[] bytes, int from, int length) {
        byte[] slice = new byte[length];
        System.arraycopy(bytes, from, slice, 0, length);
        return slice;
    }

    // ---------------------------------------------------------------------------------------------- IPv4

    /**
     * @return a plain IPv4 header: TTL 64, DF set, ident 0x4545, no options, for {@code payloadLength} bytes
     */
    public static Ipv4Repr ipv4Header(String src, String dst, int protocol, int payloadLength) {
        return new Ipv4Repr(v4(src), v4(dst), protocol, payloadLength, 64, 0, 0x4545, true, false, 0, null);
    }

    /** @return an IPv4 packet: {@code header} (its payload length must match), checksum filled, then the payload */
    public static byte[] ipv4(Ipv4Repr header, byte[] payload) {
        if (header.payloadLength() != payload.length) {
            throw new IllegalArgumentException("the header announces " + header.payloadLength()
                    + " payload bytes, the payload has " + payload.length);
        }
        ByteBuffer packet = ByteBuffer.allocate(header.bufferLength());
        Ipv4Packet view = new Ipv4Packet().wrap(packet, 0, packet.capacity());
        header.emit(view);
        view.fillChecksum();
        packet.put(header.headerLength(), payload);
        return packet.array();
    }

    /** @return an IPv4 packet with a plain header ({@link #ipv4Header}) around {@code payload} */
    public static byte[] ipv4(String src, String dst, int protocol, byte[] payload) {
        return ipv4(ipv4Header(src, dst, protocol, payload.length), payload);
    }

    /** @return an IPv4 packet carrying a UDP datagram, both checksums right */
    public static byte[] ipv4Udp(String src, String dst, int srcPort, int dstPort, byte[] payload) {
        return ipv4(src, dst, IpProtocol.UDP, udp(v4(src), v4(dst), srcPort, dstPort, payload));
    }

    /** @return an IPv4 packet carrying an ICMP echo request */
    public static byte[] ipv4Echo(String src, String dst, int ident, int seq, byte[] data) {
        return ipv4(src, dst, IpProtocol.ICMP, icmpv4Echo(ident, seq, data));
    }

    /** @return {@code header} with another TTL */
    public static Ipv4Repr withTtl(Ipv4Repr header, int ttl) {
        return new Ipv4Repr(header.src(), header.dst(), header.protocol(), header.payloadLength(), ttl,
                header.dscpEcn(), header.ident(), header.dontFragment(), header.moreFragments(),
                header.fragmentOffset(), header.options());
    }

    /** @return {@code header} with options (raw bytes, a multiple of 4) */
    public static Ipv4Repr withOptions(Ipv4Repr header, byte[] options) {
        return new Ipv4Repr(header.src(), header.dst(), header.protocol(), header.payloadLength(), header.ttl(),
                header.dscpEcn(), header.ident(), header.dontFragment(), header.moreFragments(),
                header.fragmentOffset(), options);
    }

    /**
     * Cuts a transport packet into IPv4 fragments of at most {@code pieceLength} data bytes (a multiple of 8).
     *
     * @return the fragments, in order
     */
    public static List<byte[]> ipv4Fragments(String src, String dst, int protocol, int ident, byte[] transport,
            int pieceLength) {
        List<byte[]> fragments = new ArrayList<>();
        for (int offset = 0; offset < transport.length; offset += pieceLength) {
            int length = Math.min(pieceLength, transport.length - offset);
            fragments.add(ipv4Fragment(src, dst, protocol, ident, offset, offset + length < transport.length,
                    slice(transport, offset, length)));
        }
        return fragments;
    }

    /** @return one IPv4 fragment: DF clear, TTL 64 */
    public static byte[] ipv4Fragment(String src, String dst, int protocol, int ident, int offset, boolean more,
            byte[] data) {
        return ipv4(new Ipv4Repr(v4(src), v4(dst), protocol, data.length, 64, 0, ident, false, more, offset, null),
                data);
    }

    /** @return an ICMP message: header, data, checksum over both */
    public static byte[] icmpv4(Icmpv4Repr message, byte[] data) {
        if (message.dataLength() != data.length) {
            throw new IllegalArgumentException("the message announces " + message.dataLength() + " data bytes, not "
                    + data.length);
        }
        ByteBuffer buffer = ByteBuffer.allocate(message.bufferLength());
        Icmpv4Packet view = new Icmpv4Packet().wrap(buffer, 0, buffer.capacity());
        message.emit(view);
        buffer.put(Icmpv4Packet.HEADER_LENGTH, data);
        view.fillChecksum();
        return buffer.array();
    }

    /** @return an ICMP echo request */
    public static byte[] icmpv4Echo(int ident, int seq, byte[] data) {
        return icmpv4(new Icmpv4Repr.EchoRequest(ident, seq, data.length), data);
    }

    /** @return an ICMP destination unreachable quoting {@code quoted} */
    public static byte[] icmpv4Unreachable(int code, byte[] quoted) {
        return icmpv4(new Icmpv4Repr.DestUnreachable(code, 0, quoted.length), quoted);
    }

    // ---------------------------------------------------------------------------------------------- IPv6

    /** @return a plain IPv6 header: hop limit 64, for {@code payloadLength} bytes after the fixed header */
    public static Ipv6Repr ipv6Header(String src, String dst, int nextHeader, int payloadLength) {
        return new Ipv6Repr(v6(src), v6(dst), nextHeader, payloadLength, 64, 0, 0);
    }

    /** @return an IPv6 packet: {@code header} (its payload length must match), then the payload */
    public static byte[] ipv6(Ipv6Repr header, byte[] payload) {
        if (header.payloadLength() != payload.length) {
            throw new IllegalArgumentException("the header announces " + header.payloadLength()
                    + " payload bytes, the payload has " + payload.length);
        }
        ByteBuffer packet = ByteBuffer.allocate(header.bufferLength());
        header.emit(new Ipv6Packet().wrap(packet, 0, packet.capacity()));
        packet.put(Ipv6Packet.HEADER_LENGTH, payload);
        return packet.array();
    }

    /** @return an IPv6 packet with a plain header ({@link #ipv6Header}) around {@code payload} */
    public static byte[] ipv6(String src, String dst, int nextHeader, byte[] payload) {
        return ipv6(ipv6Header(src, dst, nextHeader, payload.length), payload);
    }

    /** @return {@code header} with another hop limit */
    public static Ipv6Repr withHopLimit(Ipv6Repr header, int hopLimit) {
        return new Ipv6Repr(header.src(), header.dst(), header.nextHeader(), header.payloadLength(), hopLimit,
                header.trafficClass(), header.flowLabel());
    }

    /** @return an IPv6 packet carrying a UDP datagram, its checksum right */
    public static byte[] ipv6Udp(String src, String dst, int srcPort, int dstPort, byte[] payload) {
        return ipv6(src, dst, IpProtocol.UDP, udp(v6(src), v6(dst), srcPort, dstPort, payload));
    }

    /** @return an IPv6 packet carrying an ICMPv6 echo request */
    public static byte[] ipv6Echo(String src, String dst, int ident, int seq, byte[] data) {
        return ipv6(src, dst, IpProtocol.ICMPV6, icmpv6Echo(v6(src), v6(dst), ident, seq, data));
    }

    /**
     * An options extension header (Hop-by-Hop or Destination Options, RFC 8200 4.2), padded with PadN to a
     * multiple of 8 bytes.
     *
     * @param nextHeader the header that follows
     * @param options the option TLVs
     * @return the header's bytes
     */
    public static byte[] optionsHeader(int nextHeader, byte[]... options) {
        int length = 2;
        for (byte[] option : options) {
            length += option.length;
        }
        int padded = (length + 7) & ~7;
        ByteBuffer header = ByteBuffer.allocate(padded);
        header.put((byte) nextHeader).put((byte) (padded / 8 - 1));
        for (byte[] option : options) {
            header.put(option);
        }
        int pad = padded - length;
        if (pad == 1) {
            header.put((byte) 0);
        } else if (pad > 1) {
            header.put((byte) 1).put((byte) (pad - 2));
        }
        return header.array();
    }

    /** @return one option TLV: type, length, data */
    public static byte[] option(int type, byte[] data) {
        return concat(new byte[] { (byte) type, (byte) data.length }, data);
    }

    /** @return an IPv6 Fragment header (RFC 8200 4.5) */
    public static byte[] fragmentHeader(int nextHeader, int offset, boolean more, int ident) {
        return ByteBuffer.allocate(8).put((byte) nextHeader).put((byte) 0).putShort((short) (offset | (more ? 1 : 0)))
                .putInt(ident).array();
    }

    /**
     * Cuts the fragmentable part of a packet into IPv6 fragments of at most {@code pieceLength} data bytes (a
     * multiple of 8), each a fixed header, a Fragment header and the data.
     *
     * @param firstHeader the first header of the fragmentable part (UDP, or Destination Options, …)
     * @return the fragments, in order
     */
    public static List<byte[]> ipv6Fragments(String src, String dst, int firstHeader, int ident, byte[] fragmentable,
            int pieceLength) {
        List<byte[]> fragments = new ArrayList<>();
        for (int offset = 0; offset < fragmentable.length; offset += pieceLength) {
            int length = Math.min(pieceLength, fragmentable.length - offset);
            fragments.add(ipv6Fragment(src, dst, firstHeader, ident, offset, offset + length < fragmentable.length,
                    slice(fragmentable, offset, length)));
        }
        return fragments;
    }

    /** @return one IPv6 fragment */
    public static byte[] ipv6Fragment(String src, String dst, int firstHeader, int ident, int offset, boolean more,
            byte[] data) {
        return ipv6(src, dst, IpProtocol.IPV6_FRAG, concat(fragmentHeader(firstHeader, offset, more, ident), data));
    }

    /** @return an ICMPv6 message, its checksum over the pseudo-header of {@code src} and {@code dst} */
    public static byte[] icmpv6(Ipv6Address src, Ipv6Address dst, Icmpv6Repr message, byte[] data) {
        if (message.dataLength() != data.length) {
            throw new IllegalArgumentException("the message announces " + message.dataLength() + " data bytes, not "
                    + data.length);
        }
        ByteBuffer buffer = ByteBuffer.allocate(message.bufferLength());
        Icmpv6Packet view = new Icmpv6Packet().wrap(buffer, 0, buffer.capacity());
        message.emit(view);
        buffer.put(Icmpv6Packet.HEADER_LENGTH, data);
        view.fillChecksum(Checksum.pseudoHeaderV6(src.high(), src.low(), dst.high(), dst.low(), IpProtocol.ICMPV6,
                buffer.capacity()));
        return buffer.array();
    }

    /** @return an ICMPv6 echo request */
    public static byte[] icmpv6Echo(Ipv6Address src, Ipv6Address dst, int ident, int seq, byte[] data) {
        return icmpv6(src, dst, new Icmpv6Repr.EchoRequest(ident, seq, data.length), data);
    }

    /** @return an ICMPv6 destination unreachable quoting {@code quoted} */
    public static byte[] icmpv6Unreachable(Ipv6Address src, Ipv6Address dst, int code, byte[] quoted) {
        return icmpv6(src, dst, new Icmpv6Repr.DestUnreachable(code, quoted.length), quoted);
    }

    /** @return an ICMPv6 message of another type (router solicitation, MLD report, …) with {@code data} */
    public static byte[] icmpv6Other(Ipv6Address src, Ipv6Address dst, int type, byte[] data) {
        return icmpv6(src, dst, new Icmpv6Repr.Other(type, 0, 0, data.length), data);
    }

    // ---------------------------------------------------------------------------------------------- UDP

    /** @return a UDP datagram whose checksum covers the pseudo-header of {@code src} and {@code dst} */
    public static byte[] udp(IpAddress src, IpAddress dst, int srcPort, int dstPort, byte[] payload) {
        byte[] datagram = udpNoChecksum(srcPort, dstPort, payload);
        ByteBuffer buffer = ByteBuffer.wrap(datagram);
        new UdpPacket().wrap(buffer, 0, datagram.length).fillChecksum(pseudoHeader(src, dst, IpProtocol.UDP,
                datagram.length));
        return datagram;
    }

    /** @return a UDP datagram with the checksum field 0 (omitted, RFC 768) */
    public static byte[] udpNoChecksum(int srcPort, int dstPort, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(UdpPacket.HEADER_LENGTH + payload.length);
        new UdpRepr(srcPort, dstPort).emit(new UdpPacket().wrap(buffer, 0, buffer.capacity()), payload.length);
        buffer.put(UdpPacket.HEADER_LENGTH, payload);
        return buffer.array();
    }

    /** @return the pseudo-header sum of either family */
    public static long pseudoHeader(IpAddress src, IpAddress dst, int protocol, int length) {
        if (src instanceof Ipv4Address s && dst instanceof Ipv4Address d) {
            return Checksum.pseudoHeaderV4(s.bits(), d.bits(), protocol, length);
        }
        Ipv6Address s = (Ipv6Address) src;
        Ipv6Address d = (Ipv6Address) dst;
        return Checksum.pseudoHeaderV6(s.high(), s.low(), d.high(), d.low(), protocol, length);
    }

    /** @return a copy of {@code packet} with one byte XOR-ed with 0xFF */
    public static byte[] flipped(byte[] packet, int index) {
        byte[] copy = packet.clone();
        copy[index] ^= (byte) 0xFF;
        return copy;
    }
}
