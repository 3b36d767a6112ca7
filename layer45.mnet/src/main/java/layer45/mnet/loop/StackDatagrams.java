package layer45.mnet.loop;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import layer45.mnet.HostAddress;
import layer45.mnet.iface.NetworkLayer;
import layer45.mnet.relay.HostDatagrams;
import layer45.mnet.socket.udp.UdpSocket;
import layer45.mnet.wire.IpAddress;
import layer45.mnet.wire.Ipv6Address;

/**
 * A relayed UDP flow's path through another stack over a plugged-in protocol: a UDP socket of that stack on a free
 * port, sending to the destination over the protocol's layer, its answers queued for the relay's thread. Once the
 * protocol is unplugged, sending fails as unreachable and receiving ends, so the relayed flow fails over.
 *
 * <p>Datagrams cross between the relay's threads and the stack's loop thread: each sent one is handed to the loop
 * (which waits for it), each answer is copied into the queue (at most {@value #QUEUE} waiting; more are dropped, as
 * a full socket buffer drops them).
 */
final class StackDatagrams implements HostDatagrams {

    private static final int QUEUE = 256;
    private static final byte[] CLOSED = new byte[0];

    private final RunningStack stack;
    private final HostAddress destination;
    private final int port;
    private final long high;
    private final long low;
    private final BlockingQueue<byte[]> answers = new ArrayBlockingQueue<>(QUEUE);
    private volatile UdpSocket socket;
    private volatile NetworkLayer layer;
    private volatile boolean closed;

    StackDatagrams(RunningStack stack, HostAddress destination, int port) throws IOException {
        if (!(IpAddress.of(destination.address()) instanceof Ipv6Address address)) {
            throw new PortUnreachableException(destination + " is not a plugged-in protocol's (128-bit) address"
                    + " (unreachable)");
        }
        this.stack = stack;
        this.destination = destination;
        this.port = port;
        this.high = address.high();
        this.low = address.low();
    }

    @Override
    public void open() throws IOException {
        String problem = stack.call((iface, udp) -> {
            NetworkLayer found = stack.pluggedLayer(destination.protocol());
            if (found == null) {
                return destination.protocol() + " is not plugged in here";
            }
            layer = found;
            socket = udp.bindEphemeral((s, flow, payload) -> {
                byte[] copy = new byte[payload.remaining()];
                payload.get(payload.position(), copy);
                answers.offer(copy);
            });
            return null;
        });
        if (problem != null) {
            throw new PortUnreachableException(destination + " unreachable: " + problem);
        }
    }

    @Override
    public void send(ByteBuffer datagram) throws IOException {
        String problem = stack.call((iface, udp) -> {
            if (closed) {
                return "the flow is closed";
            }
            if (stack.pluggedLayer(destination.protocol()) != layer) {
                return "network protocol " + destination.protocol() + " was unplugged";
            }
            return socket.sendTo(layer, high, low, port, datagram) ? null : "the stack could not send it";
        });
        if (problem != null) {
            throw new PortUnreachableException(destination + " unreachable: " + problem);
        }
    }

    @Override
    public boolean receive(ByteBuffer into) throws IOException {
        while (!closed) {
            byte[] answer;
            try {
                answer = answers.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (answer == CLOSED) {
                return false;
            }
            if (answer != null) {
                into.put(answer, 0, Math.min(answer.length, into.remaining()));
                return true;
            }
            if (layer != null && stack.isRunning() && stack.call((iface, udp) -> stack.pluggedLayer(
                    destination.protocol())) != layer) {
                throw new PortUnreachableException(destination + " unreachable: network protocol "
                        + destination.protocol() + " was unplugged");
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        answers.clear();
        answers.offer(CLOSED);
        UdpSocket s = socket;
        if (s != null && stack.isRunning()) {
            stack.call((iface, udp) -> {
                s.close();
                return null;
            });
        }
    }

    @Override
    public String toString() {
        return "stack path to " + destination + " port " + port;
    }
}
