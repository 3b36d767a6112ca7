package layer45.mnet.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import layer45.mnet.HostAddress;
import layer45.mnet.NetStack;
import layer45.mnet.NetStackStatus;
import layer45.mnet.TcpConnectionStatus;
import layer45.mnet.UdpFlowStatus;
import org.junit.jupiter.api.Test;

/** The component's sockets follow its stack: off while there is none, saying why, and the stack's once it runs. */
class FollowingSocketsTest {

    private volatile NetStack running;
    private final FollowingSockets sockets = new FollowingSockets(() -> running,
            () -> "it is still setting up its TUN link; ask again in a moment");

    @Test
    void withoutAStackEveryCallSaysWhy() {
        SocketException off = assertThrows(SocketException.class, () -> sockets.openDatagram(0));
        assertEquals("the network stack is off: it is still setting up its TUN link; ask again in a moment",
                off.getMessage());
        assertThrows(SocketException.class, () -> sockets.listen(80));
        assertThrows(SocketException.class, () -> sockets.connect("srv", 80, Duration.ofSeconds(1)));
        assertThrows(SocketException.class, () -> sockets.connect(HostAddress.parse("::1"), 80, Duration.ofSeconds(1)));
        assertEquals(List.of(), sockets.protocols());
    }

    @Test
    void withAStackTheCallsAreItsAndAStackWithoutSocketsSaysSo() {
        running = new StackWithoutSockets();

        UnsupportedOperationException none = assertThrows(UnsupportedOperationException.class,
                () -> sockets.openDatagram(0));
        assertTrue(none.getMessage().contains("offers no sockets"), none.getMessage());
    }

    /** A stack of the 1.3 API: the default {@link NetStack#sockets()}. */
    private static final class StackWithoutSockets implements NetStack {
        @Override
        public NetStackStatus status() {
            return NetStackStatus.off("test");
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
        public NetStackStatus attach(layer45.mnet.NamespaceRequest request) {
            throw new IllegalStateException();
        }

        @Override
        public boolean detach(String namespace) {
            return false;
        }

        @Override
        public List<NetStackStatus> links() {
            return List.of();
        }
    }
}
