package layer45.mnet.iface;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The transports of an interface, by protocol number. Filled at construction; loop thread afterwards. */
public final class Transports {

    private final Transport[] byNumber = new Transport[256];
    /** The same transports by protocol number, kept whole so the loop's every poll reads them without copying. */
    private List<Transport> all = List.of();

    /**
     * @param transport the transport to add
     * @throws IllegalStateException if another transport already handles its protocol
     */
    public void add(Transport transport) {
        int number = transport.protocolNumber();
        if (byNumber[number] != null) {
            throw new IllegalStateException("transport protocol " + number + " already has a handler: "
                    + byNumber[number]);
        }
        byNumber[number] = transport;
        List<Transport> added = new ArrayList<>(all);
        added.add(transport);
        added.sort(Comparator.comparingInt(Transport::protocolNumber));
        all = List.copyOf(added);
    }

    /**
     * @param protocol a transport protocol number, 0 to 255
     * @return its transport, or {@code null}
     */
    public Transport get(int protocol) {
        return byNumber[protocol & 0xFF];
    }

    /** @return every transport, by protocol number; unmodifiable, and not copied per call (the loop polls it) */
    public List<Transport> all() {
        return all;
    }
}
