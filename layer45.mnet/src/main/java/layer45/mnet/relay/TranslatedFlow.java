package layer45.mnet.relay;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.mhost.Translation;
import layer45.mnet.wire.IpAddress;

/**
 * One flow to a host identifier's virtual address, as operators see it: the addresses tried in order with their
 * outcomes, and the one in use. Each choice goes to the table ({@code l45:mhost}) and to the log at debug level.
 */
final class TranslatedFlow {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");

    private final HostTable table;
    private final Translation translation;
    private final String transport;
    private final String namespace;
    private final String application;
    private final String peer;
    private final int port;
    /** Every attempt so far, for the reason; guarded by this. */
    private final StringBuilder attempts = new StringBuilder();

    /**
     * @param table the table to report to
     * @param translation the identifier and its usable addresses
     * @param transport {@code tcp} or {@code udp}
     * @param namespace the program's namespace, "" for the runtime's own
     * @param application the program's endpoint
     * @param peer the virtual endpoint it addressed
     */
    TranslatedFlow(HostTable table, Translation translation, String transport, String namespace,
            InetSocketAddress application, InetSocketAddress peer) {
        this.table = table;
        this.translation = translation;
        this.transport = transport;
        this.namespace = namespace;
        this.application = text(application);
        this.peer = text(peer);
        this.port = peer.getPort();
        for (String skipped : translation.skipped()) {
            note(skipped);
        }
    }

    /** @return the identifier's addresses to try, in order */
    java.util.List<HostAddress> usable() {
        return translation.usable();
    }

    /**
     * Opens the path to an address on a plugged-in protocol through a stack that carries it.
     *
     * @param address the address, such as {@code demo:fd4d::2}
     * @return the path, not yet open
     * @throws java.net.NoRouteToHostException if no stack carries the protocol now
     */
    HostDatagrams carried(HostAddress address) throws java.io.IOException {
        for (Object stack : table.carriersOf(address.protocol())) {
            if (stack instanceof PluggedCarrier carrier && carrier.reaches(address)) {
                return carrier.datagramsTo(address, address.port() == 0 ? port : address.port());
            }
        }
        throw new java.net.NoRouteToHostException("no stack reaches " + address + " now (unreachable)");
    }

    /** @return the port the program addressed */
    int port() {
        return port;
    }

    /**
     * Notes an address that failed.
     *
     * @param target where it was tried
     * @param outcome what happened, such as {@link #outcome}'s words
     */
    synchronized void failed(InetSocketAddress target, String outcome) {
        note(text(target) + " " + outcome);
    }

    /**
     * Reports the address the flow uses now, or that there is none.
     *
     * @param address the address, or {@code null} when none can be used
     * @param target where it is reached, or {@code null}
     * @param outcome how it went, such as {@code connected}
     * @param open whether the flow goes on
     */
    synchronized void chose(HostAddress address, InetSocketAddress target, String outcome, boolean open) {
        note(target == null ? outcome : text(target) + " " + outcome);
        HostChoice choice = new HostChoice(translation.identifier().name(), transport, namespace, application, peer,
                address, attempts.toString(), System.currentTimeMillis());
        table.chose(this, choice, open);
        LOG.log(System.Logger.Level.DEBUG, "mnet:mhost: " + transport + " " + application + " -> "
                + choice.identifier() + " (" + peer + "): " + choice.reason());
    }

    /** The flow ended: it leaves the table's open flows. */
    void ended() {
        table.ended(this);
    }

    private void note(String text) {
        if (!attempts.isEmpty()) {
            attempts.append("; ");
        }
        attempts.append(text);
    }

    /**
     * @param e how a host socket failed
     * @param timeout the time it had to connect
     * @return the failure in a few words
     */
    static String outcome(IOException e, Duration timeout) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SocketTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (e instanceof PortUnreachableException) {
            return "port unreachable (ICMP)";
        }
        if (e instanceof ConnectException && message.toLowerCase(Locale.ROOT).contains("refused")) {
            return "refused (the host answered: no failover)";
        }
        return "unreachable (" + message + ")";
    }

    /** @return an endpoint as {@code 192.0.2.1:80} or {@code [2001:db8::1]:80} */
    static String text(InetSocketAddress endpoint) {
        String address = IpAddress.of(endpoint.getAddress()).toString();
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + endpoint.getPort();
    }

    @Override
    public String toString() {
        return transport + " " + application + " -> " + translation.identifier().name() + " (" + peer + ")";
    }
}
