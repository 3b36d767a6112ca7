package layer45.mnet.relay;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;
import layer45.mnet.iface.Unreachable;
import layer45.mnet.socket.tcp.TcpConnectRequest;

/** Maps what a host socket reported to what the program in the namespace should see. */
final class HostErrors {

    private HostErrors() {
    }

    /**
     * Answers a held SYN after the host connection failed: refused becomes RST ("connection refused"), the rest
     * ICMP destination unreachable of the matching kind.
     */
    static void answer(TcpConnectRequest request, IOException e, HostRelay relay) {
        Unreachable kind = unreachable(e);
        if (kind == null) {
            relay.count(RelayEvent.TCP_REFUSED);
            request.refuse();
        } else {
            relay.count(RelayEvent.TCP_UNREACHABLE);
            request.unreachable(kind);
        }
    }

    /** @return the ICMP error for a failure, or {@code null} when the destination refused (RST) */
    static Unreachable unreachable(IOException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (e instanceof ConnectException && message.contains("refused")) {
            return null;
        }
        if (message.contains("network is unreachable")) {
            return Unreachable.NETWORK;
        }
        if (message.contains("permission denied") || message.contains("not permitted")) {
            return Unreachable.PROHIBITED;
        }
        return Unreachable.HOST; // no route, timed out, or anything else: the host cannot be reached
    }
}
