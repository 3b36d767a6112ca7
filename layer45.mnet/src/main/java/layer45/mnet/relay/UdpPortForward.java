package layer45.mnet.relay;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A host UDP port whose datagrams go to a program in the namespace: each host client (address and port) is a flow of
 * its own ({@link RelayedUdp}), and the program's answers go back to that client from the forwarded port.
 */
final class UdpPortForward implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    private static final int MAX_DATAGRAM = 65535;
    /** Datagrams waiting per client; beyond it they are dropped, as a full socket buffer would. */
    private static final int QUEUE = 64;

    private final HostRelay relay;
    private final PortForward forward;
    private final InetSocketAddress to;
    private final DatagramChannel channel;
    private final Map<SocketAddress, Client> clients = new ConcurrentHashMap<>();

    private UdpPortForward(HostRelay relay, PortForward forward, InetSocketAddress to, DatagramChannel channel) {
        this.relay = relay;
        this.forward = forward;
        this.to = to;
        this.channel = channel;
    }

    /**
     * Binds the forward's host port and starts receiving.
     *
     * @throws IOException if the port cannot be bound
     */
    static UdpPortForward open(HostRelay relay, PortForward forward, InetSocketAddress to) throws IOException {
        DatagramChannel channel = DatagramChannel.open(forward.listen().getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.bind(forward.listen());
        } catch (IOException e) {
            channel.close();
            throw new IOException(forward + ": " + e.getMessage(), e);
        }
        UdpPortForward listening = new UdpPortForward(relay, forward, to, channel);
        Thread.ofVirtual().name("layer45-forward " + forward).start(listening::receive);
        return listening;
    }

    private void receive() {
        ByteBuffer in = ByteBuffer.allocate(MAX_DATAGRAM);
        while (channel.isOpen()) {
            try {
                in.clear();
                SocketAddress from = channel.receive(in);
                in.flip();
                Client client = clients.computeIfAbsent(from, this::newClient);
                client.offer(in);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (channel.isOpen()) {
                    LOG.log(System.Logger.Level.DEBUG, "mnet:relay: forward " + forward + ": " + e.getMessage());
                }
            }
        }
    }

    private Client newClient(SocketAddress address) {
        Client client = new Client((InetSocketAddress) address);
        client.relayed = new RelayedUdp(relay, client, false);
        relay.forward(client.relayed, to, client::close);
        return client;
    }

    @Override
    public void close() throws IOException {
        channel.close();
        clients.values().forEach(Client::close);
    }

    @Override
    public String toString() {
        return "forward " + forward;
    }

    /** One host client of the forward: its datagrams wait here for its flow's relay thread. */
    private final class Client implements HostDatagrams {

        private final InetSocketAddress address;
        private final BlockingQueue<ByteBuffer> queue = new ArrayBlockingQueue<>(QUEUE);
        /** Buffers the queue gave back, for the next datagrams; at most {@link #QUEUE} are ever made. */
        private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(QUEUE);
        private int made;
        private volatile boolean closed;
        RelayedUdp relayed;

        Client(InetSocketAddress address) {
            this.address = address;
        }

        void offer(ByteBuffer datagram) {
            if (closed) {
                return;
            }
            ByteBuffer copy = free.poll();
            if (copy == null) {
                if (made == QUEUE) {
                    relay.count(RelayEvent.UDP_QUEUE_FULL);
                    return;
                }
                made++;
                copy = ByteBuffer.allocate(MAX_DATAGRAM);
            }
            copy.clear().put(datagram).flip();
            if (!queue.offer(copy)) {
                free.offer(copy);
                relay.count(RelayEvent.UDP_QUEUE_FULL);
            }
        }

        @Override
        public void open() {
            // the forward's channel is open already
        }

        @Override
        public void send(ByteBuffer datagram) throws IOException {
            channel.send(datagram, address);
        }

        @Override
        public boolean receive(ByteBuffer into) throws IOException {
            try {
                ByteBuffer next = queue.take();
                if (closed) {
                    return false;
                }
                into.put(next);
                free.offer(next);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            clients.remove(address, this);
            queue.clear();
            queue.offer(ByteBuffer.allocate(0)); // wakes a waiting receive, which then sees closed
        }
    }
}
