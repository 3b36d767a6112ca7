package layer45.mnet.relay;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import layer45.mnet.mhost.TranslatedFlow;

/**
 * Connects a host socket to one destination, within a time limit.
 *
 * @param target where
 * @param timeout how long the connection may take
 * @param onClose runs when the host socket is closed
 */
record DirectConnector(InetSocketAddress target, Duration timeout, Runnable onClose) implements HostConnector {

    /**
     * @param target where
     * @param timeout how long the connection may take
     */
    DirectConnector(InetSocketAddress target, Duration timeout) {
        this(target, timeout, () -> { });
    }

    @Override
    public HostStream connect(Opening opening) throws IOException {
        SocketChannel channel = SocketChannel.open(target.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        SocketStream stream = new SocketStream(channel, onClose);
        if (!opening.opened(stream)) {
            stream.close();
            throw new ClosedChannelException();
        }
        try {
            channel.socket().connect(target, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return stream;
    }

    @Override
    public String toString() {
        return TranslatedFlow.text(target);
    }
}
