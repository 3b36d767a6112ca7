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

    /**
     * @param e how a connected UDP host socket failed
     * @return whether the host reported its destination unreachable (an ICMP error came back): a host identifier's
     *         next address is worth a try, and the program hears ICMP; other failures end the flow
     */
    static boolean datagramUnreachable(IOException e) {
        if (e instanceof java.net.PortUnreachableException || e instanceof java.net.NoRouteToHostException) {
            return true;
        }
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return message.contains("unreachable") || message.contains("no route") || message.contains("refused");
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
