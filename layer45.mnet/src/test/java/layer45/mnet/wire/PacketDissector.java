package layer45.mnet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;

/**
 * Runs every parse path of the wire package over one buffer, as the stack would and more: each view whose
 * {@code check()} passes has every accessor read, its checksum verified, its Repr parsed, emitted into a fresh
 * buffer and parsed back. Used by the corrupted-packet corpus test; one instance per test, reused for every case.
 */
final class PacketDissector {

    private final Ipv4Packet ipv4 = new Ipv4Packet();
    private final Ipv6Packet ipv6 = new Ipv6Packet();
    private final Ipv4Packet quoted4 = new Ipv4Packet();
    private final Ipv6Packet quoted6 = new Ipv6Packet();
    private final Ipv6ExtensionHeaders ext = new Ipv6ExtensionHeaders();
    private final Ipv6ExtensionHeaders quotedExt = new Ipv6ExtensionHeaders();
    private final UdpPacket udp = new UdpPacket();
    private final TcpPacket tcp = new TcpPacket();
    private final TcpOptions tcpOptions = new TcpOptions();
    private final Icmpv4Packet icmp4 = new Icmpv4Packet();
    private final Icmpv6Packet icmp6 = new Icmpv6Packet();
    /** Sums everything read, so no read can be optimised away. */
    long sink;
    /** How many views passed their check, by kind: ipv4, ipv6, walk, udp, tcp, icmpv4, icmpv6. */
    final long[] valid = new long[7];

    /** Dissects {@code buf[offset, offset + length)} as a whole IP packet of either version. */
    void dissect(ByteBuffer buf, int offset, int length) {
        if (ipv4.wrap(buf, offset, length).check() == WireCheck.VALID) {
            valid[0]++;
            readIpv4(ipv4);
            roundTripIpv4(ipv4);
            long pseudo = ipv4.pseudoHeaderSum(ipv4.protocol(), ipv4.payloadLength());
            transport(ipv4.protocol(), buf, ipv4.payloadOffset(), ipv4.payloadLength(), pseudo, false);
        }
        if (ipv4.checkQuoted() == WireCheck.VALID) {
            readIpv4(ipv4);
            sink += ipv4.availablePayloadLength();
        }
        if (ipv6.wrap(buf, offset, length).check() == WireCheck.VALID) {
            valid[1]++;
            readIpv6(ipv6);
            roundTripIpv6(ipv6);
            if (ext.walk(ipv6) == WireCheck.VALID) {
                valid[2]++;
                readWalk(ext);
                long pseudo = ipv6.pseudoHeaderSum(ext.upperProtocol(), ext.upperLength());
                transport(ext.upperProtocol(), buf, ext.upperOffset(), ext.upperLength(), pseudo, true);
            } else {
                sink += ext.problemPointer() + ext.problemCode() + ext.unrecognizedOptionAction();
            }
        }
        if (ipv6.checkQuoted() == WireCheck.VALID) {
            readIpv6(ipv6);
            sink += ipv6.availablePayloadLength();
            if (ext.walk(ipv6) == WireCheck.VALID) {
                readWalk(ext);
            }
        }
        // Transport views straight over the bytes, as if an IP layer had handed them over.
        transport(IpProtocol.UDP, buf, offset, length, 0, false);
        transport(IpProtocol.TCP, buf, offset, length, 0, false);
        transport(IpProtocol.ICMP, buf, offset, length, 0, false);
        transport(IpProtocol.ICMPV6, buf, offset, length, 0, true);
    }

    private void transport(int protocol, ByteBuffer buf, int offset, int length, long pseudo, boolean v6) {
        switch (protocol) {
            case IpProtocol.UDP -> {
                if (udp.wrap(buf, offset, length).check() == WireCheck.VALID) {
                    valid[3]++;
                    sink += udp.srcPort() + udp.dstPort() + udp.udpLength() + udp.checksum() + udp.payloadOffset()
                            + udp.payloadLength() + (udp.verifyChecksum(pseudo) ? 1 : 0)
                            + (udp.checksumOmitted() ? 1 : 0) + udp.toString().length();
                    UdpRepr repr = UdpRepr.parse(udp);
                    ByteBuffer fresh = ByteBuffer.allocate(repr.bufferLength(udp.payloadLength()));
                    UdpPacket out = new UdpPacket().wrap(fresh);
                    repr.emit(out, udp.payloadLength());
                    out.fillChecksum(pseudo);
                    assertEquals(WireCheck.VALID, out.check());
                    assertEquals(repr, UdpRepr.parse(out));
                }
            }
            case IpProtocol.TCP -> {
                if (tcp.wrap(buf, offset, length).check() == WireCheck.VALID) {
                    valid[4]++;
                    sink += tcp.srcPort() + tcp.dstPort() + tcp.seqNumber() + tcp.ackNumber() + tcp.dataOffset()
                            + tcp.headerLength() + tcp.flags() + tcp.window() + tcp.checksum() + tcp.urgentPointer()
                            + tcp.optionsOffset() + tcp.optionsLength() + tcp.payloadOffset() + tcp.payloadLength()
                            + (tcp.fin() ? 1 : 0) + (tcp.syn() ? 1 : 0) + (tcp.rst() ? 1 : 0) + (tcp.psh() ? 1 : 0)
                            + (tcp.ack() ? 1 : 0) + (tcp.urg() ? 1 : 0) + (tcp.ece() ? 1 : 0) + (tcp.cwr() ? 1 : 0)
                            + (tcp.verifyChecksum(pseudo) ? 1 : 0) + tcp.toString().length();
                    tcpOptions.parse(tcp);
                    sink += tcpOptions.mss() + tcpOptions.windowScale() + (tcpOptions.sackPermitted() ? 1 : 0)
                            + tcpOptions.tsVal() + tcpOptions.tsEcr() + (tcpOptions.hasTimestamps() ? 1 : 0);
                    for (int i = 0; i < tcpOptions.sackBlockCount(); i++) {
                        sink += tcpOptions.sackLeft(i) + tcpOptions.sackRight(i);
                    }
                    TcpRepr repr = TcpRepr.parse(tcp);
                    ByteBuffer fresh = ByteBuffer.allocate(repr.bufferLength());
                    TcpPacket out = new TcpPacket().wrap(fresh);
                    repr.emit(out);
                    out.fillChecksum(pseudo);
                    assertEquals(WireCheck.VALID, out.check());
                    assertEquals(repr, TcpRepr.parse(out));
                }
            }
            case IpProtocol.ICMP -> {
                if (icmp4.wrap(buf, offset, length).check() == WireCheck.VALID) {
                    valid[5]++;
                    sink += icmp4.type() + icmp4.code() + icmp4.checksum() + icmp4.restOfHeader() + icmp4.echoIdent()
                            + icmp4.echoSeq() + icmp4.pointer() + icmp4.nextHopMtu() + icmp4.dataOffset()
                            + icmp4.dataLength() + (icmp4.verifyChecksum() ? 1 : 0) + icmp4.toString().length();
                    Icmpv4Repr repr = Icmpv4Repr.parse(icmp4);
                    ByteBuffer fresh = ByteBuffer.allocate(repr.bufferLength());
                    Icmpv4Packet out = new Icmpv4Packet().wrap(fresh);
                    repr.emit(out);
                    out.fillChecksum();
                    assertEquals(WireCheck.VALID, out.check());
                    assertEquals(repr, Icmpv4Repr.parse(out));
                    if (quoted4.wrap(buf, icmp4.dataOffset(), icmp4.dataLength()).checkQuoted() == WireCheck.VALID) {
                        readIpv4(quoted4);
                        sink += quoted4.availablePayloadLength();
                    }
                }
            }
            case IpProtocol.ICMPV6 -> {
                if (icmp6.wrap(buf, offset, length).check() == WireCheck.VALID) {
                    valid[6]++;
                    sink += icmp6.type() + icmp6.code() + icmp6.checksum() + icmp6.restOfHeader() + icmp6.echoIdent()
                            + icmp6.echoSeq() + icmp6.pointer() + icmp6.mtu() + icmp6.dataOffset()
                            + icmp6.dataLength() + (icmp6.verifyChecksum(pseudo) ? 1 : 0) + icmp6.toString().length();
                    Icmpv6Repr repr = Icmpv6Repr.parse(icmp6);
                    ByteBuffer fresh = ByteBuffer.allocate(repr.bufferLength());
                    Icmpv6Packet out = new Icmpv6Packet().wrap(fresh);
                    repr.emit(out);
                    out.fillChecksum(pseudo);
                    assertEquals(WireCheck.VALID, out.check());
                    assertEquals(repr, Icmpv6Repr.parse(out));
                    if (quoted6.wrap(buf, icmp6.dataOffset(), icmp6.dataLength()).checkQuoted() == WireCheck.VALID) {
                        readIpv6(quoted6);
                        if (quotedExt.walk(quoted6) == WireCheck.VALID) {
                            readWalk(quotedExt);
                        }
                    }
                }
            }
            default -> sink += v6 ? 1 : 0;
        }
    }

    private void readIpv4(Ipv4Packet p) {
        sink += p.version() + p.headerLength() + p.dscpEcn() + p.dscp() + p.ecn() + p.totalLength() + p.ident()
                + (p.dontFragment() ? 1 : 0) + (p.moreFragments() ? 1 : 0) + p.fragmentOffset()
                + (p.isFragment() ? 1 : 0) + p.ttl() + p.protocol() + p.checksum() + p.srcAddr() + p.dstAddr()
                + p.optionsOffset() + p.optionsLength() + p.payloadOffset() + p.payloadLength()
                + (p.verifyChecksum() ? 1 : 0) + p.pseudoHeaderSum(p.protocol(), p.payloadLength())
                + p.toString().length();
    }

    private void roundTripIpv4(Ipv4Packet p) {
        Ipv4Repr repr = Ipv4Repr.parse(p);
        ByteBuffer fresh = ByteBuffer.allocate(repr.bufferLength());
        Ipv4Packet out = new Ipv4Packet().wrap(fresh);
        repr.emit(out);
        out.fillChecksum();
        assertEquals(WireCheck.VALID, out.check());
        assertEquals(true, out.verifyChecksum());
        assertEquals(repr, Ipv4Repr.parse(out));
    }

    private void readIpv6(Ipv6Packet p) {
        sink += p.version() + p.trafficClass() + p.flowLabel() + p.payloadLength() + p.nextHeader() + p.hopLimit()
                + p.srcHigh() + p.srcLow() + p.dstHigh() + p.dstLow() + p.payloadOffset()
                + p.pseudoHeaderSum(p.nextHeader(), p.payloadLength()) + p.toString().length();
    }

    private void roundTripIpv6(Ipv6Packet p) {
        Ipv6Repr repr = Ipv6Repr.parse(p);
        ByteBuffer fresh = ByteBuffer.allocate(repr.bufferLength());
        Ipv6Packet out = new Ipv6Packet().wrap(fresh);
        repr.emit(out);
        assertEquals(WireCheck.VALID, out.check());
        assertEquals(repr, Ipv6Repr.parse(out));
    }

    private void readWalk(Ipv6ExtensionHeaders e) {
        sink += e.upperProtocol() + e.upperOffset() + e.upperLength() + e.upperProtocolFieldOffset() + e.headerCount()
                + (e.hasFragmentHeader() ? 1 : 0) + (e.isFragment() ? 1 : 0) + e.fragmentOffset()
                + (e.moreFragments() ? 1 : 0) + e.fragmentId() + e.fragmentHeaderOffset()
                + e.fragmentNextHeaderFieldOffset() + e.fragmentablePartOffset();
    }
}
