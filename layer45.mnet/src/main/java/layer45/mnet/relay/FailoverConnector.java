package layer45.mnet.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.time.Duration;
import layer45.mnet.HostAddress;
import layer45.mnet.mhost.TranslatedFlow;

/**
 * Connects to a host identifier: its usable addresses in order, each within the per-address time limit, until one
 * connects. An address that refuses ends the attempt there (the host answered: the program gets RST, as it would
 * connecting to it directly); one that is unreachable or does not answer in time moves on to the next, as the
 * {@code mnet} module's development branch did. When every address failed, the program hears that the destination
 * is unreachable.
 */
final class FailoverConnector implements HostConnector {

    private final TranslatedFlow flow;
    private final Duration perAddress;

    /**
     * @param flow the flow, with the identifier's usable addresses, which hears of each attempt
     * @param perAddress how long each address may take to connect
     */
    FailoverConnector(TranslatedFlow flow, Duration perAddress) {
        this.flow = flow;
        this.perAddress = perAddress;
    }

    @Override
    public HostStream connect(Opening opening) throws IOException {
        IOException last = null;
        boolean[] aborted = {false};
        Opening watched = stream -> {
            aborted[0] = !opening.opened(stream);
            return !aborted[0];
        };
        for (HostAddress address : flow.usable()) {
            InetSocketAddress target = address.socketAddress(flow.port());
            try {
                HostStream stream = new DirectConnector(target, perAddress, flow::ended).connect(watched);
                flow.chose(address, target, "connected", true);
                return stream;
            } catch (IOException e) {
                if (aborted[0] || e instanceof java.nio.channels.AsynchronousCloseException) {
                    throw e; // the program gave up (its abort closed the socket): nothing more to try, nobody to answer
                }
                String outcome = TranslatedFlow.outcome(e, perAddress);
                if (HostErrors.unreachable(e) == null) {
                    flow.chose(null, target, outcome, false);
                    throw e;
                }
                flow.failed(target, outcome);
                last = e;
            }
        }
        flow.chose(null, null, last == null ? "no usable address" : "every address failed", false);
        throw last != null ? last : new NoRouteToHostException("no address of the host identifier is usable");
    }

    @Override
    public String toString() {
        return flow.toString();
    }
}
