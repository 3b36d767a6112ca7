package layer45.mnet.iface;

import java.util.ArrayList;
import java.util.List;

/** The transports of an interface, by protocol number. Filled at construction; loop thread afterwards. */
public final class Transports {

    private final Transport[] byNumber = new Transport[256];

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
    }

    /**
     * @param protocol a transport protocol number, 0 to 255
     * @return its transport, or {@code null}
     */
    public Transport get(int protocol) {
        return byNumber[protocol & 0xFF];
    }

    /** @return every transport */
    public List<Transport> all() {
        List<Transport> all = new ArrayList<>();
        for (Transport transport : byNumber) {
            if (transport != null) {
                all.add(transport);
            }
        }
        return all;
    }
}
