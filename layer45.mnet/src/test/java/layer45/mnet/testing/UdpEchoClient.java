package layer45.mnet.testing;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Random;

/**
 * A plain Java program that tests run inside a network namespace ({@code ip netns exec NS java ...}): it sends
 * datagrams of several sizes to an echo service with a {@link DatagramSocket} and prints how many came back
 * intact, as {@code echoed N of M}.
 */
public final class UdpEchoClient {

    private UdpEchoClient() {
    }

    /**
     * @param args host, port, count
     * @throws Exception if the socket cannot be used
     */
    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        int echoed = 0;
        Random random = new Random(45);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            byte[] reply = new byte[65536];
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[1 + random.nextInt(i % 5 == 0 ? 8000 : 1400)];
                random.nextBytes(payload);
                socket.send(new DatagramPacket(payload, payload.length, server));
                DatagramPacket received = new DatagramPacket(reply, reply.length);
                try {
                    socket.receive(received);
                    if (Arrays.equals(payload, Arrays.copyOf(reply, received.getLength()))) {
                        echoed++;
                    }
                } catch (SocketTimeoutException e) {
                    System.out.println("no answer to datagram " + i + " of " + payload.length + " bytes");
                }
            }
        }
        System.out.println("echoed " + echoed + " of " + count);
    }
}
