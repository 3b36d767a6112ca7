package layer45.cli.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One frame of the control protocol.
 *
 * @param type what it carries
 * @param payload its bytes (not copied: treat as read-only)
 */
public record Frame(FrameType type, byte[] payload) {

    /** Checks the arguments. */
    public Frame {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }

    /**
     * @param type a frame that carries text
     * @param text the text
     * @return the frame, its text in UTF-8
     */
    public static Frame text(FrameType type, String text) {
        return new Frame(type, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param status an exit status
     * @return the {@link FrameType#EXIT} frame carrying it
     */
    public static Frame exit(int status) {
        return new Frame(FrameType.EXIT, ByteBuffer.allocate(Integer.BYTES).putInt(status).array());
    }

    /** @return the payload as UTF-8 text */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * @return the exit status of an {@link FrameType#EXIT} frame
     * @throws ProtocolException if this is not one, or its payload is not 4 bytes
     */
    public int status() throws ProtocolException {
        if (type != FrameType.EXIT || payload.length != Integer.BYTES) {
            throw new ProtocolException("expected an exit status (4 bytes), got " + this);
        }
        return ByteBuffer.wrap(payload).getInt();
    }

    @Override
    public String toString() {
        return type + " frame of " + payload.length + " bytes";
    }
}
