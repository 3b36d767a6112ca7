package layer45.mnet.wire;

import java.util.Objects;

/**
 * A transport endpoint: an address and a port.
 *
 * @param address the address
 * @param port the port, 0..65535
 */
public record IpEndpoint(IpAddress address, int port) {

    /** @throws IllegalArgumentException if the port is outside 0..65535 */
    public IpEndpoint {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("Port " + port + " of " + address + " is outside 0..65535");
        }
    }

    /** @return {@code 192.0.2.1:80} or {@code [2001:db8::1]:80} */
    @Override
    public String toString() {
        return address.version() == 6 ? "[" + address + "]:" + port : address + ":" + port;
    }
}
