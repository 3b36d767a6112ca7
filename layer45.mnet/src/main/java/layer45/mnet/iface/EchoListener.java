package layer45.mnet.iface;

import java.nio.ByteBuffer;

/** Told about ICMP echo replies (v4 or v6) that arrive for the stack's own pings. Loop thread. */
@FunctionalInterface
public interface EchoListener {

    /**
     * @param srcHigh the replying address's high 64 bits
     * @param srcLow its low 64 bits
     * @param ident the echo identifier
     * @param sequence the echo sequence number
     * @param data the reply's data from position to limit; valid only during the call
     */
    void reply(long srcHigh, long srcLow, int ident, int sequence, ByteBuffer data);
}
