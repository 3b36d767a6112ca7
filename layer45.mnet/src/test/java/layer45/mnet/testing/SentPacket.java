package layer45.mnet.testing;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import layer45.mnet.phy.LinkProtocol;
import layer45.mnet.wire.Checksum;
import layer45.mnet.wire.IpProtocol;
import layer45.mnet.wire.Icmpv4Packet;
import layer45.mnet.wire.Icmpv6Packet;
import layer45.mnet.wire.Ipv4Packet;
import layer45.mnet.wire.Ipv4Repr;
import layer45.mnet.wire.Ipv6Packet;
import layer45.mnet.wire.Ipv6Repr;
import layer45.mnet.wire.UdpPacket;
import layer45.mnet.wire.WireCheck;

/**
 * One packet a stack sent, as the far end of the link received it, with decoders that check what a receiving
 * kernel would check (structure, header and transport checksums) and fail the test with the packet in hex if a
 * check fails.
 *
 * @param protocol the link protocol number it was sent under
 * @param bytes the whole packet
 */
public record SentPacket(int protocol, byte[] bytes) {

    /** A UDP datagram's ports and payload. */
    public record Udp(int srcPort, int dstPort, byte[] payload) {
    }

    /** An ICMP (v4 or v6) message: its header fields and the data after the 8-byte header. */
    public record Icmp(int type, int code, int restOfHeader, byte[] data) {

        /** @return the echo identifier */
        public int ident() {
            return restOfHeader >>> 16;
        }

        /** @return the echo sequence number */
        public int seq() {
            return restOfHeader & 0xFFFF;
        }
    }

    /** An IPv6 Fragment header and the data after it. */
    public record Ipv6Fragment(int nextHeader, int offset, boolean more, int ident, byte[] data) {
    }

    /** @return the IPv4 header, after checking the structure and the header checksum */
    public Ipv4Repr ipv4() {
        expect(protocol == LinkProtocol.IPV4, "an IPv4 packet");
        Ipv4Packet view = new Ipv4Packet().wrap(ByteBuffer.wrap(bytes));
        expect(view.check() == WireCheck.VALID, "a well-formed IPv4 packet, not " + view.check());
        expect(view.totalLength() == bytes.length, "a total length of " + bytes.length);
        expect(view.verifyChecksum(), "a right IPv4 header checksum");
        return Ipv4Repr.parse(view);
    }

    /** @return the IPv6 fixed header, after checking the structure */
    public Ipv6Repr ipv6() {
        expect(protocol == LinkProtocol.IPV6, "an IPv6 packet");
        Ipv6Packet view = new Ipv6Packet().wrap(ByteBuffer.wrap(bytes));
        expect(view.check() == WireCheck.VALID, "a well-formed IPv6 packet, not " + view.check());
        expect(Ipv6Packet.HEADER_LENGTH + view.payloadLength() == bytes.length, "a payload length of "
                + (bytes.length - Ipv6Packet.HEADER_LENGTH));
        return Ipv6Repr.parse(view);
    }

    /** @return the bytes after the IP header (for IPv6: after the fixed header, extension headers included) */
    public byte[] ipPayload() {
        if (protocol == LinkProtocol.IPV4) {
            Ipv4Repr header = ipv4();
            return Packets.slice(bytes, header.headerLength(), header.payloadLength());
        }
        Ipv6Repr header = ipv6();
        return Packets.slice(bytes, Ipv6Packet.HEADER_LENGTH, header.payloadLength());
    }

    /** @return the UDP datagram of an unfragmented packet, after checking its length and (non-zero) checksum */
    public Udp udp() {
        long pseudo;
        if (protocol == LinkProtocol.IPV4) {
            Ipv4Repr header = ipv4();
            expect(header.protocol() == IpProtocol.UDP && !header.moreFragments() && header.fragmentOffset() == 0,
                    "an unfragmented UDP datagram");
            pseudo = Checksum.pseudoHeaderV4(header.src().bits(), header.dst().bits(), IpProtocol.UDP,
                    header.payloadLength());
        } else {
            Ipv6Repr header = ipv6();
            expect(header.nextHeader() == IpProtocol.UDP, "a UDP datagram right after the IPv6 header");
            pseudo = header.pseudoHeaderSum(IpProtocol.UDP, header.payloadLength());
        }
        byte[] datagram = ipPayload();
        UdpPacket view = new UdpPacket().wrap(ByteBuffer.wrap(datagram));
        expect(view.check() == WireCheck.VALID, "a well-formed UDP datagram, not " + view.check());
        expect(view.udpLength() == datagram.length, "a UDP length of " + datagram.length);
        expect(!view.checksumOmitted() && view.verifyChecksum(pseudo), "a right UDP checksum");
        return new Udp(view.srcPort(), view.dstPort(), Packets.slice(datagram, UdpPacket.HEADER_LENGTH,
                view.payloadLength()));
    }

    /** @return the ICMP message of an unfragmented IPv4 packet, after checking its checksum */
    public Icmp icmpv4() {
        Ipv4Repr header = ipv4();
        expect(header.protocol() == IpProtocol.ICMP && !header.moreFragments() && header.fragmentOffset() == 0,
                "an unfragmented ICMP message");
        byte[] message = ipPayload();
        Icmpv4Packet view = new Icmpv4Packet().wrap(ByteBuffer.wrap(message));
        expect(view.check() == WireCheck.VALID && view.verifyChecksum(), "a right ICMP checksum");
        return new Icmp(view.type(), view.code(), view.restOfHeader(),
                Packets.slice(message, Icmpv4Packet.HEADER_LENGTH, message.length - Icmpv4Packet.HEADER_LENGTH));
    }

    /** @return the ICMPv6 message right after the fixed header, after checking its checksum */
    public Icmp icmpv6() {
        Ipv6Repr header = ipv6();
        expect(header.nextHeader() == IpProtocol.ICMPV6, "an ICMPv6 message right after the IPv6 header");
        byte[] message = ipPayload();
        Icmpv6Packet view = new Icmpv6Packet().wrap(ByteBuffer.wrap(message));
        expect(view.check() == WireCheck.VALID
                && view.verifyChecksum(header.pseudoHeaderSum(IpProtocol.ICMPV6, message.length)),
                "a right ICMPv6 checksum");
        return new Icmp(view.type(), view.code(), view.restOfHeader(),
                Packets.slice(message, Icmpv6Packet.HEADER_LENGTH, message.length - Icmpv6Packet.HEADER_LENGTH));
    }

    /** @return the Fragment header right after the fixed header, and the fragment's data */
    public Ipv6Fragment ipv6Fragment() {
        Ipv6Repr header = ipv6();
        expect(header.nextHeader() == IpProtocol.IPV6_FRAG, "a Fragment header right after the IPv6 header");
        byte[] payload = ipPayload();
        ByteBuffer fragment = ByteBuffer.wrap(payload);
        expect(payload.length >= 8 && fragment.get(1) == 0 && (fragment.getShort(2) & 6) == 0,
                "a Fragment header with its reserved fields zero");
        int offsetAndFlags = fragment.getShort(2) & 0xFFFF;
        return new Ipv6Fragment(fragment.get(0) & 0xFF, offsetAndFlags & 0xFFF8, (offsetAndFlags & 1) != 0,
                fragment.getInt(4), Packets.slice(payload, 8, payload.length - 8));
    }

    private void expect(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("expected " + what + "; the stack sent " + this);
        }
    }

    @Override
    public String toString() {
        return LinkProtocol.name(protocol) + " packet of " + bytes.length + " bytes: "
                + HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SentPacket sent && sent.protocol == protocol
                && java.util.Arrays.equals(sent.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return protocol * 31 + java.util.Arrays.hashCode(bytes);
    }
}
