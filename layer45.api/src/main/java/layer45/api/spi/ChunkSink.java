package layer45.api.spi;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the bytes a chunk call delivers: to the network for {@link Direction#SEND}, to the application for
 * {@link Direction#RECV}. Implemented by the network stack.
 */
@ConsumerType
@FunctionalInterface
public interface ChunkSink {

    /**
     * Takes bytes to deliver, in order. Called zero or more times during a chunk call. The buffer is either one of
     * the caller's own input segments (when the original passes) or a read-only view of the runtime's output, which
     * may show a range of the input segments themselves (bytes a module passed on unchanged); it is valid only during
     * this call, so copy what is needed before returning.
     *
     * @param bytes the bytes from position to limit
     */
    void accept(ByteBuffer bytes);
}
