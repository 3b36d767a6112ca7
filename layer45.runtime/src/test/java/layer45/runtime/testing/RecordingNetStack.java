package layer45.runtime.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import layer45.mnet.NamespaceRequest;
import layer45.mnet.NetStack;
import layer45.mnet.NetStackStatus;
import layer45.mnet.TcpConnectionStatus;
import layer45.mnet.UdpFlowStatus;

/**
 * A network stack for the commands' tests: it records what it is asked to attach and detach ({@link #calls}), answers
 * an attach with a made-up link ({@code l45tun1}, {@code l45tun2}, ..., MTU 1500, the stack on 10.45.1.1/24 and the
 * namespace on 10.45.1.2), or refuses it with {@link #refusal}. Subclasses may do more when a namespace comes and
 * goes ({@link #attached}, {@link #detached}).
 */
public class RecordingNetStack implements NetStack {

    /** What the stack was asked, in order: {@code attach NamespaceRequest[...]}, {@code detach NAME}. */
    public final List<String> calls = new CopyOnWriteArrayList<>();

    /** The stack's own status, its configured link: running on {@code l45tun0} in {@code layer45} unless set. */
    public volatile NetStackStatus status = new NetStackStatus(true, "", "l45tun0", "layer45", 65520,
            List.of("10.45.0.1/24", "fd45::1/64"), List.of("10.45.0.2", "fd45::2"), List.of("ipv4", "ipv6"));

    /** When set, why every attach is refused (as {@link IllegalArgumentException}). */
    public volatile String refusal;

    private final List<NetStackStatus> links = new CopyOnWriteArrayList<>();

    /** Forgets every call and link, and the refusal. */
    public void reset() {
        calls.clear();
        links.clear();
        refusal = null;
    }

    /** @param link a link to list, as if attached (the configured namespace's, say) */
    public void add(NetStackStatus link) {
        links.add(link);
    }

    @Override
    public NetStackStatus status() {
        return status;
    }

    @Override
    public Map<String, Map<String, Long>> counters() {
        return Map.of();
    }

    @Override
    public List<UdpFlowStatus> udpFlows() {
        return List.of();
    }

    @Override
    public List<TcpConnectionStatus> tcpConnections() {
        return List.of();
    }

    @Override
    public NetStackStatus attach(NamespaceRequest request) {
        calls.add("attach " + request);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        if (links.stream().anyMatch(l -> l.namespace().equals(request.name()))) {
            throw new IllegalStateException("namespace " + request.name() + " is attached already");
        }
        attached(request);
        NetStackStatus link = new NetStackStatus(true, "", "l45tun" + (links.size() + 1), request.name(), 1500,
                List.of("10.45.1.1/24"), List.of("10.45.1.2"), List.of("ipv4", "ipv6"));
        links.add(link);
        return link;
    }

    @Override
    public boolean detach(String namespace) {
        boolean attached = links.removeIf(l -> l.namespace().equals(namespace));
        if (attached) {
            detached(namespace);
        }
        calls.add("detach " + namespace); // last, so a test that waits for it sees the detach complete
        return attached;
    }

    @Override
    public List<NetStackStatus> links() {
        return List.copyOf(links);
    }

    /** @param request a namespace about to be attached; nothing happens here */
    protected void attached(NamespaceRequest request) {
    }

    /** @param namespace a namespace just detached; nothing happens here */
    protected void detached(String namespace) {
    }
}
