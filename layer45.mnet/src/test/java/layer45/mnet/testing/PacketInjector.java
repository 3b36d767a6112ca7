package layer45.mnet.testing;

import java.util.ArrayList;
import java.util.List;
import layer45.mnet.phy.Device;

/**
 * The far end of the link a stack under test is on: injects hand-built packets ({@link Packets}) and collects
 * what the stack sent back ({@link SentPacket}). Used on the test's thread, as the stack's other side.
 */
public final class PacketInjector {

    private final Device end;

    /** @param end the end of the link facing the stack */
    public PacketInjector(Device end) {
        this.end = end;
    }

    /**
     * Puts one packet on the link toward the stack.
     *
     * @param linkProtocol its link protocol number
     * @param packet its bytes
     * @throws AssertionError if the link did not take it (full or closed)
     */
    public void inject(int linkProtocol, byte[] packet) {
        if (!end.transmit(linkProtocol, packet.length, buffer -> buffer.put(0, packet))) {
            throw new AssertionError("the link did not take a packet of " + packet.length + " bytes");
        }
    }

    /** @return every packet the stack sent since the last call, in order */
    public List<SentPacket> drain() {
        List<SentPacket> sent = new ArrayList<>();
        for (int i = 0; i < 100_000 && end.receive((protocol, packet) -> {
            byte[] bytes = new byte[packet.limit()];
            packet.get(0, bytes);
            sent.add(new SentPacket(protocol, bytes));
        }); i++) {
            // each call lends one packet
        }
        return sent;
    }
}
