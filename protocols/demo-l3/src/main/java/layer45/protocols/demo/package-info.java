/**
 * The demo network protocol: an example of a network (layer 3) protocol plugged into the layer45 stack beside IPv4
 * and IPv6 as an OSGi bundle, the way the {@code mnet} kernel module took per-protocol handlers.
 *
 * <p>{@link layer45.protocols.demo.DemoProtocol} is the handler, registered with Declarative Services as a
 * {@link layer45.mnet.NetworkProtocolHandler}; {@link layer45.protocols.demo.DemoPacket} is the checked view of
 * its header. Private: the bundle exports nothing.
 */
package layer45.protocols.demo;
