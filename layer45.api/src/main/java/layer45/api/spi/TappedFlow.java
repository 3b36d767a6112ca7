package layer45.api.spi;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A flow handed to the runtime by a network stack: every chunk of the flow passes through it.
 *
 * <p>Calls for one flow may come from different threads (one per direction, say); the runtime serializes them.
 * Calls for different flows run concurrently. A call returns once the chunk has gone through the chain and its
 * output was given to the sink; the returned {@link ChunkResult} is reused by the next call in the same
 * direction.
 *
 * <p>When a result's outcome is {@link Outcome#ABORTED} the stack must abort the flow (reset TCP at both ends,
 * close the UDP flow) and then {@link #close()} it.
 */
@ProviderType
public interface TappedFlow extends AutoCloseable {

    /** @return the flow's identifier, as shown to operators and to modules */
    long id();

    /**
     * Runs one chunk through the chain of one direction.
     *
     * @param direction the direction
     * @param segments the chunk's bytes, each from position to limit; positions are not moved
     * @param count how many entries of {@code segments} to use
     * @param sink receives the bytes to deliver
     * @return the result, valid until the next call in this direction
     */
    ChunkResult process(Direction direction, ByteBuffer[] segments, int count, ChunkSink sink);

    /**
     * Runs a one-segment chunk through the chain of one direction.
     *
     * @param direction the direction
     * @param segment the chunk's bytes from position to limit; the position is not moved
     * @param sink receives the bytes to deliver
     * @return the result, valid until the next call in this direction
     */
    ChunkResult process(Direction direction, ByteBuffer segment, ChunkSink sink);

    /**
     * Says that the stream ends in this direction (a TCP FIN): a module holding bytes is called one last time with
     * {@link layer45.api.Chunk#endOfStream()} true, and whatever it still holds is discarded and counted.
     *
     * @param direction the direction that ended
     * @param sink receives the last bytes to deliver, if any
     * @return the result, valid until the next call in this direction
     */
    ChunkResult endOfStream(Direction direction, ChunkSink sink);

    /** Ends the flow: detaches its modules, closes their per-flow state, keeps its counters. Idempotent. */
    @Override
    void close();
}
