package layer45.mnet;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sockets for programs inside the runtime, on the network stack itself: they address peers by host identifier (a
 * name of the {@link HostIdentifiers} table, reached at ordered addresses over IPv4, IPv6 and plugged-in network
 * protocols) or by a literal {@link HostAddress}, and hear of peers as host identifiers, as the {@code mnet} kernel
 * module's {@code AF_MHOST} sockets did.
 *
 * <pre>
 * HostSockets sockets = netStack.sockets();
 * try (HostDatagramSocket socket = sockets.openDatagram(0)) {
 *     socket.send("srv", 7, ByteBuffer.wrap("hello".getBytes(UTF_8)));
 *     HostDatagram answer = socket.receive(Duration.ofSeconds(2));
 *     System.out.println(answer.from().name() + " over " + answer.from().protocol());
 * }
 * try (HostConnection c = sockets.connect("srv", 8080, Duration.ofSeconds(1))) {
 *     c.output().write(request);
 *     c.shutdownOutput();
 *     byte[] reply = c.input().readAllBytes();
 * }
 * </pre>
 *
 * <p><b>Translation.</b> Sending to, or connecting to, a host identifier uses its first address whose network
 * protocol the stack speaks now; an address whose protocol is not (yet, or any more) plugged in is skipped. A
 * datagram socket moves on to the next address when an ICMP destination-unreachable error comes back for the current
 * one (and sends the datagram the error answered again there, until the peer has answered); a connection moves on
 * when an address is unreachable or does not answer within the connect timeout. A refusal (RST) is an answer: it is
 * reported, not failed over. What was chosen and why is a {@link HostChoice}, listed with the other flows to host
 * identifiers ({@link HostIdentifiers#flows()}, {@code l45:mhost flows}).
 *
 * <p><b>Receiving.</b> A bound port receives over every network protocol the stack speaks at once, plugged-in ones
 * included (those plugged in later, too). The sender is reported as the first host identifier that lists its
 * address, or by its address when none does ({@link HostEndpoint}).
 *
 * <p><b>Customizations.</b> Every flow opened through these sockets is a flow of the customization runtime like any
 * other, with the program in the runtime as its application: modules see what it sends as sent.
 *
 * <p>Every method may be called from any thread, virtual threads included; blocking calls wait on the calling
 * thread, never on the stack's.
 *
 * @since 1.4
 */
@ProviderType
public interface HostSockets {

    /**
     * Binds a datagram (UDP) socket to a port on every address and network protocol of the stack.
     *
     * @param port the port, 1 to 65535, or 0 for a free ephemeral one
     * @return the socket; close it
     * @throws java.net.BindException if the port is taken in the stack
     * @throws IOException if the stack is off
     */
    HostDatagramSocket openDatagram(int port) throws IOException;

    /**
     * Connects (TCP) to a host identifier: its usable addresses in order, each given {@code timeout} to answer.
     *
     * @param identifier the host identifier's name
     * @param port the port, used for each address that does not name its own
     * @param timeout how long each address may take to answer
     * @return the connection; close it
     * @throws java.net.UnknownHostException if no host identifier has that name
     * @throws java.net.ConnectException if an address refused (nothing listens there)
     * @throws java.net.NoRouteToHostException if no address is usable, or every one was unreachable or silent; the
     *         message lists each with its outcome
     * @throws IOException if the stack is off
     */
    HostConnection connect(String identifier, int port, Duration timeout) throws IOException;

    /**
     * Connects (TCP) to one address, without translation.
     *
     * @param address the address, on its network protocol
     * @param port the port, used if the address does not name one
     * @param timeout how long it may take to answer
     * @return the connection; close it
     * @throws java.net.ConnectException if it refused
     * @throws java.net.NoRouteToHostException if its protocol is not in the stack or it is unreachable
     * @throws java.net.SocketTimeoutException if it did not answer in time
     * @throws IOException if the stack is off
     */
    HostConnection connect(HostAddress address, int port, Duration timeout) throws IOException;

    /**
     * Listens (TCP) on a port on every address and network protocol of the stack.
     *
     * @param port the port, 1 to 65535, or 0 for a free ephemeral one
     * @return the listening socket; close it
     * @throws java.net.BindException if the port is listened on already in the stack
     * @throws IOException if the stack is off
     */
    HostServerSocket listen(int port) throws IOException;

    /** @return the network protocols the stack speaks now, such as {@code [ipv4, ipv6, toy]} */
    List<String> protocols();
}
