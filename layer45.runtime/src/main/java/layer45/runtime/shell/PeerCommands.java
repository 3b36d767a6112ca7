package layer45.runtime.shell;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import layer45.mnet.HostAddress;
import layer45.mnet.NetStack;
import layer45.mnet.PeerLinkStatus;
import layer45.mnet.PeerLinks;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The peer links' command, {@code l45:peer}: lists the links (tunnels to other layer45 stacks) with their
 * addresses, protocols and traffic; opens and closes links live; shows a link's counters and flows as
 * {@code l45:netstat} does for the runtime's stack; and probes a path over a link with a UDP echo. There only when
 * the stack's bundle is.
 */
@Component(service = PeerCommands.class, immediate = true, property = Constants.SERVICE_DESCRIPTION
        + "=layer45 peer link commands: peer")
@GogoCommand(scope = "l45", function = { "peer" })
@Descriptor("layer45 peer links")
public final class PeerCommands {

    private static final String SYNOPSIS = "peer [list | add NAME SPEC... | remove NAME | netstat NAME |"
            + " ping NAME ADDRESS [COUNT]]";
    private static final Duration ECHO_TIMEOUT = Duration.ofSeconds(1);
    private static final int MAX_PINGS = 100;

    private final PeerLinks links;
    private final BundleContext context;

    /**
     * @param links the peer links
     * @param context this bundle's context, to find a link's stack
     */
    @Activate
    public PeerCommands(@Reference(name = "links") PeerLinks links, BundleContext context) {
        this.links = links;
        this.context = context;
    }

    /**
     * @param args the subcommand and its arguments
     * @return what it shows, or what it did
     */
    @Descriptor("peer links: stacks whose device is a UDP tunnel to another layer45, carrying IPv4, IPv6 and"
            + " plugged-in protocols (such as demo). 'peer' or 'peer list' lists them; 'peer add NAME SPEC...' opens"
            + " one (until the runtime restarts: lasting ones go in conf/layer45.conf as peer.NAME = SPEC), SPEC being"
            + " local=ADDRESS:PORT remote=ADDRESS:PORT addresses=10.77.0.1/24,fd77::1/64,demo:fd4d::1 [netns=NAME]"
            + " [mtu=N] [echo=PORT]; 'peer remove NAME' closes one; 'peer netstat NAME' shows its counters and flows;"
            + " 'peer ping NAME ADDRESS [COUNT]' sends UDP echoes (port 7 unless given) over it, such as"
            + " 'peer ping b demo:fd4d::2'")
    public String peer(@Descriptor("list | add NAME SPEC... | remove NAME | netstat NAME | ping NAME ADDRESS [COUNT]")
            String... args) {
        String command = args == null || args.length == 0 ? "list" : args[0];
        List<String> rest = args == null || args.length < 2 ? List.of() : List.of(args).subList(1, args.length);
        return switch (command) {
            case "list" -> {
                if (!rest.isEmpty()) {
                    throw ModuleCommands.usage("peer list", "peer list");
                }
                yield list();
            }
            case "add" -> add(rest);
            case "remove" -> remove(rest);
            case "netstat" -> netstat(rest);
            case "ping" -> ping(rest);
            default -> throw new IllegalArgumentException("'" + command + "' is not a peer command: usage: "
                    + SYNOPSIS + " ('help peer' describes it)");
        };
    }

    private String list() {
        Table table = new Table("Name", "State", "Local", "Remote", "Netns", "MTU", "Addresses", "Protocols", "Source")
                .right(5).whenEmpty("(no peer links: add one with peer add, or peer.NAME in conf/layer45.conf)");
        for (PeerLinkStatus link : links.list()) {
            table.row(link.name(), link.stack().running() ? "up" : "down: " + link.stack().reason(), link.local(),
                    link.remote(), link.stack().namespace().isEmpty() ? "-" : link.stack().namespace(),
                    link.stack().mtu(), String.join(" ", link.addresses()),
                    String.join(" ", link.stack().protocols()), link.source());
        }
        return table.toString();
    }

    private String add(List<String> rest) {
        if (rest.size() < 2) {
            throw ModuleCommands.usage("peer add NAME SPEC...", "peer add b local=127.0.0.1:6081"
                    + " remote=127.0.0.1:6082 addresses=10.77.0.1/24,fd77::1/64,demo:fd4d::1");
        }
        PeerLinkStatus link = links.add(rest.get(0), String.join(" ", rest.subList(1, rest.size())));
        return link.name() + " up: " + link.local() + " -> " + link.remote() + ", " + String.join(" ", link.addresses())
                + ", protocols " + String.join(" ", link.stack().protocols());
    }

    private String remove(List<String> rest) {
        if (rest.size() != 1) {
            throw ModuleCommands.usage("peer remove NAME", "peer remove b");
        }
        if (!links.remove(rest.get(0))) {
            throw new IllegalArgumentException("no peer link '" + rest.get(0) + "'; 'peer list' lists them");
        }
        return rest.get(0) + " removed";
    }

    private String netstat(List<String> rest) {
        if (rest.size() != 1) {
            throw ModuleCommands.usage("peer netstat NAME", "peer netstat b");
        }
        ServiceReference<NetStack> reference = stack(rest.get(0));
        NetStack stack = context.getService(reference);
        try {
            return NetCommands.netstat(stack, false);
        } finally {
            context.ungetService(reference);
        }
    }

    private String ping(List<String> rest) {
        if (rest.size() < 2 || rest.size() > 3) {
            throw ModuleCommands.usage("peer ping NAME ADDRESS [COUNT]", "peer ping b demo:fd4d::2 3");
        }
        HostAddress destination = HostAddress.parse(rest.get(1));
        int count = rest.size() == 3 ? count(rest.get(2)) : 1;
        List<String> lines = new ArrayList<>();
        int answered = 0;
        for (int i = 0; i < count; i++) {
            Optional<Duration> rtt = links.echo(rest.get(0), destination, ECHO_TIMEOUT);
            if (rtt.isPresent()) {
                answered++;
                lines.add("echo from " + destination + ": time=" + String.format("%.3f", rtt.get().toNanos() / 1e6)
                        + " ms");
            } else {
                lines.add("no echo from " + destination + " within " + ECHO_TIMEOUT.toMillis() + " ms");
            }
        }
        lines.add(count + " sent, " + answered + " echoed over peer link " + rest.get(0));
        return String.join("\n", lines);
    }

    private static int count(String text) {
        try {
            int count = Integer.parseInt(text);
            if (count >= 1 && count <= MAX_PINGS) {
                return count;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("COUNT " + text + " must be a number from 1 to " + MAX_PINGS);
    }

    /** @return the NetStack service of a link, as programs in the runtime find it */
    private ServiceReference<NetStack> stack(String name) {
        try {
            for (ServiceReference<NetStack> reference : context.getServiceReferences(NetStack.class,
                    "(" + PeerLinks.LINK_PROPERTY + "=" + name + ")")) {
                return reference;
            }
        } catch (InvalidSyntaxException e) {
            // a name with filter characters: no such link
        }
        throw new IllegalArgumentException("peer link '" + name + "' is not running; 'peer list' says why");
    }
}
