package layer45.itest;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Ports on the host's loopback that nothing uses at the moment: free for TCP and UDP, on 127.0.0.1 and ::1, so a
 * test may start any server on them (iperf3 takes the same port for both). Another process may still take one
 * before the test does; the kernel hands out ephemeral ports round-robin, which makes that rare.
 */
final class FreePorts {

    private static final int ATTEMPTS = 50;

    private FreePorts() {
    }

    /** @return a port free for TCP and UDP on both loopback addresses */
    static int pick() throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0));
                port = probe.getLocalPort();
            }
            if (freeOn(port, "127.0.0.1") && freeOn(port, "::1")) {
                return port;
            }
        }
        throw new IOException("found no port free for TCP and UDP on 127.0.0.1 and ::1 in " + ATTEMPTS
                + " attempts: is the host out of ephemeral ports?");
    }

    private static boolean freeOn(int port, String loopback) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.ofLiteral(loopback), port);
        try (ServerSocket tcp = new ServerSocket(); DatagramSocket udp = new DatagramSocket(null)) {
            tcp.bind(address);
            udp.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
