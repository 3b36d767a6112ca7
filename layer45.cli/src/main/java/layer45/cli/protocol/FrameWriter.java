package layer45.cli.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * Writes frames to a channel. Safe for several threads (a command's output and error output): each frame is
 * written whole before the next starts.
 */
public final class FrameWriter {

    private final WritableByteChannel channel;

    /** @param channel the channel to write, such as a connected {@code SocketChannel} */
    public FrameWriter(WritableByteChannel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    /**
     * Writes a frame.
     *
     * @param frame the frame; its payload at most {@link ControlProtocol#MAX_DATA} bytes
     * @throws IOException if the channel cannot be written
     */
    public void write(Frame frame) throws IOException {
        write(frame.type(), frame.payload(), 0, frame.payload().length);
    }

    /**
     * Writes bytes of a stream ({@link FrameType#isData()}) in as many frames as they need, and nothing when there
     * are none; or one frame of another type.
     *
     * @param type the frame type
     * @param bytes holds the payload
     * @param offset where it starts
     * @param length its length
     * @throws IOException if the channel cannot be written
     * @throws IllegalArgumentException if a frame that is not data is longer than {@link ControlProtocol#MAX_DATA}
     */
    public void write(FrameType type, byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (!type.isData() && length > ControlProtocol.MAX_DATA) {
            throw new IllegalArgumentException("the " + type.what() + " is " + length + " bytes, more than the "
                    + ControlProtocol.MAX_DATA + " a frame holds");
        }
        synchronized (this) {
            int done = 0;
            do {
                int chunk = Math.min(length - done, ControlProtocol.MAX_DATA);
                if (chunk == 0 && type.isData()) {
                    return;
                }
                ByteBuffer frame = ByteBuffer.allocate(1 + Integer.BYTES + chunk);
                frame.put(type.code()).putInt(chunk).put(bytes, offset + done, chunk).flip();
                while (frame.hasRemaining()) {
                    channel.write(frame);
                }
                done += chunk;
            } while (done < length);
        }
    }
}
