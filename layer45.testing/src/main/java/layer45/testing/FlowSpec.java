package layer45.testing;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.NetworkProtocol;
import layer45.api.ProcessOwner;
import layer45.api.Transport;

/**
 * The facts of a flow to test with: protocol, the application's ("local") and its peer's ("remote") address and
 * port, who opened it, and the process and thread that own the application's socket. Immutable; every method
 * returns a changed copy.
 *
 * <pre>{@code
 * FlowSpec query = FlowSpec.udp().from("10.0.0.1", 40000).to("10.0.0.2", 53).process("dig").thread("isc-net-0000");
 * FlowSpec served = FlowSpec.tcp().local("10.0.0.2", 53).remote("10.0.0.1", 40000).openedByPeer().process("dnsmasq");
 * }</pre>
 *
 * <p>Unless set: local {@code 127.0.0.1:40000}, remote {@code 127.0.0.1:9}, opened by the application, owned by
 * process and thread {@code app} (pid and tgid 4242, uid 1000). Addresses are IP literals; nothing is looked up.
 * Task names are compared as the runtime compares them: Linux truncates them to 15 bytes, so give the truncated
 * name, as the kernel shows it in {@code /proc/PID/comm}.
 *
 * @param transport TCP or UDP
 * @param local the application's address and port
 * @param remote the peer's address and port
 * @param initiator which side opened the flow
 * @param owner the process and thread owning the application's socket
 */
public record FlowSpec(Transport transport, InetSocketAddress local, InetSocketAddress remote, Initiator initiator,
        ProcessOwner owner) {

    private static final ProcessOwner DEFAULT_OWNER = new ProcessOwner(4242, 4242, "app", "app", 1000);

    /** Checks every fact is there. */
    public FlowSpec {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(initiator, "initiator");
        Objects.requireNonNull(owner, "owner");
    }

    /** @return a TCP flow with the defaults */
    public static FlowSpec tcp() {
        return of(Transport.TCP);
    }

    /** @return a UDP flow with the defaults */
    public static FlowSpec udp() {
        return of(Transport.UDP);
    }

    private static FlowSpec of(Transport transport) {
        return new FlowSpec(transport, endpoint("127.0.0.1", 40000), endpoint("127.0.0.1", 9), Initiator.LOCAL,
                DEFAULT_OWNER);
    }

    /**
     * @param address the application's IP address, a literal such as {@code 10.0.0.1} or {@code fd00::1}
     * @param port its port
     * @return this flow with the application at that address and port
     */
    public FlowSpec local(String address, int port) {
        return new FlowSpec(transport, endpoint(address, port), remote, initiator, owner);
    }

    /**
     * @param address the peer's IP address, a literal
     * @param port its port
     * @return this flow with the peer at that address and port
     */
    public FlowSpec remote(String address, int port) {
        return new FlowSpec(transport, local, endpoint(address, port), initiator, owner);
    }

    /**
     * The application opens the flow from this address: {@link #local(String, int)} and opened by the application.
     *
     * @param address the application's IP address
     * @param port its port
     * @return the changed flow
     */
    public FlowSpec from(String address, int port) {
        return new FlowSpec(transport, endpoint(address, port), remote, Initiator.LOCAL, owner);
    }

    /**
     * The application opens the flow to this address: {@link #remote(String, int)} and opened by the application.
     *
     * @param address the peer's IP address
     * @param port its port
     * @return the changed flow
     */
    public FlowSpec to(String address, int port) {
        return new FlowSpec(transport, local, endpoint(address, port), Initiator.LOCAL, owner);
    }

    /** @return this flow opened by the peer: the application accepted it (a server) */
    public FlowSpec openedByPeer() {
        return new FlowSpec(transport, local, remote, Initiator.REMOTE, owner);
    }

    /**
     * @param name the owning process's task name (tgid), such as {@code dig}; the thread keeps its name unless it
     *        had the default one, in which case it gets this one too (a single-threaded program)
     * @return the changed flow
     */
    public FlowSpec process(String name) {
        String thread = owner.threadName().equals(DEFAULT_OWNER.threadName()) ? name : owner.threadName();
        return new FlowSpec(transport, local, remote, initiator,
                new ProcessOwner(owner.pid(), owner.tgid(), thread, name, owner.uid()));
    }

    /**
     * @param name the owning thread's task name (pid), such as {@code isc-net-0000}
     * @return the changed flow
     */
    public FlowSpec thread(String name) {
        return new FlowSpec(transport, local, remote, initiator,
                new ProcessOwner(owner.pid(), owner.tgid(), name, owner.processName(), owner.uid()));
    }

    /** @return this flow with an owner the runtime could not find: it matches only targets accepting any name */
    public FlowSpec unknownOwner() {
        return new FlowSpec(transport, local, remote, initiator, ProcessOwner.UNKNOWN);
    }

    /** @return the facts as the runtime hands them to modules */
    public FlowInfo info() {
        return new FlowInfo(transport, NetworkProtocol.of(local.getAddress()), local, remote, initiator, owner);
    }

    @Override
    public String toString() {
        return info().toString();
    }

    private static InetSocketAddress endpoint(String address, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(address), port);
    }
}
