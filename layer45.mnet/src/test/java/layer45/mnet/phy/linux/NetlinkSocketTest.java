package layer45.mnet.phy.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import layer45.mnet.testing.TestNamespace;

@Timeout(30)
class NetlinkSocketTest {

    @BeforeEach
    void needsTheCLibrary() {
        Assumptions.assumeTrue(NetlinkSocket.unavailableReason() == null, NetlinkSocket::unavailableReason);
    }

    @Test
    void talksToTheKernel() throws IOException {
        try (NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_SOCK_DIAG, null, 4096)) {
            assertEquals(-2, errorOfBadRequest(socket), "ENOENT: no sock_diag handler for address family 0");
        }
    }

    @Test
    void returnsNothingWhenNothingComes() throws IOException {
        try (NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_SOCK_DIAG, null, 4096)) {
            assertEquals(0, socket.receive(ByteBuffer.allocate(64), 20_000_000L));
            assertEquals(0, socket.drain(10));
        }
    }

    @Test
    void saysWhenTheNamespaceDoesNotExist() {
        IOException missing = assertThrows(IOException.class, () -> NetlinkSocket.open(
                NetlinkSocket.NETLINK_SOCK_DIAG, Path.of("/run/netns/l45-no-such-namespace"), 4096));
        assertEquals("cannot open network namespace /run/netns/l45-no-such-namespace: No such file or directory "
                + "(ENOENT); see ip netns list", missing.getMessage());
    }

    @Test
    void opensInsideANamespaceWithoutMovingTheCaller() throws IOException {
        TestNamespace.assumeRoot();
        Path self = Path.of("/proc/thread-self/ns/net");
        String before = Files.readSymbolicLink(self).toString();
        try (TestNamespace namespace = TestNamespace.create();
                NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_SOCK_DIAG,
                        Path.of("/run/netns", namespace.name()), 4096)) {
            assertEquals(-2, errorOfBadRequest(socket));
            assertEquals("network namespace /run/netns/" + namespace.name(), socket.where());
        }
        assertEquals(before, Files.readSymbolicLink(self).toString());
    }

    /** Sends a SOCK_DIAG_BY_FAMILY request of family 0 and returns the error of the kernel's answer. */
    private static int errorOfBadRequest(NetlinkSocket socket) throws IOException {
        ByteBuffer request = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder());
        request.putInt(72).putShort((short) 20).putShort((short) 1).putInt(1).putInt(0);
        socket.send(request.rewind());
        ByteBuffer reply = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
        int length = socket.receive(reply, 1_000_000_000L);
        assertEquals(16 + 4 + 72, length, "an error message: header, error, the request it answers");
        assertEquals(2, reply.getShort(4), "NLMSG_ERROR");
        return reply.getInt(16);
    }
}
