package layer45.mnet.relay;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;

/** An outbound flow's own host socket, connected to the destination so only its answers come back. */
final class ConnectedDatagrams implements HostDatagrams {

    private final InetSocketAddress target;
    private volatile DatagramChannel channel;
    private volatile boolean closed;

    /** @param target the destination on the host's side */
    ConnectedDatagrams(InetSocketAddress target) {
        this.target = target;
    }

    @Override
    public void open() throws IOException {
        DatagramChannel opened = DatagramChannel.open(target.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        channel = opened;
        if (closed) {
            opened.close();
            throw new ClosedChannelException();
        }
        opened.connect(target);
    }

    @Override
    public void send(ByteBuffer datagram) throws IOException {
        channel.write(datagram);
    }

    @Override
    public boolean receive(ByteBuffer into) throws IOException {
        try {
            channel.read(into);
            return true;
        } catch (ClosedChannelException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        DatagramChannel c = channel;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing: nothing more to do
            }
        }
    }

    @Override
    public String toString() {
        return "host socket to " + target;
    }
}
