package layer45.runtime.control;

import java.io.IOException;
import java.io.OutputStream;

import layer45.cli.protocol.FrameType;
import layer45.cli.protocol.FrameWriter;

/** A session's standard output or error: every write goes to the client at once, as frames of one type. */
final class FrameOutputStream extends OutputStream {

    private final FrameWriter writer;
    private final FrameType type;
    private final Runnable clientGone;

    /**
     * @param writer the connection's frames
     * @param type {@link FrameType#STDOUT} or {@link FrameType#STDERR}
     * @param clientGone told when a write fails, that is, when the client has gone
     */
    FrameOutputStream(FrameWriter writer, FrameType type, Runnable clientGone) {
        this.writer = writer;
        this.type = type;
        this.clientGone = clientGone;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] { (byte) b }, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        try {
            writer.write(type, bytes, offset, length);
        } catch (IOException e) {
            clientGone.run();
            throw e;
        }
    }
}
