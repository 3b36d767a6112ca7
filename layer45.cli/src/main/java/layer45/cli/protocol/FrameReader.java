package layer45.cli.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Objects;

/** Reads frames from a channel, one at a time; not for concurrent use. */
public final class FrameReader {

    private static final int HEADER = 1 + Integer.BYTES;

    private final ReadableByteChannel channel;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);

    /** @param channel the channel to read, such as a connected {@code SocketChannel} */
    public FrameReader(ReadableByteChannel channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    /**
     * Reads the next frame, with a payload of at most {@code limit} bytes.
     *
     * @param limit the largest payload accepted here
     * @return the frame, or {@code null} if the stream ended cleanly between frames
     * @throws ProtocolException if the frame is unknown or too large, or the stream ends inside it
     * @throws IOException if the channel cannot be read
     */
    public Frame read(int limit) throws IOException {
        header.clear();
        if (!fill(header, true)) {
            return null;
        }
        FrameType type = FrameType.of(header.get(0));
        long length = Integer.toUnsignedLong(header.getInt(1));
        if (length > limit) {
            throw new ProtocolException("the " + type.what() + " is " + length + " bytes, more than the " + limit
                    + " allowed");
        }
        ByteBuffer payload = ByteBuffer.allocate((int) length);
        fill(payload, false);
        return new Frame(type, payload.array());
    }

    /** @return false if the stream ended before the first byte and {@code endAllowed}; true when full */
    private boolean fill(ByteBuffer buffer, boolean endAllowed) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (endAllowed && buffer.position() == 0) {
                    return false;
                }
                throw new ProtocolException("the connection ended inside a frame (" + buffer.position() + " of "
                        + buffer.limit() + " bytes read)");
            }
        }
        return true;
    }
}
