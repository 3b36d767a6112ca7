/**
 * UDP: {@link layer45.mnet.socket.udp.UdpLayer} terminates every datagram flow that reaches the stack and passes
 * each datagram through the customization runtime's {@link layer45.api.spi.FlowTap}.
 *
 * <p>A flow joins an endpoint beyond the device (a program in the namespace) with one in the stack: a bound
 * {@link layer45.mnet.socket.udp.UdpSocket} (a service on the stack's own address, such as the echo service) or
 * the peer a {@link layer45.mnet.socket.udp.UdpForwarder} gives it for a foreign address (the relay, next). The
 * program beyond the device is the flow's application: what it sends is customized as {@code SEND}, what it
 * receives as {@code RECV}.
 */
package layer45.mnet.socket.udp;
