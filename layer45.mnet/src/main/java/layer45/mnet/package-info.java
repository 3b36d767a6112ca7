/**
 * The layer45 network stack's façade: the {@link layer45.mnet.NetStack} service operators and the runtime read, and
 * the {@link layer45.mnet.NetworkProtocolHandler} service interface through which bundles plug further network
 * protocols in beside IPv4 and IPv6, as the {@code mnet} kernel module did.
 *
 * <p>Everything else in the bundle is private. The stack is built in layers, one package each, with dependencies
 * pointing one way (after smoltcp): {@code wire} (packet formats, no state) ← {@code phy} (devices) ←
 * {@code iface} (network layer: IPv4, IPv6, ICMP, fragments, the protocol registry and routes) ← {@code socket}
 * (transport: UDP endpoints and flows, handed to the runtime through {@link layer45.api.spi.FlowTap}) ←
 * {@code loop} (the thread that runs it all) ← {@code osgi} (the component that builds it from configuration).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package layer45.mnet;
