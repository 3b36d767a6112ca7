package layer45.mnet.osgi;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import layer45.mnet.HostAddress;
import layer45.mnet.HostConnection;
import layer45.mnet.HostDatagramSocket;
import layer45.mnet.HostServerSocket;
import layer45.mnet.HostSockets;
import layer45.mnet.NetStack;

/**
 * The sockets of the component's stack, whichever runs now: the stack starts after the component (its link is set
 * up on a thread of its own) and may be off, and each call goes to the stack of the moment or says why there is none.
 */
final class FollowingSockets implements HostSockets {

    private final Supplier<NetStack> stack;
    private final Supplier<String> offReason;

    /**
     * @param stack the running stack, or {@code null} while there is none
     * @param offReason why there is none
     */
    FollowingSockets(Supplier<NetStack> stack, Supplier<String> offReason) {
        this.stack = stack;
        this.offReason = offReason;
    }

    @Override
    public HostDatagramSocket openDatagram(int port) throws IOException {
        return current().openDatagram(port);
    }

    @Override
    public HostConnection connect(String identifier, int port, Duration timeout) throws IOException {
        return current().connect(identifier, port, timeout);
    }

    @Override
    public HostConnection connect(HostAddress address, int port, Duration timeout) throws IOException {
        return current().connect(address, port, timeout);
    }

    @Override
    public HostServerSocket listen(int port) throws IOException {
        return current().listen(port);
    }

    @Override
    public List<String> protocols() {
        NetStack running = stack.get();
        return running == null ? List.of() : running.sockets().protocols();
    }

    private HostSockets current() throws SocketException {
        NetStack running = stack.get();
        if (running == null) {
            throw new SocketException("the network stack is off: " + offReason.get());
        }
        return running.sockets();
    }
}
