package layer45.mnet.relay;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A host socket as the host side of a relayed TCP connection. */
final class SocketStream implements HostStream {

    private final SocketChannel channel;
    private final Runnable onClose;

    /**
     * @param channel the socket, connected or being connected
     * @param onClose runs when it is closed (perhaps more than once), such as ending the flow's translation
     */
    SocketStream(SocketChannel channel, Runnable onClose) {
        this.channel = channel;
        this.onClose = onClose;
    }

    /** @return the socket, to connect it */
    SocketChannel channel() {
        return channel;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        return channel.read(into);
    }

    @Override
    public void write(ByteBuffer from) throws IOException {
        while (from.hasRemaining()) {
            channel.write(from);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void reset() {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0); // close with RST, as the program's side ends
        } catch (IOException | RuntimeException ignored) {
            // already closed
        }
        close();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
        onClose.run();
    }

    @Override
    public String toString() {
        return "host socket " + channel;
    }
}
