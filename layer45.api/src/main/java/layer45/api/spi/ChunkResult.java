package layer45.api.spi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The result of one chunk call. The object is reused by the flow for the next call in the same direction: read it
 * before calling again.
 */
@ProviderType
public interface ChunkResult {

    /** @return what happened to the chunk */
    Outcome outcome();

    /** @return bytes taken from the input: the whole chunk, unless the flow was aborted */
    int inputBytes();

    /** @return bytes handed to the sink */
    int outputBytes();

    /**
     * The byte count the application must see for this chunk, "as if modifications did not take place": for
     * {@link Direction#SEND} the bytes it wrote (all of them were sent, as far as it knows), for
     * {@link Direction#RECV} the bytes it is given to read.
     *
     * @return the application's byte count
     */
    int applicationBytes();

    /** @return bytes a module holds back in this direction after the call, to be presented with the next chunk */
    int heldBytes();

    /** @return why the flow must be aborted when {@link #outcome()} is {@link Outcome#ABORTED}; otherwise "" */
    String abortReason();
}
