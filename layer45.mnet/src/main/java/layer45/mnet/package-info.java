/**
 * The layer45 network stack's façade: the {@link layer45.mnet.NetStack} service operators and the runtime read, the
 * {@link layer45.mnet.NetworkProtocolHandler} service interface through which bundles plug further network
 * protocols in beside IPv4 and IPv6, and the {@link layer45.mnet.HostIdentifiers} service, the table of host
 * identifiers ({@link layer45.mnet.HostIdentifier}: a name for a host reached at ordered
 * {@link layer45.mnet.HostAddress}es across network protocols) with the {@link layer45.mnet.HostChoice} made for each
 * flow, as the {@code mnet} kernel module did; and the {@link layer45.mnet.PeerLinks} service, the stacks whose
 * device is a tunnel to another layer45, each also a {@link layer45.mnet.NetStack} service of its own.
 *
 * <p>Programs inside the runtime use host identifiers through {@link layer45.mnet.NetStack#sockets()}
 * ({@link layer45.mnet.HostSockets}, since 1.4): datagram sockets ({@link layer45.mnet.HostDatagramSocket}) and
 * stream sockets ({@link layer45.mnet.HostConnection}, {@link layer45.mnet.HostServerSocket}) on the stack itself,
 * that send and connect to an identifier with translation and failover, receive on one port over every network
 * protocol, and report peers as identifiers ({@link layer45.mnet.HostEndpoint}):
 *
 * <pre>
 * try (HostDatagramSocket socket = netStack.sockets().openDatagram(0)) {
 *     socket.send("srv", 7, ByteBuffer.wrap(bytes));
 *     HostDatagram answer = socket.receive(Duration.ofSeconds(2)); // answer.from(): srv, over the protocol used
 * }
 * </pre>
 *
 * <p>Everything else in the bundle is private. The stack is built in layers, one package each, with dependencies
 * pointing one way (after smoltcp):
 * <ul>
 *   <li>{@code wire}: packet formats, checked views and records, no state;</li>
 *   <li>{@code phy}: devices (TUN through FFM in {@code phy.linux}, an in-memory link, fault injection, pcap);</li>
 *   <li>{@code frag}: fragment reassembly within limits;</li>
 *   <li>{@code iface}: the network layer (IPv4, IPv6, ICMP, plugged-in protocols, routes);</li>
 *   <li>{@code socket}: transports (UDP flows and TCP connections, each a flow handed to the runtime through
 *       {@link layer45.api.spi.FlowTap});</li>
 *   <li>{@code service}: small services on the stack's own addresses (echo, discard, a fixed HTTP reply, a
 *       port forward), written against {@code socket.tcp.TcpStream} like any user of a connection;</li>
 *   <li>{@code relay}: the flows no service takes, carried on to their destinations through the host's sockets, with
 *       each flow's customization chain on threads of its own; host ports forwarded into the namespace; flows to a
 *       host identifier's virtual address carried to its addresses with failover;</li>
 *   <li>{@code mhost}: the host-identifier table (the file, the configuration, operators' edits), the virtual
 *       addresses, and the name service that answers identifiers' names in the stack's DNS;</li>
 *   <li>{@code sockets}: the sockets of programs in the runtime ({@link layer45.mnet.HostSockets}), whose work
 *       crosses to the loop thread and who wait on their own, in bounded rings and queues;</li>
 *   <li>{@code loop}: the thread that runs it all;</li>
 *   <li>{@code owner}: which process and thread own a flow's socket in the namespace (sock_diag over netlink,
 *       {@code /proc}), for the owner customizations match on;</li>
 *   <li>{@code osgi}: the component that builds it from configuration.</li>
 * </ul>
 * Support: {@code time} (a clock tests control) and {@code stats} (counters by reason).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package layer45.mnet;
