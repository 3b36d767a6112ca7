package layer45.mnet;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A datagram a {@link HostDatagramSocket} received.
 *
 * @param from the sender: its host identifier (if the table has one with its address) and its address and port
 * @param payload the payload, read-only, from position 0 to its limit
 * @since 1.4
 */
public record HostDatagram(HostEndpoint from, ByteBuffer payload) {

    /** Checks the fields. */
    public HostDatagram {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(payload, "payload");
    }

    /** @return a copy of the payload */
    public byte[] bytes() {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(payload.position(), bytes);
        return bytes;
    }
}
