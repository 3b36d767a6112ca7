/**
 * mnet: the user-space TCP/IP stack that layer45 binds customizations to.
 *
 * <p>Not built yet. The stack will speak IPv4, IPv6 and pluggable network protocols on a TUN device, terminate
 * every TCP and UDP flow of the programs in a network namespace, and hand each flow to the runtime through
 * {@link layer45.api.spi.FlowTap}: one {@link layer45.api.spi.TappedFlow} per flow, every chunk in both directions
 * through {@link layer45.api.spi.TappedFlow#process}, the output relayed through host sockets.
 */
package layer45.mnet;
