package layer45.mnet.iface;

import java.nio.ByteBuffer;

/** Writes a transport packet where a network layer asks: into the device's buffer, or a fragmentation scratch. */
@FunctionalInterface
public interface TransportWriter {

    /**
     * Writes the transport header and payload, checksum included.
     *
     * @param buffer the buffer, big-endian, with stale bytes
     * @param offset the absolute index to write at
     * @param length the length announced to the network layer
     * @param pseudoHeaderSum the network layer's pseudo-header sum for the checksum
     */
    void write(ByteBuffer buffer, int offset, int length, long pseudoHeaderSum);
}
