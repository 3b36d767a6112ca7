package layer45.mnet.phy;

import java.nio.ByteBuffer;

/** Fills the buffer a {@link Device} lends on transmit. */
@FunctionalInterface
public interface TxWriter {

    /**
     * Writes the whole packet.
     *
     * @param packet position 0, limit the requested length, big-endian; its bytes are undefined (a reused buffer),
     *        so every byte up to the limit must be written. Valid only during this call.
     */
    void write(ByteBuffer packet);
}
