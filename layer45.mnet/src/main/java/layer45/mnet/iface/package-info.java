/**
 * The network layer: an {@link layer45.mnet.iface.Interface} runs one device and the network protocols on it.
 *
 * <p>Heads up: before working here, read RFC 1122 (host requirements, sections 3.2 and 3.3), RFC 791 and RFC 792
 * for IPv4 and ICMP, RFC 8200 and RFC 4443 for IPv6 and ICMPv6, and RFC 1812, 4.3.2.3, for what an ICMP error
 * quotes.
 *
 * <p>Received packets are demultiplexed by link protocol: IPv4 ({@link layer45.mnet.iface.Ipv4Layer}) and IPv6
 * ({@link layer45.mnet.iface.Ipv6Layer}) are built in, other protocols are plugged in as
 * {@link layer45.mnet.NetworkProtocolHandler}s ({@link layer45.mnet.iface.PluggedLayer}). Each layer checks the
 * header, reassembles fragments ({@code layer45.mnet.frag}), answers echo requests, and hands the payload to the
 * {@link layer45.mnet.iface.Transport} of its protocol number, which may ask for an ICMP error in return. On the
 * way out, {@link layer45.mnet.iface.Routes} picks the layer for a destination and the layer fragments what does
 * not fit the MTU.
 *
 * <p>The stack terminates flows: besides its own addresses it takes packets to any unicast address when
 * {@link layer45.mnet.iface.InterfaceConfig#terminateForeign()} is set, answering as that address would.
 *
 * <p>Rules: nothing malformed is thrown. Each drop is counted under its reason, in the layer's counters
 * ({@link layer45.mnet.iface.Interface#counters()}), and nothing is allocated per packet. Everything runs on the
 * stack's loop thread.
 */
package layer45.mnet.iface;
