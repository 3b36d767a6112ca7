package layer45.mnet.mhost;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import layer45.mnet.HostAddress;
import layer45.mnet.HostChoice;
import layer45.mnet.wire.IpAddress;

/**
 * One flow to a host identifier, as operators see it: the addresses tried in order with their outcomes, and the one
 * in use. Each choice goes to the table ({@code l45:mhost flows}) and to the log at debug level. The relay keeps one
 * per flow to a virtual address; a socket of a program in the runtime one per identifier and port it sends to.
 *
 * <p>Any thread.
 */
public final class TranslatedFlow {

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
    /** The latest choice; guarded by this. */
    private HostChoice latest;

    /**
     * @param table the table to report to
     * @param translation the identifier and its usable addresses
     * @param transport {@code tcp} or {@code udp}
     * @param namespace the program's namespace, "" for the runtime's own
     * @param application the program's endpoint
     * @param peer the virtual endpoint it addressed
     */
    public TranslatedFlow(HostTable table, Translation translation, String transport, String namespace,
            InetSocketAddress application, InetSocketAddress peer) {
        this(table, translation, transport, namespace, text(application), text(peer), peer.getPort());
    }

    /**
     * @param table the table to report to
     * @param translation the identifier and its usable addresses
     * @param transport {@code tcp} or {@code udp}
     * @param namespace the program's namespace, "" for the runtime's own
     * @param application the program's endpoint, as text
     * @param peer what it addressed, as text (an identifier's name and port, such as {@code srv:7})
     * @param port the port it addressed
     */
    public TranslatedFlow(HostTable table, Translation translation, String transport, String namespace,
            String application, String peer, int port) {
        this.table = table;
        this.translation = translation;
        this.transport = transport;
        this.namespace = namespace;
        this.application = application;
        this.peer = peer;
        this.port = port;
        for (String skipped : translation.skipped()) {
            note(skipped);
        }
    }

    /** @return the identifier's addresses to try, in order */
    public java.util.List<HostAddress> usable() {
        return translation.usable();
    }

    /** @return the table the flow was translated by */
    public HostTable table() {
        return table;
    }

    /** @return the port the program addressed */
    public int port() {
        return port;
    }

    /**
     * Notes an address that failed.
     *
     * @param target where it was tried
     * @param outcome what happened, such as {@link #outcome}'s words
     */
    public synchronized void failed(InetSocketAddress target, String outcome) {
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
    public synchronized void chose(HostAddress address, InetSocketAddress target, String outcome, boolean open) {
        note(target == null ? outcome : text(target) + " " + outcome);
        HostChoice choice = new HostChoice(translation.identifier().name(), transport, namespace, application, peer,
                address, attempts.toString(), System.currentTimeMillis());
        latest = choice;
        table.chose(this, choice, open);
        LOG.log(System.Logger.Level.DEBUG, "mnet:mhost: " + transport + " " + application + " -> "
                + choice.identifier() + " (" + peer + "): " + choice.reason());
    }

    /** @return the latest choice, or {@code null} before the first */
    public synchronized HostChoice latest() {
        return latest;
    }

    /** @return every address tried so far with its outcome, as {@link HostChoice#reason()} says it */
    public synchronized String attempts() {
        return attempts.toString();
    }

    /** The flow ended: it leaves the table's open flows. */
    public void ended() {
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
    public static String outcome(IOException e, Duration timeout) {
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
    public static String text(InetSocketAddress endpoint) {
        String address = IpAddress.of(endpoint.getAddress()).toString();
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + endpoint.getPort();
    }

    @Override
    public String toString() {
        return transport + " " + application + " -> " + translation.identifier().name() + " (" + peer + ")";
    }
}
