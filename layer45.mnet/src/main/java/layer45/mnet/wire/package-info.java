/**
 * Packet formats: zero-copy views over {@link java.nio.ByteBuffer} and immutable representations, in the manner
 * of smoltcp's {@code wire} module.
 *
 * <h2>Views</h2>
 * A view ({@link layer45.mnet.wire.Ipv4Packet}, {@link layer45.mnet.wire.Ipv6Packet},
 * {@link layer45.mnet.wire.UdpPacket}, {@link layer45.mnet.wire.TcpPacket}, {@link layer45.mnet.wire.Icmpv4Packet},
 * {@link layer45.mnet.wire.Icmpv6Packet}) is a reusable flyweight: {@code new} it once per stack, then
 * {@code wrap(buf, offset, length)} it around each packet. It reads and writes fields in place with absolute
 * big-endian {@code get}/{@code put} calls relative to its offset; it never moves the buffer's position or limit,
 * never copies and never allocates. A view is valid only while the buffer is: a buffer lent by a
 * {@link layer45.mnet.phy.Device} dies when the call that lent it returns, and so does every view on it.
 * Offsets returned by views ({@code payloadOffset()}, {@code optionsOffset()}) are absolute buffer indices.
 * {@link layer45.mnet.wire.Ipv6ExtensionHeaders} and {@link layer45.mnet.wire.TcpOptions} are reusable readers
 * of the same kind.
 *
 * <p>What views have in common is written once, in package-private abstract bases: {@code PacketView} holds the
 * wrapped window ({@code wrap}, {@code buffer()}, {@code offset()}, {@code length()}, {@code toString()}) and the
 * option layout IPv4 and TCP share; {@code IcmpPacket} holds the header ICMPv4 and ICMPv6 share; and
 * {@code TransportPacket} the ports and the incremental (NAT) checksum updates UDP and TCP share. The bases are
 * self-typed, so {@code wrap} returns the concrete view; the concrete views are final classes and the inherited
 * methods final, so every call on a view stays monomorphic.
 *
 * <h2>What {@code check()} guarantees</h2>
 * {@code wrap} checks nothing. {@code check()} inspects the lengths and structure of the wrapped bytes (and that
 * the region lies inside the buffer's limit) and returns {@link layer45.mnet.wire.WireCheck#VALID} or the reason
 * the bytes are malformed, never throwing. After {@code VALID}, no accessor of the view throws for any input,
 * {@code payloadOffset() + payloadLength()} lies inside the wrapped region, the extension-header walk and
 * {@link layer45.mnet.wire.TcpOptions#parse} do not throw, and {@code Repr.parse} succeeds. {@code check()} is
 * structural only: checksums are verified separately with {@code verifyChecksum}, and semantic rules (a source
 * address that is multicast, a port 0) are the stack's.
 *
 * <h2>Parsing untrusted input</h2>
 * <ol>
 * <li>{@code wrap} the received region: an IP view around the whole packet, a transport view around exactly the
 * IP payload ({@code ip.payloadOffset()}, {@code ip.payloadLength()}, or the upper-layer offset and length from
 * {@link layer45.mnet.wire.Ipv6ExtensionHeaders#walk});</li>
 * <li>{@code check()}; on anything but {@code VALID}, count the constant and drop the packet;</li>
 * <li>{@code verifyChecksum(...)}, with the pseudo-header sum from the IP view
 * ({@code ip.pseudoHeaderSum(protocol, transportLength)}) for UDP, TCP and ICMPv6 (and
 * {@link layer45.mnet.wire.UdpPacket#checksumOmitted()} rejected over IPv6);</li>
 * <li>read fields from the view on the hot path, or {@code XRepr.parse(view)} on control paths.</li>
 * </ol>
 *
 * <h2>Emitting</h2>
 * <ol>
 * <li>{@code wrap} the target region unchecked: never call {@code check()} on an emit buffer, whose stale bytes
 * may hold any length field;</li>
 * <li>write the header: {@code repr.emit(view)} writes every header field, zeros included, and the checksum as 0;
 * or, on the hot path, the view's setters for every field;</li>
 * <li>write the payload at {@code payloadOffset()};</li>
 * <li>fill the checksums last, innermost first: {@code transport.fillChecksum(ip.pseudoHeaderSum(...))} for UDP,
 * TCP and ICMPv6, {@code fillChecksum()} for ICMPv4, then {@code ipv4.fillChecksum()} for the IPv4 header. No
 * {@code emit} computes a checksum: the caller always does, once the bytes it covers are final.</li>
 * </ol>
 * {@code Repr.emit} throws {@link java.lang.IllegalArgumentException} when the view wraps fewer than
 * {@code headerLength()} bytes; that is a programmer error, not a network condition.
 *
 * <h2>Representations</h2>
 * Records such as {@link layer45.mnet.wire.Ipv4Repr} and {@link layer45.mnet.wire.TcpRepr} hold the fields the stack
 * understands, validated on construction. They allocate, so they serve control paths, tests and rare packets (ICMP
 * errors, resets); {@code emit(parse(x))} keeps a packet's meaning, not necessarily its bytes (unknown TCP options
 * and reserved bits are dropped).
 *
 * <h2>Addresses</h2>
 * {@link layer45.mnet.wire.IpAddress} values never look up names. Views hand out addresses as {@code int} (IPv4)
 * or two {@code long}s (IPv6) so the hot path builds no objects.
 */
package layer45.mnet.wire;
