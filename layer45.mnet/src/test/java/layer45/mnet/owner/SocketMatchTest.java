package layer45.mnet.owner;

import static layer45.mnet.owner.DiagRequest.AF_INET;
import static layer45.mnet.owner.DiagRequest.AF_INET6;
import static layer45.mnet.owner.FakeKernel.socket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class SocketMatchTest {

    private static final InetSocketAddress APP = new InetSocketAddress("10.45.0.2", 53);
    private static final InetSocketAddress PEER = new InetSocketAddress("10.45.0.1", 40000);

    private static final DiagSocket CONNECTED = socket(AF_INET, 1, "10.45.0.2", 53, "10.45.0.1", 40000, 1);
    private static final DiagSocket BOUND = socket(AF_INET, 7, "10.45.0.2", 53, "0.0.0.0", 0, 2);
    private static final DiagSocket ANY = socket(AF_INET, 7, "0.0.0.0", 53, "0.0.0.0", 0, 3);
    private static final DiagSocket ANY_V6 = socket(AF_INET6, 7, "::", 53, "::", 0, 4);
    private static final DiagSocket OTHER_PEER = socket(AF_INET, 1, "10.45.0.2", 53, "10.45.0.9", 40000, 5);
    private static final DiagSocket LISTENER = socket(AF_INET, 10, "0.0.0.0", 53, "0.0.0.0", 0, 6);

    @Test
    void prefersTheConnectedSocketThenTheBoundAddressThenTheWildcard() {
        assertEquals(CONNECTED, best(List.of(ANY, BOUND, CONNECTED, OTHER_PEER), false).socket());
        assertEquals(BOUND, best(List.of(ANY, BOUND, OTHER_PEER), false).socket());
        assertEquals(ANY, best(List.of(ANY, OTHER_PEER), false).socket());
        assertNull(best(List.of(OTHER_PEER), false).socket(), "connected to someone else");
    }

    @Test
    void wantsTheExactPeerForATcpConnection() {
        assertNull(best(List.of(ANY, BOUND), true).socket());
        assertEquals(CONNECTED, best(List.of(BOUND, CONNECTED), true).socket());
    }

    @Test
    void findsTheListenerOnlyWhenAskedFor() {
        assertNull(best(List.of(LISTENER), false).socket());
        assertEquals(LISTENER, SocketMatch.best(List.of(LISTENER, CONNECTED), false, true, APP, PEER).socket());
    }

    @Test
    void letsDualStackSocketsTakeIpv4UnlessV6Only() {
        assertEquals(ANY_V6, best(List.of(ANY_V6), false).socket());
        DiagSocket v6Only = new DiagSocket(AF_INET6, 7, ANY_V6.local(), ANY_V6.remote(), 0, 7, 1);
        assertNull(best(List.of(v6Only), false).socket());
        InetSocketAddress v6App = new InetSocketAddress("fd45::2", 53);
        InetSocketAddress v6Peer = new InetSocketAddress("fd45::1", 40000);
        assertNull(SocketMatch.best(List.of(ANY), false, false, v6App, v6Peer).socket(), "IPv4 takes no IPv6");
        assertEquals(v6Only, SocketMatch.best(List.of(ANY, v6Only), false, false, v6App, v6Peer).socket());
    }

    @Test
    void countsTiesInsteadOfChoosing() {
        DiagSocket twin = socket(AF_INET, 7, "0.0.0.0", 53, "0.0.0.0", 0, 8);
        SocketMatch.Choice tie = best(List.of(ANY, twin), false);
        assertNull(tie.socket());
        assertEquals(2, tie.candidates());
    }

    private static SocketMatch.Choice best(List<DiagSocket> sockets, boolean connection) {
        return SocketMatch.best(sockets, connection, false, APP, PEER);
    }
}
