/**
 * Transport-layer support shared by the protocols: the {@link layer45.mnet.socket.FlowTable} that finds a flow by
 * its 5-tuple without allocating. The protocols themselves live in subpackages, {@code udp} and {@code tcp}.
 */
package layer45.mnet.socket;
