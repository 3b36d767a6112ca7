from scapy.all import *
from scapy.layers.inet import IP, UDP, TCP, ICMP, IPOption_Router_Alert
from scapy.layers.inet6 import *
import sys

out = {}
def put(name, pkt, note=""):
    b = bytes(pkt)
    out[name] = (b, note)

udp_payload = b"layer45!"  # 8 bytes
p = IP(src="10.0.0.1", dst="10.0.0.2", id=0x1234, flags="DF", ttl=64)/UDP(sport=40000, dport=53)/udp_payload
put("IPV4_UDP", p)
p0 = IP(src="10.0.0.1", dst="10.0.0.2", id=0x1235, flags="DF", ttl=64)/UDP(sport=40000, dport=53, chksum=0)/udp_payload
put("IPV4_UDP_ZERO_CHECKSUM", p0)
put("IPV4_OPTIONS_ICMP_ECHO", IP(src="192.168.1.10", dst="192.168.1.1", id=0xabcd, ttl=1, options=[IPOption_Router_Alert()])/ICMP(type=8, id=0x4242, seq=7)/b"abcdefgh")
put("IPV4_TCP_SYN", IP(src="10.0.0.1", dst="93.184.216.34", id=0, flags="DF", ttl=64)/TCP(sport=54321, dport=80, seq=0x12345678, ack=0, flags="S", window=64240,
    options=[("MSS",1460),("SAckOK",b""),("Timestamp",(0x01020304,0)),("NOP",None),("WScale",7)]))
put("IPV4_TCP_DATA", IP(src="10.0.0.1", dst="93.184.216.34", id=0x0101, flags="DF", ttl=64)/TCP(sport=54321, dport=80, seq=0x12345679, ack=0xa0b0c0d1, flags="PA", window=502,
    options=[("NOP",None),("NOP",None),("Timestamp",(0x01020404,0x55667788))])/b"GET / HTTP/1.0\r\n\r\n")
put("IPV4_TCP_SACK", IP(src="93.184.216.34", dst="10.0.0.1", id=0x0202, flags="DF", ttl=56)/TCP(sport=80, dport=54321, seq=0xa0b0c0d1, ack=0x1234568b, flags="A", window=509,
    options=[("NOP",None),("NOP",None),("SAck",(0x1234a000,0x1234b000,0x1234c000,0x1234d000))]))
put("IPV4_TCP_RST", IP(src="10.0.0.2", dst="10.0.0.1", id=0, flags="DF", ttl=64)/TCP(sport=80, dport=54321, seq=0, ack=0x12345679, flags="RA", window=0))
# fragments of a UDP datagram with 24 bytes of payload: first 16 bytes (8 hdr + 8 data), then rest
whole = IP(src="10.0.0.1", dst="10.0.0.2", id=0x7777, ttl=64)/UDP(sport=5000, dport=6000)/(b"0123456789abcdefghijklmn")
frags = fragment(whole, fragsize=16)
put("IPV4_FRAG_FIRST", frags[0])
put("IPV4_FRAG_LAST", frags[-1])
# ICMP errors quoting the UDP datagram's header + 8 bytes
quoted = bytes(p)[:28]
put("ICMPV4_PORT_UNREACHABLE", IP(src="10.0.0.2", dst="10.0.0.1", id=0x5555, ttl=64)/ICMP(type=3, code=3)/quoted)
put("ICMPV4_FRAG_NEEDED", IP(src="10.0.0.254", dst="10.0.0.1", id=0x5556, ttl=255)/ICMP(type=3, code=4, nexthopmtu=1400)/quoted)
put("ICMPV4_TIME_EXCEEDED", IP(src="10.0.0.254", dst="10.0.0.1", id=0x5557, ttl=255)/ICMP(type=11, code=0)/quoted)
put("ICMPV4_ECHO_REPLY", IP(src="192.168.1.1", dst="192.168.1.10", id=0x0001, ttl=64)/ICMP(type=0, id=0x4242, seq=7)/b"abcdefgh")

s6 = "2001:db8::1"; d6 = "2001:db8::2"
p6 = IPv6(src=s6, dst=d6, hlim=64, tc=0, fl=0x12345)/UDP(sport=40000, dport=53)/udp_payload
put("IPV6_UDP", p6)
put("IPV6_TCP_SYN", IPv6(src=s6, dst=d6, hlim=64)/TCP(sport=54321, dport=443, seq=0xcafebabe, flags="S", window=65535,
    options=[("MSS",1440),("SAckOK",b""),("Timestamp",(1000,0)),("NOP",None),("WScale",9)]))
put("ICMPV6_ECHO_REQUEST", IPv6(src="fe80::1", dst="fe80::2", hlim=64)/ICMPv6EchoRequest(id=0x1111, seq=3, data=b"ping6data"))
put("ICMPV6_ECHO_REPLY", IPv6(src="fe80::2", dst="fe80::1", hlim=64)/ICMPv6EchoReply(id=0x1111, seq=3, data=b"ping6data"))
# fragmented IPv6 UDP: first fragment carries UDP header + 8 data bytes (16 bytes, multiple of 8), M=1
w6 = IPv6(src=s6, dst=d6, hlim=64)/IPv6ExtHdrFragment(id=0xdeadbeef)/UDP(sport=5000, dport=6000)/(b"0123456789abcdefghijklmn")
f6 = fragment6(w6, 40+8+16)
put("IPV6_FRAG_FIRST", f6[0])
put("IPV6_FRAG_LAST", f6[-1])
put("IPV6_ATOMIC_FRAG_UDP", IPv6(src=s6, dst=d6, hlim=64)/IPv6ExtHdrFragment(id=0x01020304, offset=0, m=0)/UDP(sport=40000, dport=53)/udp_payload)
put("IPV6_HBH_DEST_TCP_SYN", IPv6(src=s6, dst=d6, hlim=1)/IPv6ExtHdrHopByHop(options=[RouterAlert(value=0), PadN(optdata=b"")])/IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00"*4)])/
    TCP(sport=54321, dport=443, seq=0xcafebabe, flags="S", window=65535, options=[("MSS",1440)]))
put("IPV6_ROUTING_SL0_UDP", IPv6(src=s6, dst=d6, hlim=64)/IPv6ExtHdrSegmentRouting(addresses=["2001:db8::2"], segleft=0, lastentry=0)/UDP(sport=40000, dport=53)/udp_payload)
put("IPV6_ROUTING_SL1_UDP", IPv6(src=s6, dst=d6, hlim=64)/IPv6ExtHdrSegmentRouting(addresses=["2001:db8::3", "2001:db8::2"], segleft=1, lastentry=1)/UDP(sport=40000, dport=53)/udp_payload)
put("IPV6_AH_ICMPV6_ECHO", IPv6(src=s6, dst=d6, hlim=64)/AH(spi=0x100, seq=1, icv=b"\x11"*12, nh=58, payloadlen=4)/ICMPv6EchoRequest(id=7, seq=1, data=b"ah"))
put("IPV6_NO_NEXT_HEADER", IPv6(src=s6, dst=d6, hlim=64, nh=59)/b"\x99\x99")
put("ICMPV6_PACKET_TOO_BIG", IPv6(src="2001:db8::fe", dst=s6, hlim=64)/ICMPv6PacketTooBig(mtu=1280)/bytes(p6)[:56])
put("ICMPV6_PORT_UNREACHABLE", IPv6(src=d6, dst=s6, hlim=64)/ICMPv6DestUnreach(code=4)/bytes(p6))
put("ICMPV6_PARAM_PROBLEM", IPv6(src=d6, dst=s6, hlim=64)/ICMPv6ParamProblem(code=2, ptr=42)/bytes(p6)[:48])

for k, (b, note) in out.items():
    print(k, b.hex())
